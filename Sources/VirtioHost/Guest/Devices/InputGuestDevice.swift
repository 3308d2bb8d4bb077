/// virtio-input as QEMU presents it (`virtio-tablet-pci` by default; `virtio-keyboard-pci` and
/// `virtio-mouse-pci` too, with `serial=`): the guest's virtio_input shows each under
/// /sys/class/input, and its axes through evdev's EVIOCGABS, as the linux-6.1 model did against the
/// same device over qtest, selection by selection. vhost-user-input-pci needs KVM, which a TCG guest
/// lacks, so cfgspace's own feeding of input stays checked over qtest.
enum InputGuestDevice {
    static let device = GuestDevice(
        name: "input",
        presentation: .qemu(defaultDevice: "virtio-tablet-pci", backend: { _, _ in QEMUBackend() }), comparesLog: true)
}
