/// virtio-mem as QEMU presents it (`virtio-mem-pci,requested-size=128M` by default) over a 1 GiB
/// shareable memfd at 4 GiB, the start of the pc machine's device memory (`memaddr` unless the
/// `-device` value gives one; shareable so that a vhost-user back-end in the same boot can map
/// plugged memory). The guest's virtio_mem logs what it read, plugs requested_size, and the guest
/// onlines the blocks it added (Debian leaves hotplugged memory offline).
enum MemGuestDevice {
    static let device = GuestDevice(
        name: "mem",
        presentation: .qemu(defaultDevice: "virtio-mem-pci,requested-size=128M", backend: { _, id in
            QEMUBackend(arguments: ["-object", "memory-backend-memfd,id=\(id)-memdev,size=1G,share=on"],
                        properties: ["memdev=\(id)-memdev", "memaddr=0x100000000"])
        }),
        deviceMemoryMiB: 1024, comparesLog: true)
}
