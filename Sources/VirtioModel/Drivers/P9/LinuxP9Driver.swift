import ConfigLayout

/// Linux 6.1's 9P transport over virtio (net/9p/trans_virtio.c `p9_virtio_probe`, unchanged in
/// Debian's 6.1.192): without MOUNT_TAG the probe fails; with it, tag_len is one 16-bit virtio read
/// and the tag `virtio_cread_bytes`, one byte at a time inside a generation loop, with no bound but
/// the transport's. The tag becomes the channel's name, which `mount -t 9p -o trans=virtio TAG`
/// looks for, and the device's `mount_tag` attribute in sysfs. There is no `config_changed`: a tag
/// changed later is not noticed until the driver binds again.
struct LinuxP9Driver: DriverModel {
    static let kind = DriverKind(
        name: "linux-6.1", layout: "p9",
        summary: "Linux 6.1's 9pnet_virtio: refuses a device without MOUNT_TAG, reads tag_len then the tag byte by byte",
        follows: "net/9p/trans_virtio.c `p9_virtio_probe`, `p9_mount_tag_show`",
        fields: ["tag_len", "tag"], isReference: true, make: { LinuxP9Driver() })

    /// trans_virtio.c's `features[]`: MOUNT_TAG alone, no legacy table, no validate.
    static let featureTable = ["MOUNT_TAG"]
    /// How far the driver can read: virtio-pci modern maps at most a page of the device's config
    /// (`vp_modern_probe`), and `vp_get` has `BUG_ON(offset + len > mdev->device_len)`
    /// (drivers/virtio/virtio_pci_modern.c l.76); QEMU's device-config region is that page too.
    static let deviceWindow = 4096

    func probe(_ session: DriverSession) -> DriverResult {
        let core = LinuxVirtioCore.negotiate(session, table: Self.featureTable)
        if let refusal = core.refusal {
            return LinuxVirtioCore.failed(session, driver: "9pnet_virtio", refusal, unsupported: core.unsupported)
        }
        session.stage = "p9_virtio_probe"
        session.note("virtio_find_single_vq: one queue, \"requests\"")
        // l.626-631: "if (virtio_has_feature(vdev, VIRTIO_9P_MOUNT_TAG)) ... else { err = -EINVAL; goto out_free_vq; }",
        // with no line of its own.
        guard session.has("MOUNT_TAG") else {
            return LinuxVirtioCore.failed(session, driver: "9pnet_virtio", reason: "MOUNT_TAG is not negotiated", line: nil,
                                          errno: -22, unsupported: core.unsupported)
        }
        // l.627: virtio_cread(vdev, struct virtio_9p_config, tag_len, &tag_len), a __virtio16.
        let length = Int(session.readVirtio("tag_len"))
        guard let offset = session.offset(of: "tag") else {
            return LinuxVirtioCore.failed(session, driver: "9pnet_virtio", reason: "tag has no place in the layout", line: nil,
                                          errno: -22, unsupported: core.unsupported)
        }
        // tag_len is never checked: a tag reaching past the mapped window is a kernel BUG in vp_get, an
        // oops that leaves the probe unfinished, so the driver core says nothing more.
        if offset + length > Self.deviceWindow {
            let reason = "kernel BUG at drivers/virtio/virtio_pci_modern.c:76: tag_len \(length) reads past the "
                + "\(Self.deviceWindow)-byte config window"
            var view = DriverView()
            view.log = [reason]
            return .failed(session, reason, unsupported: core.unsupported, view: view)
        }
        // l.638-639: virtio_cread_bytes(vdev, offsetof(struct virtio_9p_config, tag), tag, tag_len):
        // tag_len one-byte reads, the generation read before and after until it holds still.
        let tag = session.consistently { (0..<length).flatMap { session.transport.get(offset + $0, 1, field: "tag") } }
        session.remember("tag", bytes: tag)
        session.note("sysfs_create_file(mount_tag) before virtio_device_ready (l.641, l.655)")
        session.transport.addStatus(.driverOK)
        return DriverResult(view: Self.view(tag: tag), failure: nil, unsupported: core.unsupported)
    }

    /// What a user reads: `p9_mount_tag_show` copies `strlen(tag) + 1` bytes, the tag and its NUL
    /// (trans_virtio.c l.566-580), so the tag is cut at its first NUL and the file is one byte longer.
    static func view(tag: [UInt8]) -> DriverView {
        let name = Array(tag.prefix { $0 != 0 })
        var view = DriverView()
        view.set("mount_tag", .text(String(decoding: name, as: UTF8.self)), from: ["tag"])
        view.set("mount_tag_bytes", UInt64(name.count + 1), from: ["tag_len", "tag"])
        return view
    }
}
