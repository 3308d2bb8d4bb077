import ConfigLayout

/// Linux 6.1's virtiofs (fs/fuse/virtio_fs.c `virtio_fs_probe`, `virtio_fs_read_tag`,
/// `virtio_fs_setup_vqs`) as Debian's 6.1.192 builds it: no feature of its own, the tag read as 36
/// single bytes in a generation loop and cut at its first NUL, num_request_queues read once. It
/// refuses an empty tag, a tag holding a newline (6.1.107's backport) and zero request queues, and
/// never reads notify_buf_size. A user meets the tag only as the source of `mount -t virtiofs TAG`
/// (/proc/mounts), and the queues as the `virtioN-requests.K` lines of /proc/interrupts.
struct LinuxFSDriver: DriverModel {
    static let kind = DriverKind(
        name: "linux-6.1", layout: "fs",
        summary: "Linux 6.1's virtiofs: the tag up to its first NUL, no empty or newline tag, at least one request queue",
        follows: "fs/fuse/virtio_fs.c `virtio_fs_probe`, `virtio_fs_read_tag`, `virtio_fs_setup_vqs`, `virtio_fs_setup_dax`",
        fields: ["tag", "num_request_queues"], isReference: true, make: { LinuxFSDriver() })

    func probe(_ session: DriverSession) -> DriverResult {
        let (unsupported, failure) = LinuxVirtioCore.negotiate(session, table: [], driver: "virtiofs")
        if let failure { return failure }
        session.stage = "virtio_fs_read_tag"
        let bytes = session.readArray("tag")
        // "end = memchr(tag_buf, '\0', sizeof(tag_buf))": a tag that fills all 36 bytes has none.
        let tag = Array(bytes.prefix { $0 != 0 })
        if tag.isEmpty {
            return LinuxVirtioCore.failed(session, driver: "virtiofs", reason: "empty tag: -EINVAL", line: nil, errno: -22,
                                          unsupported: unsupported)
        }
        if tag.contains(0x0a) {
            // dev_dbg "refusing virtiofs tag with newline character": only the driver core's line shows.
            return LinuxVirtioCore.failed(session, driver: "virtiofs", reason: "refusing virtiofs tag with newline character",
                                          line: nil, errno: -22, unsupported: unsupported)
        }
        session.stage = "virtio_fs_setup_vqs"
        // virtio_cread_le of a le32: one 32-bit read, no generation loop.
        let queues = session.readLittleEndian("num_request_queues")
        if queues == 0 {
            return LinuxVirtioCore.failed(session, driver: "virtiofs", reason: "num_request_queues is 0: -EINVAL",
                                          line: nil, errno: -22, unsupported: unsupported)
        }
        session.note("\(queues + 1) virtqueues: hiprio and requests.0-\(queues - 1); only requests.0 carries requests")
        // virtio_fs_setup_dax finds no shared memory region (QEMU 7.2 has no DAX window): a notice.
        var view = DriverView()
        view.log = ["virtio_fs_setup_dax: No cache capability"]
        session.transport.addStatus(.driverOK)
        view.set("tag", .text(Self.mountSource(tag)), from: ["tag"])
        view.set("request_queues", queues, from: ["num_request_queues"])
        return DriverResult(view: view, failure: nil, unsupported: unsupported)
    }

    /// The tag as /proc/mounts shows a mount's source: space, tab, newline and backslash as
    /// three-digit octal escapes (fs/proc_namespace.c `show_vfsmnt` → `mangle`).
    static func mountSource(_ tag: [UInt8]) -> String {
        let escaped = tag.flatMap { byte -> [UInt8] in
            guard [0x20, 0x09, 0x0a, 0x5c].contains(byte) else { return [byte] }
            let octal = String(byte, radix: 8)
            return Array(("\\" + String(repeating: "0", count: 3 - octal.count) + octal).utf8)
        }
        return String(decoding: escaped, as: UTF8.self)
    }
}
