import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// The core serves any layout: the rules that net never exercises, on the devices that have them.
@Suite struct GenericCoreTests {
    private func load(_ name: String) throws -> Device {
        let loaded = try LayoutLoader().load(path: PackagePaths.layout("\(name).layout").path)
        return try #require(loaded.devices.first).asOf(nil)
    }

    private func negotiate(_ subject: DeviceModel, _ features: FeatureSet) {
        subject.writeStatus([.acknowledge])
        subject.writeStatus([.acknowledge, .driver])
        for select in 0..<2 { subject.writeDriverFeatureWindow(select, features.window(select)) }
    }

    @Test func blkWritebackIsReadableOnlyAfterFeaturesOK() throws {
        let blk = try load("blk")
        let offered = try blk.parseFeatures("FLUSH,CONFIG_WCE,VERSION_1").get()
        let trace = Trace()
        let subject = try DeviceModel(serving: blk, offered: offered, values: [("writeback", .integer(1))], trace: trace)
        let offset = try #require(subject.image.field("writeback")?.offset)
        var byte: [UInt8] = [0]
        negotiate(subject, offered)
        subject.readConfig(offset: offset, into: &byte, field: "writeback")
        #expect(trace.rules() == [.readsBeforeFeaturesOK])
        #expect(byte == [1])
        subject.writeStatus([.acknowledge, .driver, .featuresOK])
        subject.readConfig(offset: offset, into: &byte, field: "writeback")
        #expect(trace.violations.count == 1)
        // writeback is driver-writable: a 1-byte write after FEATURES_OK takes effect.
        subject.writeConfig(offset: offset, bytes: [0], field: "writeback")
        #expect(subject.image.value("writeback") == .integer(0))
        #expect(trace.violations.count == 1)
    }

    @Test func balloonFieldsKeyedToNegotiationAndWritableWindows() throws {
        let balloon = try load("balloon")
        let offered = try balloon.parseFeatures("FREE_PAGE_HINT,PAGE_POISON,VERSION_1").get()
        let trace = Trace()
        let subject = try DeviceModel(serving: balloon, offered: offered, values: [("num_pages", .integer(256))], trace: trace)
        let layout = subject.image.layout
        let hint = try #require(layout.field("free_page_hint_cmd_id")?.offset)
        let poison = try #require(layout.field("poison_val")?.offset)
        let actual = try #require(layout.field("actual")?.offset)
        let pages = try #require(layout.field("num_pages")?.offset)
        var word: [UInt8] = [0, 0, 0, 0]

        // free_page_hint_cmd_id exists once FREE_PAGE_HINT is negotiated, not merely offered.
        subject.readConfig(offset: hint, into: &word, field: "free_page_hint_cmd_id")
        #expect(trace.rules() == [.readsUnnegotiatedField])
        negotiate(subject, offered)
        subject.writeStatus([.acknowledge, .driver, .featuresOK])
        subject.readConfig(offset: hint, into: &word, field: "free_page_hint_cmd_id")
        #expect(trace.violations.count == 1)

        // actual is writable (le32, whatever the byte order); num_pages is not; poison_val only before DRIVER_OK.
        subject.writeConfig(offset: actual, bytes: [0x10, 0, 0, 0], field: "actual")
        #expect(subject.image.value("actual") == .integer(16))
        subject.writeConfig(offset: pages, bytes: [0, 0, 0, 0], field: "num_pages")
        #expect(subject.image.value("num_pages") == .integer(256))
        subject.writeConfig(offset: poison, bytes: [0xaa, 0, 0, 0], field: "poison_val")
        #expect(subject.image.value("poison_val") == .integer(0xaa))
        subject.writeStatus([.acknowledge, .driver, .featuresOK, .driverOK])
        subject.writeConfig(offset: poison, bytes: [0xbb, 0, 0, 0], field: "poison_val")
        #expect(subject.image.value("poison_val") == .integer(0xaa))
        #expect(trace.violations.map(\.detail).filter { $0.hasPrefix("wrote") } == [
            "wrote num_pages, which is read-only",
            "wrote poison_val after DRIVER_OK, when it is no longer writable",
        ])
    }

    @Test func everyLayoutServesEveryFieldItPlaces() throws {
        // Each device of Layouts/, under all its features, serves every placed field's bytes back.
        for name in ["blk", "console", "balloon", "scsi", "gpu", "input", "crypto", "vsock", "fs", "iommu", "sound",
                     "mem", "gpio", "pmem", "can", "spi", "media", "rpmb"] {
            let device = try load(name)
            let offered = try device.parseFeatures("all").get()
            let subject = try DeviceModel(serving: device, offered: offered, trace: Trace())
            for placed in subject.image.layout.fields {
                guard let offset = placed.offset else { continue }
                var buffer = [UInt8](repeating: 0x5a, count: placed.size)
                #expect(subject.readConfig(offset: offset, into: &buffer, field: placed.path) == .served, "\(name).\(placed.path)")
                #expect(buffer.allSatisfy { $0 == 0 }, "\(name).\(placed.path)")
            }
        }
    }
}
