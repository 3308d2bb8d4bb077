import ConfigLayout

/// Linux 6.1's virtio_scsi (drivers/scsi/virtio_scsi.c `virtscsi_probe`, `virtscsi_init`) with the
/// SCSI midlayer it hands its limits to (drivers/scsi/hosts.c `scsi_add_host_with_dma`,
/// drivers/scsi/scsi_lib.c `__scsi_init_queue`, block/blk-settings.c): every config field it reads,
/// all before DRIVER_OK, the two it writes, and what /sys then shows: the host's attributes, the
/// limits its scan file enforces, and a disk's queue limits. The file is the same in v6.1 and Debian's
/// 6.1.192, line for line. The driver has no `config_changed`: nothing is read again after probe.
struct LinuxSCSIDriver: DriverModel {
    static let kind = DriverKind(
        name: "linux-6.1", layout: "scsi",
        summary: "Linux 6.1's virtio_scsi: queues clamped to CPUs, seg_max cut to 16 bits, max_channel never read",
        follows: "drivers/scsi/virtio_scsi.c `virtscsi_probe`, `virtscsi_init`; drivers/scsi/hosts.c; "
            + "drivers/scsi/scsi_lib.c `__scsi_init_queue`; block/blk-settings.c",
        fields: ["num_queues", "max_target", "seg_max", "cdb_size", "sense_size", "cmd_per_lun", "max_sectors", "max_lun"],
        isReference: true, make: { LinuxSCSIDriver() })

    /// virtio_scsi's `features[]`: T10_PI only under CONFIG_BLK_DEV_INTEGRITY, which Debian sets.
    /// INOUT is not in it.
    static let featureTable = ["HOTPLUG", "CHANGE", "T10_PI"]
    /// `shost->can_queue` is the first request queue's vring size (`virtqueue_get_vring_size`), which
    /// virtio-pci's common configuration gives, not the device's config: the transport's queue_size
    /// for a real device, and QEMU 7.2's `virtqueue_size` default, 256, for a model without queues
    /// (hw/scsi/virtio-scsi.c `virtio_scsi_properties`).
    static let queueSize: UInt32 = 256
    /// The first request queue: after control (0) and event (1).
    static let firstRequestQueue = 2
    /// VIRTIO_SCSI_CDB_SIZE and VIRTIO_SCSI_SENSE_SIZE, which `virtscsi_init` writes.
    static let cdbSize: UInt64 = 32
    static let senseSize: UInt64 = 96
    /// `SHOST_DIF_TYPE1..3_PROTECTION | SHOST_DIX_TYPE1..3_PROTECTION` (include/scsi/scsi_host.h).
    static let t10Protection: UInt64 = 0b111_0111

    /// What the driver set its host to, in the kernel's own types.
    struct Host: Equatable {
        var numQueues: UInt32
        var maxID: UInt32
        /// `unsigned short sg_tablesize`.
        var sgTablesize: UInt16
        var canQueue: UInt32
        /// `short cmd_per_lun`.
        var cmdPerLun: Int16
        var maxSectors: UInt32
        /// u32 arithmetic stored in a u64.
        var maxLun: UInt32
    }

    func probe(_ session: DriverSession) -> DriverResult {
        let core = LinuxVirtioCore.negotiate(session, table: Self.featureTable)
        if let refusal = core.refusal { return LinuxVirtioCore.failed(session, driver: "virtio_scsi", refusal, unsupported: core.unsupported) }
        session.stage = "virtscsi_probe"
        func read(_ field: String) -> UInt32 { UInt32(truncatingIfNeeded: session.readVirtio(field)) }
        // "We need to know how many queues before we allocate."
        let queues = min(UInt32(max(1, session.cpus)), read("num_queues").nonZero(or: 1))
        let targets = read("max_target") + 1
        let segments = read("seg_max").nonZero(or: 1)
        // virtscsi_init: virtio_find_vqs for control, event and the request queues, then the two writes.
        session.note("virtio_find_vqs: control, event and \(queues) request queue\(queues == 1 ? "" : "s")")
        session.write("cdb_size", Self.cdbSize)
        session.write("sense_size", Self.senseSize)
        // "shost->can_queue = virtqueue_get_vring_size(vscsi->req_vqs[0]->vq)".
        let canQueue = session.transport.queueSize(Self.firstRequestQueue).map { UInt32(truncatingIfNeeded: $0) } ?? Self.queueSize
        let perLun = min(read("cmd_per_lun").nonZero(or: 1), canQueue)
        let sectors = read("max_sectors").nonZero(or: 0xFFFF)
        let luns = read("max_lun") &+ 1 &+ 0x4000
        // l.889: "shost->max_channel = 0"; the device's max_channel and event_info_size are never read.
        session.note("max_channel is never read (l.889 sets shost->max_channel = 0); event_info_size is never "
                     + "read (event buffers are a fixed 16 bytes)")
        // scsi_add_host_with_dma: "min_t(int, shost->cmd_per_lun, shost->can_queue)" on the short.
        let host = Host(numQueues: queues, maxID: targets, sgTablesize: UInt16(truncatingIfNeeded: segments),
                        canQueue: canQueue, cmdPerLun: Int16(truncatingIfNeeded: min(Int(Int16(truncatingIfNeeded: perLun)), Int(canQueue))),
                        maxSectors: sectors, maxLun: luns)
        session.transport.addStatus(.driverOK)
        var view = Self.sysfs(host, protected: session.has("T10_PI"))
        view.log = ["Virtio SCSI HBA"] + Self.blockLog(host)
        return DriverResult(view: view, failure: nil, unsupported: core.unsupported)
    }

    /// /sys/class/scsi_host/hostH (scsi_sysfs.c `shost_rd_attr`), the limits the scan file enforces
    /// (scsi_scan.c `scsi_scan_host_selected`: an id at or past max_id, a LUN at or past max_lun, is
    /// EINVAL), and the queue limits of a 512-byte disk at H:0:0:0 (QEMU's scsi-hd).
    static func sysfs(_ host: Host, protected: Bool) -> DriverView {
        var view = DriverView()
        view.set("can_queue", UInt64(host.canQueue))
        view.set("cmd_per_lun", .text(String(host.cmdPerLun)), from: ["cmd_per_lun"])
        view.set("sg_tablesize", UInt64(host.sgTablesize), from: ["seg_max"])
        view.set("nr_hw_queues", UInt64(host.numQueues), from: ["num_queues"])
        view.set("prot_capabilities", protected ? t10Protection : 0)
        view.set("max_id", UInt64(host.maxID), from: ["max_target"])
        view.set("max_lun", UInt64(host.maxLun), from: ["max_lun"])
        view.set("max_hw_sectors_kb", UInt64(maxHWSectors(host.maxSectors) >> 1), from: ["max_sectors"])
        view.set("max_segments", UInt64(maxSegments(host.sgTablesize)), from: ["seg_max"])
        view.set("queue_depth", UInt64(queueDepth(host)), from: ["cmd_per_lun"])
        return view
    }

    /// `blk_queue_max_hw_sectors`: "(max_hw_sectors << 9) < PAGE_SIZE" in 32 bits raises it to 8, then
    /// it is rounded down to 512-byte blocks (a no-op for them).
    static func maxHWSectors(_ sectors: UInt32) -> UInt32 {
        sectors << 9 < 4096 ? 8 : sectors
    }

    /// `__scsi_init_queue`: "min_t(unsigned short, shost->sg_tablesize, SG_MAX_SEGMENTS)", and
    /// `blk_queue_max_segments` raises 0 to 1.
    static func maxSegments(_ tablesize: UInt16) -> UInt16 {
        max(1, min(tablesize, 2048))
    }

    /// `scsi_alloc_sdev`: "cmd_per_lun ? : 1", then `scsi_change_queue_depth` caps it at
    /// `scsi_device_max_queue_depth`, "min_t(int, sdev->host->can_queue, 4096)".
    static func queueDepth(_ host: Host) -> Int {
        let depth = host.cmdPerLun == 0 ? 1 : Int(host.cmdPerLun)
        return min(depth, min(Int(host.canQueue), 4096))
    }

    /// The block layer's notices for the limits it raised.
    static func blockLog(_ host: Host) -> [String] {
        (host.maxSectors << 9 < 4096 ? ["blk_queue_max_hw_sectors: set to minimum 8"] : [])
            + (min(host.sgTablesize, 2048) == 0 ? ["blk_queue_max_segments: set to minimum 1"] : [])
    }
}

private extension UInt32 {
    /// The value, or `fallback` when it is 0: C's `x ?: fallback`.
    func nonZero(or fallback: UInt32) -> UInt32 { self == 0 ? fallback : self }
}
