/// virtio-pmem as QEMU presents it (`virtio-pmem-pci`) over a 16 MiB file in the run's scratch
/// folder, at 5 GiB (`memaddr` unless the `-device` value gives one): above virtio-mem's 1 GiB at
/// 4 GiB, so that both place alike in one boot and in their own probes. The guest's virtio_pmem
/// registers an nvdimm region, and nd_pmem makes a pmem0 disk of it when the range is 2 MiB aligned.
enum PmemGuestDevice {
    static let device = GuestDevice(
        name: "pmem",
        presentation: .qemu(defaultDevice: "virtio-pmem-pci", backend: { scratch, id in
            QEMUBackend(arguments: ["-object", "memory-backend-file,id=\(id)-memdev,mem-path=\(scratch)/pmem.img,size=16M,share=on"],
                        properties: ["memdev=\(id)-memdev", "memaddr=0x140000000"])
        }),
        // 1 GiB to 5 GiB, and room for the backend (or a memaddr a little past it) above.
        deviceMemoryMiB: 1088, comparesLog: true)
}
