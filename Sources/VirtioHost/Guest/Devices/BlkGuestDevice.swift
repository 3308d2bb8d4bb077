import ConfigLayout
import VirtioModel

/// virtio-blk fed by cfgspace: qemu-storage-daemon exports a file, cfgspace's interposer serves its
/// config under an interpretation, and QEMU's vhost-user-blk-pci presents it (`BlkParticipant`).
/// Under packed the matrix offers neither SIZE_MAX, SEG_MAX nor GEOMETRY, so that every field from
/// blk_size on moves up, with values the driver accepts when it misreads them (the README's example).
enum BlkGuestDevice {
    static let device = GuestDevice(name: "blk", presentation: .fed(make: { options throws(HostError) in
        let layout = options.layout
        var run = GuestBlkRun.Options(layout: layout, image: options.image, interpretation: options.interpretation,
                                      cpus: options.cpus, qemu: options.qemu)
        if options.interpretation == .packed {
            run.features = try? layout.device.parseFeatures("BLK_SIZE,FLUSH,TOPOLOGY,CONFIG_WCE,MQ,DISCARD,WRITE_ZEROES").get()
            run.values = [("unused0", .integer(0x10)), ("num_queues", .integer(0)), ("max_discard_sectors", .integer(0x0002_0003))]
        }
        return try BlkParticipant(run)
    }))
}
