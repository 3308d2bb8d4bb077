import Testing
@testable import ConfigLayout
@testable import VirtioModel

/// The model of Linux 6.1's 9pnet_virtio on configurations built by hand, each expectation worked out
/// from net/9p/trans_virtio.c `p9_virtio_probe` and `p9_mount_tag_show`.
@Suite struct P9DriverTests {
    /// A device that offers `features` and presents tag_len (little-endian) and then `tag`.
    private func probe(_ features: String = "MOUNT_TAG,VERSION_1", tagLength: Int? = nil, tag: [UInt8]) throws -> DriverPrediction {
        let device = try LinuxDriverHarness.device("p9")
        let offered = try device.parseFeatures(features).get()
        let length = tagLength ?? tag.count
        let bytes = [UInt8(length & 0xff), UInt8(length >> 8)] + tag
        let driver = try #require(DriverKind.named("linux-6.1", for: device))
        return driver.predict(device: device, offered: offered, presented: bytes)
    }

    private func configReads(_ trace: [TraceEntry]) -> [(offset: Int, width: Int)] {
        trace.compactMap { entry in
            if case .configRead(let offset, let width, _, _, _) = entry.event { return (offset, width) }
            return nil
        }
    }

    @Test func theTagIsReadByteByByteAfterItsLength() throws {
        let prediction = try probe(tag: Array("hosttag".utf8))
        #expect(prediction.failure == nil)
        #expect(prediction.view["mount_tag"] == .text("hosttag"))
        // "hosttag" and its NUL: what `wc -c mount_tag` counts.
        #expect(prediction.view["mount_tag_bytes"] == .number(8))
        let reads = configReads(prediction.trace)
        #expect(reads.first.map { [$0.offset, $0.width] } == [0, 2], "one 16-bit read of tag_len at 0")
        #expect(reads.dropFirst().map(\.offset) == Array(2..<9))
        #expect(reads.dropFirst().allSatisfy { $0.width == 1 }, "virtio_cread_bytes reads one byte at a time")
        // __virtio_cread_many: the generation before the bytes and after them.
        let generations = prediction.trace.indices.filter { if case .generationRead = prediction.trace[$0].event { true } else { false } }
        #expect(generations.count == 2)
        #expect(prediction.log.isEmpty, "9pnet_virtio logs nothing for a device it takes")
    }

    @Test func withoutMountTagTheProbeFailsWithEINVAL() throws {
        let prediction = try probe("VERSION_1", tag: Array("hosttag".utf8))
        #expect(prediction.failure == "MOUNT_TAG is not negotiated")
        #expect(prediction.view.log == ["9pnet_virtio: probe of virtioN failed with error -22"])
        #expect(configReads(prediction.trace).isEmpty, "nothing is read without the feature")
        #expect(prediction.view["mount_tag"] == nil)
    }

    @Test func aNulCutsTheTagAndAnEmptyTagIsTaken() throws {
        let cut = try probe(tag: [0x61, 0x62, 0, 0x63, 0x64])
        #expect(cut.view["mount_tag"] == .text("ab"))
        #expect(cut.view["mount_tag_bytes"] == .number(3))
        #expect(cut.reads.last?.bytes == [0x61, 0x62, 0, 0x63, 0x64], "all tag_len bytes are read")
        let empty = try probe(tag: [])
        #expect(empty.failure == nil)
        #expect(empty.view["mount_tag"] == .text(""))
        #expect(empty.view["mount_tag_bytes"] == .number(1))
    }

    /// tag_len is not bounded: past the config the driver reads QEMU's all-ones, and past the page
    /// virtio-pci maps it hits vp_get's BUG_ON.
    @Test func tagLenIsNeverChecked() throws {
        let past = try probe(tagLength: 5, tag: Array("abc".utf8))
        #expect(past.failure == nil)
        #expect(past.reads.last?.bytes == [0x61, 0x62, 0x63, 0xff, 0xff])
        let bug = try probe(tagLength: 4095, tag: Array("abc".utf8))
        #expect(bug.failure?.hasPrefix("kernel BUG at drivers/virtio/virtio_pci_modern.c:76") == true)
        #expect(bug.view.log.count == 1, "an oops, not a failed probe the driver core reports")
        #expect(configReads(bug.trace).count == 1, "only tag_len was read")
        let edge = try probe(tagLength: 4094, tag: [])
        #expect(edge.failure == nil, "2 + 4094 bytes end exactly at the page")
    }

    /// Both fields are `valid if MOUNT_TAG`, so packed and fixed put them in the same place.
    @Test func packedAndFixedAgreeOnEveryFieldTheDriverReads() throws {
        let device = try LinuxDriverHarness.device("p9")
        for features in ["MOUNT_TAG,VERSION_1", "VERSION_1"] {
            let offered = try device.parseFeatures(features).get()
            let fixed = Layout(device: device, features: offered, interpretation: .fixed)
            let packed = Layout(device: device, features: offered, interpretation: .packed)
            for field in ["tag_len", "tag"] { #expect(fixed.field(field)?.offset == packed.field(field)?.offset) }
        }
    }

    /// `simulate --layout p9`: the qemu model serves its default tag in a config of 2 + strlen(tag).
    @Test func theQEMUModelServesTheTagItHolds() throws {
        let outcome = try linuxOutcome("p9", [("tag_len", "7"), ("tag", "hosttag")])
        #expect(outcome.probeFailure == nil)
        #expect(outcome.view["mount_tag"] == .text("hosttag"))
        #expect(outcome.configSize == 9)
        let defaults = try linuxOutcome("p9")
        #expect(defaults.view["mount_tag"] == .text("cfgspace"))
    }
}

extension DriverPrediction {
    /// The driver's log lines.
    var log: [String] { view.log }
}

/// A device type's Linux 6.1 model on the qemu model with its defaults and `values`.
func linuxOutcome(_ layout: String, _ values: [(String, String)] = [], features: String? = nil) throws -> Outcome {
    let device = try LinuxDriverHarness.device(layout)
    let driver = try #require(DriverKind.named("linux-6.1", for: device))
    let offered = try features.map { try FeatureSelection.parse($0, for: device).get() } ?? .defaults
    return try Simulator(device: device).run(Scenario(driver: driver, device: .qemu, features: offered,
                                                      values: values.map { (field: $0.0, text: $0.1) }))
}
