/// virtio-rng as QEMU presents it (virtio-rng-pci over QEMU's built-in rng backend): no config,
/// so the guest shows what it negotiated and that its driver bound.
enum EntropyGuestDevice {
    static let device = GuestDevice(name: "entropy",
                                    presentation: .qemu(defaultDevice: "virtio-rng-pci", backend: { _, _ in QEMUBackend() }))
}
