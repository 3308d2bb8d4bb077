/// virtio-net as QEMU presents it (`virtio-net-pci,mq=off,host_mtu=9000` by default, over a
/// user-mode network): the guest brings eth0 up at host_mtu when its driver read mtu at its fixed
/// offset, 10, as the linux-current model does against the same device over qtest.
enum NetGuestDevice {
    static let device = GuestDevice(
        name: "net",
        presentation: .qemu(defaultDevice: "virtio-net-pci,mq=off,host_mtu=9000", backend: { _, id in
            QEMUBackend(arguments: ["-netdev", "user,id=\(id)-netdev"], properties: ["netdev=\(id)-netdev"])
        }),
        driver: "linux-current",
        // eth0's sysfs: the MTU the interface runs with and its address.
        keys: ["mtu": "eth0.mtu", "mac": "eth0.address", "features": "eth0.features"], compared: ["mtu", "mac"])
}
