import Foundation

/// virtio-9p as QEMU presents it (`virtio-9p-pci,mount_tag=cfgspace` over a local fsdev sharing a
/// scratch folder that holds one file): 9pnet_virtio, in Debian's generic kernel only, registers the
/// tag it read, and the guest mounts that tag and reads the file back.
enum P9GuestDevice {
    /// The shared file's name and first line, which the guest reports as `p9.mounted`.
    static let sharedFile = (name: "cfgspace", line: "shared-over-9p")

    static let device = GuestDevice(
        name: "p9", kernel: .generic,
        presentation: .qemu(defaultDevice: "virtio-9p-pci,mount_tag=cfgspace", backend: { scratch, id in
            // QEMU refuses a local fsdev whose folder is missing; the file is what a mount shows.
            try? Data((sharedFile.line + "\n").utf8).write(to: URL(fileURLWithPath: scratch + "/" + sharedFile.name))
            return QEMUBackend(arguments: ["-fsdev", "local,id=\(id)-fsdev,path=\(scratch),security_model=none,readonly=on"],
                               properties: ["fsdev=\(id)-fsdev"])
        }))
}
