/// virtio-console as QEMU presents it (virtio-serial-pci, 31 ports by default) with vectors enough
/// for an interrupt per queue, which is the only way max_nr_ports shows in a guest: one
/// `virtioN-input` line per port (2 * max_ports + 2 vectors: the config's, and every queue's but
/// control-o's). A spec of one's own needs `vectors=` as well. The resize path cannot be shown:
/// QEMU 7.2 never offers SIZE, has no cols or rows to set and sends no RESIZE message, so the
/// driver never applies a size; cfgspace checks that path on the model alone.
enum ConsoleGuestDevice {
    static let device = GuestDevice(
        name: "console", presentation: .qemu(defaultDevice: "virtio-serial-pci,vectors=64", backend: { _, _ in QEMUBackend() }),
        unshown: "the resize: QEMU 7.2 offers no SIZE, has no cols or rows to set and sends no RESIZE message, so "
            + "the driver never applies a size; the model's config-change path is checked by unit tests alone")
}
