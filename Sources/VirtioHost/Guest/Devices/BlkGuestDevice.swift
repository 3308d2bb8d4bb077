/// virtio-blk fed by cfgspace: qemu-storage-daemon exports a file, cfgspace's interposer serves its
/// config under an interpretation, and QEMU's vhost-user-blk-pci presents it (`GuestBlkRun`).
enum BlkGuestDevice {
    static let device = GuestDevice(name: "blk", presentation: .fed)
}
