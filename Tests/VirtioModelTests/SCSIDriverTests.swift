import Testing
@testable import ConfigLayout
@testable import VirtioModel

/// The model of Linux 6.1's virtio_scsi on configurations built by hand, each expectation worked out
/// from drivers/scsi/virtio_scsi.c `virtscsi_probe` and what the midlayer does with its limits
/// (hosts.c, scsi_lib.c `__scsi_init_queue`, scsi.c `scsi_change_queue_depth`, blk-settings.c); the
/// guest tests hold it against the real driver.
@Suite struct SCSIDriverTests {
    private let features = "HOTPLUG,CHANGE,VERSION_1"
    /// QEMU 7.2's values (virtio_scsi_get_config) with num_queues 4.
    private let qemu: [(String, UInt64)] = [("num_queues", 4), ("seg_max", 254), ("max_sectors", 0xffff), ("cmd_per_lun", 128),
                                            ("event_info_size", 16), ("sense_size", 96), ("cdb_size", 32), ("max_channel", 0),
                                            ("max_target", 255), ("max_lun", 16383)]

    private func predict(_ values: [(String, UInt64)], features: String? = nil, cpus: Int = 2) throws -> DriverPrediction {
        try LinuxDriverHarness.predict("scsi", offering: features ?? self.features, values: qemu + values, cpus: cpus)
    }

    @Test func qemusDefaultsBecomeTheHostsAttributes() throws {
        let prediction = try predict([])
        #expect(prediction.failure == nil)
        let sysfs = prediction.view.texts
        #expect(sysfs["can_queue"] == "256")            // the vring size, QEMU's virtqueue_size
        #expect(sysfs["cmd_per_lun"] == "128")
        #expect(sysfs["sg_tablesize"] == "254")
        #expect(sysfs["nr_hw_queues"] == "2")           // num_queues 4, two CPUs: min(nr_cpu_ids, 4)
        #expect(sysfs["prot_capabilities"] == "0")
        #expect(sysfs["max_id"] == "256")               // max_target + 1
        #expect(sysfs["max_lun"] == "32768")            // 16383 + 1 + 0x4000
        #expect(sysfs["max_hw_sectors_kb"] == "32767")  // 65535 sectors >> 1
        #expect(sysfs["max_segments"] == "254")
        #expect(sysfs["queue_depth"] == "128")
        #expect(prediction.view.log == ["Virtio SCSI HBA"])
    }

    @Test func theProbeReadsInItsOwnOrderAndWritesTheTwoSizesBeforeDriverOK() throws {
        let prediction = try predict([])
        #expect(prediction.reads.map(\.field) == ["num_queues", "max_target", "seg_max", "cmd_per_lun", "max_sectors", "max_lun"])
        #expect(prediction.reads.map(\.offset) == [0, 30, 4, 12, 8, 32])
        #expect(prediction.reads.map(\.bytes.count) == [4, 2, 4, 4, 4, 4])
        let writes = LinuxDriverHarness.writes(prediction.trace)
        #expect(writes.map(\.offset) == [24, 20])       // cdb_size, then sense_size
        #expect(writes.map(\.value) == [32, 96])
        let driverOK = try #require(LinuxDriverHarness.driverOKIndex(prediction.trace))
        let lastAccess = try #require(prediction.trace.lastIndex { entry in
            switch entry.event {
            case .configRead, .configWrite: true
            default: false
            }
        })
        #expect(lastAccess < driverOK, "every config access comes before DRIVER_OK")
        // max_channel and event_info_size are never read: the departure is noted.
        #expect(!prediction.reads.contains { $0.field == "max_channel" || $0.field == "event_info_size" })
        #expect(LinuxDriverHarness.notes(prediction.trace).contains { $0.contains("max_channel is never read") })
    }

    @Test func zerosFallBackAsTheDriverSays() throws {
        let prediction = try predict([("num_queues", 0), ("seg_max", 0), ("cmd_per_lun", 0), ("max_sectors", 0),
                                      ("max_target", 0), ("max_lun", 0)])
        let sysfs = prediction.view.texts
        #expect(sysfs["nr_hw_queues"] == "1")           // "?: 1"
        #expect(sysfs["sg_tablesize"] == "1")           // "?: 1"
        #expect(sysfs["max_segments"] == "1")
        #expect(sysfs["cmd_per_lun"] == "1")
        #expect(sysfs["queue_depth"] == "1")
        #expect(sysfs["max_hw_sectors_kb"] == "32767")  // "?: 0xFFFF"
        #expect(sysfs["max_id"] == "1")
        #expect(sysfs["max_lun"] == "16385")            // 0 + 1 + 0x4000
    }

    @Test func wideValuesAreNarrowedAsTheKernelsTypesNarrowThem() throws {
        // seg_max 70000 in an unsigned short is 4464; the queue takes at most SG_MAX_SEGMENTS, 2048.
        var sysfs = try predict([("seg_max", 70000), ("max_target", 0xffff), ("max_lun", 0xffff_bfff), ("cmd_per_lun", 1000)]).view.texts
        #expect(sysfs["sg_tablesize"] == "4464")
        #expect(sysfs["max_segments"] == "2048")
        #expect(sysfs["max_id"] == "65536")             // a u16 promoted before the + 1
        #expect(sysfs["max_lun"] == "0")                // 0xffffbfff + 1 + 0x4000 wraps in u32
        #expect(sysfs["cmd_per_lun"] == "256")          // min(1000, can_queue)
        #expect(sysfs["queue_depth"] == "256")
        // 65536 in an unsigned short is 0: no segments at all, which blk_queue_max_segments raises to 1.
        let zero = try predict([("seg_max", 65536), ("max_lun", 0xffff_ffff)])
        sysfs = zero.view.texts
        #expect(sysfs["sg_tablesize"] == "0")
        #expect(sysfs["max_segments"] == "1")
        #expect(sysfs["max_lun"] == "16384")            // 0xffffffff + 1 wraps to 0, + 0x4000
        #expect(zero.view.log.contains("blk_queue_max_segments: set to minimum 1"))
    }

    /// blk_queue_max_hw_sectors: "(max_hw_sectors << 9) < PAGE_SIZE" in 32 bits raises it to 8.
    @Test(arguments: [(UInt64(7), "4", true), (8, "4", false), (1024, "512", false), (0x80_0000, "4", true),
                      (0x80_0008, "4194308", false)])
    func maxSectorsBelowAPageIsRaised(sectors: UInt64, kilobytes: String, raised: Bool) throws {
        let prediction = try predict([("max_sectors", sectors)])
        #expect(prediction.view.texts["max_hw_sectors_kb"] == kilobytes)
        #expect(prediction.view.log.contains("blk_queue_max_hw_sectors: set to minimum 8") == raised)
    }

    @Test func queuesAreClampedToTheCPUs() throws {
        #expect(try predict([("num_queues", 4)], cpus: 4).view.texts["nr_hw_queues"] == "4")
        #expect(try predict([("num_queues", 4)], cpus: 8).view.texts["nr_hw_queues"] == "4")
        #expect(try predict([("num_queues", 4)], cpus: 1).view.texts["nr_hw_queues"] == "1")
    }

    @Test func t10ProtectionShowsInTheCapabilities() throws {
        let prediction = try predict([], features: features + ",T10_PI")
        // DIF types 1-3 and DIX types 1-3: 0x07 | 0x70.
        #expect(prediction.view.texts["prot_capabilities"] == "119")
        // INOUT is not in the driver's table.
        let device = try LinuxDriverHarness.device("scsi")
        let both = try predict([], features: features + ",INOUT")
        #expect(!device.has("INOUT", in: both.negotiated))
    }

    @Test func nothingIsReadAgainOnAConfigChange() throws {
        let device = try LinuxDriverHarness.device("scsi")
        let kind = try #require(DriverKind.named("linux-6.1", for: device))
        let offered = try device.parseFeatures(features).get()
        let before = try LinuxDriverHarness.bytes(device, offered, qemu)
        let after = try LinuxDriverHarness.bytes(device, offered, qemu + [("max_sectors", 8), ("seg_max", 2)])
        let changed = kind.predict(device: device, offered: offered, presented: before, changed: after)
        let probed = kind.predict(device: device, offered: offered, presented: before)
        #expect(changed.view == probed.view)
        #expect(changed.reads.count == probed.reads.count)
    }

    /// No scsi field is conditional, so a packed reading places every one where the fixed one does.
    @Test func packedMovesNoField() throws {
        let device = try LinuxDriverHarness.device("scsi")
        for names in ["VERSION_1", "HOTPLUG,CHANGE,T10_PI,INOUT,VERSION_1"] {
            let offered = try device.parseFeatures(names).get()
            let fixed = Layout(device: device, features: offered, interpretation: .fixed)
            let packed = Layout(device: device, features: offered, interpretation: .packed)
            #expect(fixed.fields.map(\.offset) == packed.fields.map(\.offset))
        }
    }
}
