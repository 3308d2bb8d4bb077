import Foundation

/// virtio-fs as QEMU presents it (`vhost-user-fs-pci,tag=cfgspace`), with Debian's virtiofsd sharing a
/// scratch folder that holds one file; QEMU serves the config itself (tag, num_request_queues), and
/// vhost-user needs shareable guest memory. The guest mounts the tag the linux-6.1 model predicts
/// (given as hex in cfgspace.fs.tag, a mount succeeding only for the tag the driver read) and reads
/// the file. virtiofsd serves one request queue: num-request-queues above 1 is for qtest only.
enum FSGuestDevice {
    /// The shared file's name and content, which the guest reads back.
    static let sharedFile = ("cfgspace", "shared by virtiofsd")

    static let device = GuestDevice(
        name: "fs",
        presentation: .qemu(defaultDevice: "vhost-user-fs-pci,tag=cfgspace", backend: { scratch, id in
            let socket = scratch + "/virtiofsd.sock"
            return QEMUBackend(
                arguments: ["-chardev", "socket,id=\(id)-chardev,path=\(socket)"], properties: ["chardev=\(id)-chardev"],
                sharedMemory: true,
                daemon: { () throws(HostError) -> any BackendDaemon in
                    let share = scratch + "/share"
                    do {
                        try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
                        try Data(sharedFile.1.utf8).write(to: URL(fileURLWithPath: share + "/" + sharedFile.0))
                    } catch {
                        throw HostError(.system, "cannot make the shared folder \(share): \(error.localizedDescription)")
                    }
                    return try VirtioFSDaemon(sharing: share, socketPath: socket)
                })
        }),
        comparesLog: true,
        reporterArguments: { prefix, predicted in
            // The bytes the driver read, up to their first NUL: the tag it registered.
            guard let read = predicted.reads.last(where: { $0.field == "tag" }) else { return [] }
            return ["cfgspace.\(prefix).tag=" + read.bytes.prefix { $0 != 0 }.map { String(format: "%02x", $0) }.joined()]
        })
}
