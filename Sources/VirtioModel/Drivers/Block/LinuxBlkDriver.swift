import ConfigLayout

/// Linux 6.1's virtio_blk (drivers/block/virtio_blk.c `virtblk_probe`, `init_vq`,
/// `virtblk_update_cache_mode`, `virtblk_update_capacity`) on the virtio core (`virtio_dev_probe`)
/// and virtio-pci modern (`vp_finalize_features`): which fields it reads under which negotiated
/// features, at their `offsetof` offsets, what it refuses, and how each /sys/block/vda value follows
/// from what it read. A real guest running the same driver is the check on this model.
struct LinuxBlkDriver: DriverModel {
    static let kind = DriverKind(
        name: "linux-6.1", layout: "blk",
        summary: "Linux 6.1's virtio_blk: reads by feature, refuses bad block sizes and zero limits, sizes queues by CPUs",
        follows: "drivers/block/virtio_blk.c `virtblk_probe`, `init_vq`, `virtblk_update_capacity`; block/blk-settings.c",
        fields: ["capacity", "seg_max", "size_max", "blk_size", "topology.physical_block_exp", "topology.alignment_offset",
                 "topology.min_io_size", "topology.opt_io_size", "writeback", "num_queues", "max_discard_sectors",
                 "max_discard_seg", "discard_sector_alignment", "max_write_zeroes_sectors"],
        isReference: true, make: { LinuxBlkDriver() })

    /// virtio_blk's `features[]` in 6.1 (ZONED came in 6.3).
    static let featureTable = ["SEG_MAX", "SIZE_MAX", "GEOMETRY", "RO", "BLK_SIZE", "FLUSH", "TOPOLOGY", "CONFIG_WCE",
                               "MQ", "DISCARD", "WRITE_ZEROES", "SECURE_ERASE"]

    func probe(_ session: DriverSession) -> DriverResult {
        var run = Run(session: session)
        return run.probe()
    }

    /// `virtblk_config_changed_work` → `virtblk_update_capacity(vblk, true)`: the capacity read again,
    /// the disk resized, and the kernel's "new size" line.
    func configChanged(_ session: DriverSession, view: DriverView) -> DriverView {
        guard view["disk"] == .text("vda"), case .number(let logical)? = view["logical_block_size"] else { return view }
        session.stage = "config changed"
        let capacity = session.consistently { session.readVirtio("capacity") }
        var view = view
        view.set("size", capacity)
        view.log.append(Self.capacityLine(capacity, logical: logical, resize: true))
        return view
    }

    /// `virtblk_update_capacity`'s notice: "[vda] new size: 2097152 512-byte logical blocks (1.07 GB/1.00 GiB)".
    static func capacityLine(_ capacity: UInt64, logical: UInt64, resize: Bool) -> String {
        let sectorsPerBlock = max(1, logical >> 9)
        let blocks = capacity / sectorsPerBlock + (capacity % sectorsPerBlock == 0 ? 0 : 1)
        return "[vda] \(resize ? "new size: " : "")\(blocks) \(logical)-byte logical blocks ("
            + KernelSizeString.format(blocks, blockSize: logical, .decimal) + "/"
            + KernelSizeString.format(blocks, blockSize: logical, .binary) + ")"
    }

    /// One probe: the session, the queue limits as they are set, and what the driver said.
    struct Run {
        let session: DriverSession
        var limits = BlockQueueLimits()
        var log: [String] = []
        var unsupported = FeatureSet()

        init(session: DriverSession) {
            self.session = session
        }

        private func has(_ feature: String) -> Bool { session.has(feature) }
        private func read(_ field: String) -> UInt32 { UInt32(truncatingIfNeeded: session.readVirtio(field)) }

        mutating func probe() -> DriverResult {
            let transport = session.transport
            // virtio_dev_probe up to FEATURES_OK; virtio_blk has no validate.
            let core = LinuxVirtioCore.negotiate(session, table: featureTable)
            unsupported = core.unsupported
            if let refusal = core.refusal {
                return failed(refusal.line ?? "the core refused the device", errno: refusal.errno)
            }
            session.stage = "virtblk_probe"
            // "We need at least one SG element, whatever they say."
            if has("SEG_MAX") { _ = read("seg_max") }
            // init_vq.
            var queues = 1
            if has("MQ") {
                let count = read("num_queues")
                if count == 0 { return failed("MQ advertised but zero queues reported") }
                queues = min(max(1, session.cpus), Int(count))
            }
            log.append("\(queues)/0/0 default/read/poll queues")
            // virtblk_get_cache_mode: the writeback field under CONFIG_WCE, else FLUSH.
            let writeback = has("CONFIG_WCE") ? read("writeback") != 0 : has("FLUSH")
            if has("SIZE_MAX") { _ = read("size_max") }
            if let failure = readBlockSize() { return failed(failure) }
            if has("TOPOLOGY") { readTopology() }
            var granularity: UInt32 = 0
            var discardSegments: UInt32 = 0
            if has("DISCARD") {
                granularity = read("discard_sector_alignment")
                let sectors = read("max_discard_sectors")
                limits.setMaxDiscardSectors(sectors == 0 ? UInt32.max : sectors)
                discardSegments = read("max_discard_seg")
            }
            if has("WRITE_ZEROES") {
                let sectors = read("max_write_zeroes_sectors")
                limits.setMaxWriteZeroesSectors(sectors == 0 ? UInt32.max : sectors)
            }
            if has("SECURE_ERASE") {
                if let failure = readSecureErase(&granularity, &discardSegments) { return failed(failure) }
            }
            if has("DISCARD") || has("SECURE_ERASE") {
                // "discard_granularity << SECTOR_SHIFT", in 32 bits; 0 means the logical block size.
                limits.discardGranularity = granularity != 0 ? granularity << 9 : limits.logicalBlockSize
            }
            // virtblk_update_capacity, then virtio_device_ready.
            let capacity = session.consistently { session.readVirtio("capacity") }
            log.append(LinuxBlkDriver.capacityLine(capacity, logical: UInt64(limits.logicalBlockSize), resize: false))
            transport.addStatus(.driverOK)
            var view = sysfs(capacity: capacity, queues: queues, writeback: writeback)
            view.log = log
            return DriverResult(view: view, failure: nil, unsupported: unsupported)
        }

        /// blk_size under BLK_SIZE, refused unless `blk_validate_block_size` takes it.
        private mutating func readBlockSize() -> String? {
            guard has("BLK_SIZE") else { return nil }
            let size = read("blk_size")
            guard BlockQueueLimits.isValidBlockSize(size) else {
                return "virtio_blk: invalid block size: 0x\(String(size, radix: 16))"
            }
            limits.setLogicalBlockSize(size)
            return nil
        }

        /// The topology, each value in blocks of the logical block size, multiplied in 32 bits as
        /// the driver does ("blk_size * (1 << physical_block_exp)"); a zero leaves its limit alone.
        private mutating func readTopology() {
            let block = limits.logicalBlockSize
            let exponent = read("topology.physical_block_exp")
            if exponent != 0 {
                // An int shifted by the low five bits of the count, as x86 shifts.
                limits.setPhysicalBlockSize(block &* (UInt32(1) << (exponent & 31)))
                if exponent > 31 { session.note("physical_block_exp \(exponent) shifts past 32 bits (undefined in C)") }
            }
            let alignment = read("topology.alignment_offset")
            if alignment != 0 { limits.setAlignmentOffset(block &* alignment) }
            let minimum = read("topology.min_io_size")
            if minimum != 0 { limits.setIOMin(block &* minimum) }
            let optimal = read("topology.opt_io_size")
            if optimal != 0 { limits.setIOOpt(block &* optimal) }
        }

        /// SECURE_ERASE's fields, none of which may be 0; their limits combine with discard's.
        private mutating func readSecureErase(_ granularity: inout UInt32, _ segments: inout UInt32) -> String? {
            let alignment = read("secure_erase_sector_alignment")
            if alignment == 0 { return "virtio_blk: secure_erase_sector_alignment can't be 0" }
            granularity = granularity == 0 ? alignment : min(granularity, alignment)
            if read("max_secure_erase_sectors") == 0 { return "virtio_blk: max_secure_erase_sectors can't be 0" }
            let count = read("max_secure_erase_seg")
            if count == 0 { return "virtio_blk: max_secure_erase_seg can't be 0" }
            segments = segments == 0 ? count : min(segments, count)
            return nil
        }

        /// The disk as /sys/block/vda shows it, each value with the fields it follows from.
        private func sysfs(capacity: UInt64, queues: Int, writeback: Bool) -> DriverView {
            var view = DriverView()
            view.set("disk", .text("vda"))
            view.set("size", capacity, from: ["capacity"])
            view.set("logical_block_size", UInt64(limits.logicalBlockSize), from: ["blk_size"])
            view.set("physical_block_size", UInt64(limits.physicalBlockSize), from: ["topology.physical_block_exp"])
            view.set("minimum_io_size", UInt64(limits.ioMin), from: ["topology.min_io_size"])
            view.set("optimal_io_size", UInt64(limits.ioOpt), from: ["topology.opt_io_size"])
            view.set("discard_max_bytes", UInt64(limits.maxDiscardSectors) << 9, from: ["max_discard_sectors"])
            view.set("discard_granularity", UInt64(limits.discardGranularity), from: ["discard_sector_alignment"])
            view.set("write_zeroes_max_bytes", UInt64(limits.maxWriteZeroesSectors) << 9, from: ["max_write_zeroes_sectors"])
            view.set("write_cache", .text(writeback ? "write back" : "write through"), from: ["writeback"])
            view.set("alignment_offset", UInt64(limits.alignmentOffset), from: ["topology.alignment_offset"])
            view.set("ro", has("RO") ? 1 : 0)
            view.set("queues", UInt64(queues), from: ["num_queues"])
            return view
        }

        /// The probe fails (-EINVAL for every refusal but the device's own): the device is marked FAILED,
        /// no disk appears, and the driver core says so unless the device refused the features
        /// (-ENODEV; drivers/base/dd.c `call_driver_probe`; the guest has one virtio device, virtio0).
        private mutating func failed(_ reason: String, errno: Int = -22) -> DriverResult {
            log.append(reason)
            if let line = LinuxVirtioCore.probeFailedLine(driver: "virtio_blk", device: "virtio0", errno: errno) { log.append(line) }
            var view = DriverView()
            view.set("disk", .text("none"))
            view.log = log
            return .failed(session, reason, unsupported: unsupported, view: view)
        }
    }
}
