/// virtio-balloon as QEMU presents it (virtio-balloon-pci), with an iothread beside it so that
/// free-page-hint=on works too (QEMU refuses it without one; the device uses it for nothing else).
/// While the guest runs, QMP `balloon` sets the target 16 MiB below its memory: QEMU sets num_pages
/// to 4096 and raises a config interrupt (`virtio_balloon_to_target`), and the guest's driver
/// inflates by 4096 pages, which /proc/vmstat and MemTotal show.
enum BalloonGuestDevice {
    /// How far below the guest's memory the target goes, in MiB.
    static let shrinkMiB = 16

    static let device = balloon(driver: "linux-6.1")

    /// The same guest booted with `init_on_free=1`, so that `want_init_on_free()` is true and
    /// `virtballoon_validate` keeps PAGE_POISON (Debian's cloud kernel has neither
    /// CONFIG_INIT_ON_FREE_DEFAULT_ON nor CONFIG_PAGE_POISONING, so only the command line turns it on).
    static let initOnFree = balloon(driver: "linux-6.1-init-on-free", kernelArguments: ["init_on_free=1"])

    private static func balloon(driver: String, kernelArguments: [String] = []) -> GuestDevice {
        GuestDevice(
            name: "balloon",
            presentation: .qemu(defaultDevice: "virtio-balloon-pci", backend: { _, id in
                QEMUBackend(arguments: ["-object", "iothread,id=\(id)-io"], properties: ["iothread=\(id)-io"])
            }),
            driver: driver,
            change: RuntimeChange(
                command: { memory, _, _ in ("balloon", ["value": Int64(memory - shrinkMiB) << 20]) },
                // "dev->num_pages = (vm_ram_size - target) >> VIRTIO_BALLOON_PFN_SHIFT".
                fields: { _, _ in [("num_pages", UInt64(shrinkMiB) << (20 - 12))] }),
            kernelArguments: kernelArguments)
    }
}
