import ConfigLayout

/// virtio-vsock fed by cfgspace: serve holds the config and QEMU's vhost-user-vsock-pci, which
/// fetches it once at realize (VHOST_USER_GET_CONFIG), presents it; the guest reads its CID with
/// IOCTL_VM_SOCKETS_GET_LOCAL_CID. QEMU 7.2's vhost-vsock-pci would need /dev/vhost-vsock on the host
/// instead. By default the CID has upper bits set, which the spec reserves and Linux drops.
enum VsockGuestDevice {
    /// 0x1_0000_002a: the guest's ioctl answers 42.
    static let defaultCID: UInt64 = 0x1_0000_002a

    static let device = GuestDevice(name: "vsock", presentation: .fed(make: { options throws(HostError) in
        try VsockParticipant(device: options.layout.device, options: options)
    }))
}
