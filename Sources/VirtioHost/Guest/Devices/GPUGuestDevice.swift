/// virtio-gpu as QEMU presents it (`virtio-gpu-pci`, max_outputs scanouts, EDID on), read by the DRM
/// driver of Debian's generic kernel under `-display none`: its connectors in sysfs and its own view
/// in debugfs. QEMU 7.2 raises a DISPLAY event only from a UI resize, so a run-time change is left to
/// the model (and qtest).
enum GPUGuestDevice {
    static let device = GuestDevice(name: "gpu", kernel: .generic,
                                    presentation: .qemu(defaultDevice: "virtio-gpu-pci", backend: { _, _ in QEMUBackend() }))
}
