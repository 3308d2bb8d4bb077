import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// The model of Linux 6.1's virtio_blk on configurations built by hand, each expectation worked out
/// from the driver's source (drivers/block/virtio_blk.c, block/blk-settings.c); the guest tests
/// hold the model against the real driver.
@Suite struct LinuxBlkDriverTests {
    private func blk() throws -> Device {
        let loaded = LayoutLoader().load(try #require(BuiltinLayouts.file("blk")).bytes.withPath("(built-in)/blk.layout"))
        return try #require(loaded.devices.first).asOf(nil)
    }

    /// The fixed bytes of a configuration, as a device serving these values presents them.
    private func probe(_ names: String, _ values: [(String, UInt64)], cpus: Int = 2,
                       changed: [(String, UInt64)]? = nil) throws -> DriverPrediction {
        let device = try blk()
        let offered = try device.parseFeatures(names).get()
        func bytes(_ values: [(String, UInt64)]) throws -> [UInt8] {
            let image = try ConfigImage(device: device, interpretation: .fixed, features: offered,
                                        values: values.map { ($0.0, FieldValue.integer($0.1)) })
            return image.bytes(ConfigImage.Encoding(isModern: true, guestIsLittleEndian: true))
        }
        let driver = try #require(DriverKind.named("linux-6.1", for: device))
        return driver.predict(device: device, offered: offered, presented: try bytes(values),
                              changed: try changed.map { try bytes(values + $0) }, cpus: cpus)
    }

    private let everything = "SIZE_MAX,SEG_MAX,BLK_SIZE,FLUSH,TOPOLOGY,CONFIG_WCE,MQ,DISCARD,WRITE_ZEROES,VERSION_1"

    @Test func eachSysValueFollowsTheDriversArithmetic() throws {
        let prediction = try probe(everything, [
            ("capacity", 8_388_608), ("blk_size", 4096), ("topology.physical_block_exp", 3), ("topology.alignment_offset", 1),
            ("topology.min_io_size", 2), ("topology.opt_io_size", 16), ("writeback", 1), ("num_queues", 4),
            ("max_discard_sectors", 0), ("max_discard_seg", 1), ("discard_sector_alignment", 8),
            ("max_write_zeroes_sectors", 2048),
        ])
        let sysfs = prediction.view.texts
        #expect(prediction.view["disk"] == .text("vda"))
        #expect(sysfs["size"] == "8388608")
        #expect(sysfs["logical_block_size"] == "4096")
        #expect(sysfs["physical_block_size"] == "32768")          // 4096 << 3
        #expect(sysfs["alignment_offset"] == "4096")              // 4096 * 1, masked by physical - 1
        #expect(sysfs["minimum_io_size"] == "32768")              // 4096 * 2, raised to the physical block
        #expect(sysfs["optimal_io_size"] == "65536")              // 4096 * 16
        #expect(sysfs["write_cache"] == "write back")
        #expect(sysfs["queues"] == "2")                           // num_queues 4, two CPUs
        #expect(sysfs["discard_max_bytes"] == String(UInt64(UInt32.max) << 9))  // 0 means no limit
        #expect(sysfs["discard_granularity"] == "4096")           // 8 sectors
        #expect(sysfs["write_zeroes_max_bytes"] == "1048576")     // 2048 sectors
        #expect(prediction.view.log == ["2/0/0 default/read/poll queues",
                                              "[vda] 1048576 4096-byte logical blocks (4.29 GB/4.00 GiB)"])
    }

    @Test func theDriverReadsEachFieldAtItsCOffset() throws {
        let prediction = try probe(everything, [("capacity", 1), ("blk_size", 512), ("num_queues", 1)])
        let offsets = Dictionary(prediction.reads.map { ($0.field, $0.offset) }, uniquingKeysWith: { $1 })
        #expect(offsets["blk_size"] == 20)
        #expect(offsets["topology.opt_io_size"] == 28)
        #expect(offsets["writeback"] == 32)
        #expect(offsets["num_queues"] == 34)
        #expect(offsets["max_write_zeroes_sectors"] == 48)
        #expect(offsets["geometry.cylinders"] == nil, "GEOMETRY is not negotiated, so it is not read")
    }

    @Test(arguments: [(UInt64(3000), "0xbb8"), (8192, "0x2000"), (256, "0x100"), (0, "0x0")])
    func anInvalidBlockSizeFailsTheProbe(size: UInt64, hex: String) throws {
        let prediction = try probe(everything, [("capacity", 1), ("blk_size", size), ("num_queues", 1)])
        #expect(prediction.view["disk"] == .text("none"))
        #expect(prediction.failure == "virtio_blk: invalid block size: \(hex)")
        #expect(prediction.view.log.last == "virtio_blk: probe of virtio0 failed with error -22")
    }

    @Test func zeroQueuesUnderMQFailsTheProbe() throws {
        let prediction = try probe(everything, [("capacity", 1), ("blk_size", 512), ("num_queues", 0)])
        #expect(prediction.failure == "MQ advertised but zero queues reported")
    }

    @Test func topologyIsMultipliedInThirtyTwoBits() throws {
        // 4096 * 0x100000 is 2^32: the driver's u32 product is 0, which leaves io_opt alone.
        let prediction = try probe(everything, [("capacity", 1), ("blk_size", 4096), ("num_queues", 1),
                                                ("topology.opt_io_size", 0x10_0000)])
        #expect(prediction.view.texts["optimal_io_size"] == "0")
    }

    @Test func withoutFeaturesTheDefaultsStand() throws {
        let prediction = try probe("VERSION_1,NOTIFY_ON_EMPTY,ANY_LAYOUT,INDIRECT_DESC", [("capacity", 2048)])
        let sysfs = prediction.view.texts
        #expect(sysfs["logical_block_size"] == "512")
        #expect(sysfs["minimum_io_size"] == "512")
        #expect(sysfs["queues"] == "1")
        #expect(sysfs["write_cache"] == "write through")
        #expect(sysfs["discard_max_bytes"] == "0")
        // NOTIFY_ON_EMPTY (24) and ANY_LAYOUT (27) are neither in virtio_blk's table nor kept by the transport.
        let device = try blk()
        #expect(prediction.negotiated == (try device.parseFeatures("VERSION_1,INDIRECT_DESC").get()))
        #expect(prediction.featureBits.count == 64)
        #expect(prediction.view.log.last == "[vda] 2048 512-byte logical blocks (1.05 MB/1.00 MiB)")
    }

    @Test func aResizeLogsTheNewSize() throws {
        let resized = try probe(everything, [("capacity", 2_097_152), ("blk_size", 512), ("num_queues", 1)],
                                changed: [("capacity", 4_194_304)])
        #expect(resized.view.texts["size"] == "4194304")
        #expect(resized.view.log.last == "[vda] new size: 4194304 512-byte logical blocks (2.15 GB/2.00 GiB)")
        #expect(resized.reads.last?.field == "capacity", "the config work reads the capacity again")
    }

    @Test func secureEraseFieldsMayNotBeZero() throws {
        let prediction = try probe(everything + ",SECURE_ERASE", [("capacity", 1), ("blk_size", 512), ("num_queues", 1),
                                                                  ("secure_erase_sector_alignment", 0)])
        #expect(prediction.failure == "virtio_blk: secure_erase_sector_alignment can't be 0")
    }

    /// lib/string_helpers.c string_get_size, worked by hand.
    @Test(arguments: [
        (UInt64(2_097_152), UInt64(512), "1.07 GB", "1.00 GiB"), (262_144, 4096, "1.07 GB", "1.00 GiB"),
        (3, 512, "1.54 kB", "1.50 KiB"), (1, 512, "512 B", "512 B"), (0, 512, "0 B", "0 B"),
        (UInt64.max, 512, "9.44 ZB", "8.00 ZiB"),
    ])
    func sizesAreWrittenAsTheKernelWritesThem(count: UInt64, block: UInt64, decimal: String, binary: String) {
        #expect(KernelSizeString.format(count, blockSize: block, .decimal) == decimal)
        #expect(KernelSizeString.format(count, blockSize: block, .binary) == binary)
    }
}

private extension Array where Element == UInt8 {
    func withPath(_ path: String) -> SourceFile { SourceFile(path: path, bytes: self) }
}
