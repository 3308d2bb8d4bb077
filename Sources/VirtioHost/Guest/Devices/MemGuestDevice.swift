import VirtioModel

/// virtio-mem as QEMU presents it (`virtio-mem-pci,requested-size=128M` by default) over a 1 GiB
/// shareable memfd at 4 GiB, the start of the pc machine's device memory (`memaddr` unless the
/// `-device` value gives one; shareable so that a vhost-user back-end in the same boot can map
/// plugged memory). The guest's virtio_mem logs what it read, plugs requested_size, and the guest
/// onlines the blocks it added (Debian leaves hotplugged memory offline). While the guest runs,
/// QMP `qom-set` raises requested-size by 128 MiB: QEMU grows usable_region_size and raises a
/// config interrupt (`virtio_mem_set_requested_size`), and the driver plugs the difference.
enum MemGuestDevice {
    /// How far the run-time change raises requested-size: a multiple of every block size QEMU takes
    /// up to 128 MiB.
    static let growth: UInt64 = 128 << 20
    /// `VIRTIO_MEM_USABLE_EXTENT` on x86 (hw/virtio/virtio-mem.c): how far past requested-size the
    /// usable region reaches.
    static let usableExtent: UInt64 = 256 << 20

    static let device = GuestDevice(
        name: "mem",
        presentation: .qemu(defaultDevice: "virtio-mem-pci,requested-size=128M", backend: { _, id in
            QEMUBackend(arguments: ["-object", "memory-backend-memfd,id=\(id)-memdev,size=1G,share=on"],
                        properties: ["memdev=\(id)-memdev", "memaddr=0x100000000"])
        }),
        deviceMemoryMiB: 1024, comparesLog: true,
        change: RuntimeChange(
            command: { _, id, before in
                ("qom-set", ["path": "/machine/peripheral/\(id)", "property": "requested-size",
                             "value": Int64(requested(before) + growth)])
            },
            fields: { _, before in
                // virtio_mem_set_requested_size: requested_size, then virtio_mem_resize_usable_region
                // (never shrinking at run time): ALIGN_UP(min(region, requested + extent), block_size).
                // plugged_size is what the driver plugged before (vmem->size).
                let requested = requested(before) + growth
                let region = number(before["region_size"]), block = max(number(before["device_block_size"]), 1)
                let usable = (min(region, requested + usableExtent) + block - 1) / block * block
                let plugged: UInt64 = if case .number(let kib)? = before["memtotal_added_kib"] { kib * 1024 } else { 0 }
                return [("requested_size", requested), ("usable_region_size", usable), ("plugged_size", plugged)]
            }))

    private static func requested(_ view: DriverView) -> UInt64 { number(view["requested_size"]) }

    /// A `0x...` value of the view, 0 when there is none.
    private static func number(_ value: DriverValue?) -> UInt64 {
        guard case .text(let text)? = value, text.hasPrefix("0x") else { return 0 }
        return UInt64(text.dropFirst(2), radix: 16) ?? 0
    }
}
