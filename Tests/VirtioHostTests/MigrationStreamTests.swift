import Testing
import TestSupport
@testable import VirtioHost

/// The config length read from a migration stream, on streams built the way virtio_save writes them.
@Suite struct MigrationStreamTests {
    /// A section header for `idstr`, some transport state, then virtio_save's fields and the config.
    static func stream(idstr: String, status: UInt8, features: UInt32, config: [UInt8], noise: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = [0x51, 0x45, 0x56, 0x4d] + [UInt8](repeating: 0, count: 40)
        bytes += [4, 0, 0, 0, 9, UInt8(idstr.utf8.count)] + Array(idstr.utf8) + [0, 0, 0, 0, 0, 0, 0, 11]
        bytes += noise + [UInt8](repeating: 0xab, count: 300)  // the PCI state before virtio's own
        bytes += [status, 0, 0, 0]
        bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: features >> UInt32($0)) }
        bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: UInt32(config.count) >> UInt32($0)) }
        return bytes + config + [3, 0, 0, 0] + [UInt8](repeating: 0, count: 64)
    }

    @Test func findsTheLengthWhereEverythingLinesUp() {
        // net with speed and an unknown duplex: the last byte inside the config is 0xff.
        let config: [UInt8] = [0x52, 0x54, 0, 0x12, 0x34, 0x56, 1, 0, 1, 0, 0, 0, 0xc4, 9, 0, 0, 0xff]
        let stream = Self.stream(idstr: "0000:00:02.0/virtio-net", status: 0x0b, features: 0x30bf_802c, config: config)
        let served = config + [UInt8](repeating: 0xff, count: 20)
        let length = MigrationStream.configLength(in: stream, idPrefix: "0000:00:02.0/", status: 0x0b,
                                                  featuresLow: 0x30bf_802c, served: served, atLeast: 16)
        #expect(length == 17)
    }

    @Test func aMismatchedStatusOrFeatureWordFindsNothing() {
        let config: [UInt8] = [1, 2, 3, 4]
        let stream = Self.stream(idstr: "0000:00:03.0/virtio-blk", status: 0x0b, features: 7, config: config)
        #expect(MigrationStream.configLength(in: stream, idPrefix: "0000:00:03.0/", status: 0x03, featuresLow: 7,
                                             served: config, atLeast: 4) == nil)
        #expect(MigrationStream.configLength(in: stream, idPrefix: "0000:00:03.0/", status: 0x0b, featuresLow: 6,
                                             served: config, atLeast: 4) == nil)
    }

    @Test func bytesThatDifferFromWhatWasReadFindNothing() {
        let stream = Self.stream(idstr: "0000:00:02.0/virtio-net", status: 0x0b, features: 1, config: [1, 2, 3])
        #expect(MigrationStream.configLength(in: stream, idPrefix: "0000:00:02.0/", status: 0x0b, featuresLow: 1,
                                             served: [1, 2, 4, 0xff], atLeast: 3) == nil)
    }

    @Test func aStreamWithoutTheSectionIsSearchedWhole() {
        let stream = Self.stream(idstr: "virtio-mmio@feb00000/virtio-net", status: 0x0b, features: 1, config: [9, 9])
        #expect(MigrationStream.configLength(in: stream, idPrefix: "0000:00:02.0/", status: 0x0b, featuresLow: 1,
                                             served: [9, 9, 0xff], atLeast: 2) == 2)
    }

    @Test func garbageNeverCrashes() {
        var generator = SeededGenerator(seed: 0x5eed)
        for length in [0, 1, 5, 8, 13, 200] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = MigrationStream.configLength(in: bytes, idPrefix: "0000:00:02.0/", status: 0, featuresLow: 0,
                                             served: [], atLeast: 0)
        }
    }
}
