import Foundation
import Testing
import TestSupport
import ConfigLayout
import VirtioModel
@testable import VirtioHost
import Rendering

/// `cfgspace serve` and the interposer without QEMU: a round trip through `probe vhost-user`, the
/// refusals the protocol asks for, and thousands of malformed messages that must not knock them over.
@Suite struct VhostUserServeTests {
    static func blkServed(_ interpretation: Interpretation = .fixed) throws -> ServedDevice {
        let device = try ServeQEMUTests.blk()
        return try ServedDevice(device: device, interpretation: interpretation,
                                offered: try device.parseFeatures("SIZE_MAX,SEG_MAX,BLK_SIZE,CONFIG_WCE,MQ,VERSION_1").get(),
                                values: [("capacity", .integer(123_456)), ("blk_size", .integer(4096)), ("num_queues", .integer(3))])
    }

    @Test func probeRoundTripsThroughServe() throws {
        let served = try Self.blkServed()
        let fixture = try ServeFixture(served, label: "roundtrip")
        defer { fixture.close() }
        let result = try VhostUserProbe.run(socket: fixture.socketPath, layout: ("blk", served.device))
        #expect(result.offered == served.offered)
        #expect(result.bytes == served.bytes(modern: true))
        #expect(result.configSize == served.structSize)
        #expect(result.queues == 8)
        #expect(result.fields.first { $0.path == "capacity" }?.value == .integer(123_456))
        #expect(result.agrees)
        // Its report's text and Markdown come from one document and carry the same facts.
        let report = VhostUserProbeReport(result: result)
        let document = report.document()
        #expect(report.render(.text) == document.text(style: .plain) && report.render(.markdown) == document.markdown())
        #expect(RenderingCheck.missing(document.spans.map(\.text), text: report.render(.text),
                                       markdown: report.render(.markdown)) == [])
    }

    @Test func setConfigTakesWritableFieldsOnly() throws {
        let served = try Self.blkServed()
        let fixture = try ServeFixture(served, label: "setconfig")
        defer { fixture.close() }
        let client = try VhostUserClient(connectingTo: fixture.socketPath)
        defer { client.close() }
        _ = try client.features()
        try client.negotiateProtocolFeatures(VhostUserSession.offeredProtocolFeatures)
        let layout = Layout(device: served.device, features: served.offered, interpretation: .fixed)
        let wce = try #require(layout.field("writeback")?.offset)
        try client.setConfig(offset: wce, bytes: [1])
        #expect(try client.config(offset: wce, size: 1) == [1])
        // capacity is read-only: refused, and the reply says so (REPLY_ACK).
        #expect(throws: HostError.self) { try client.setConfig(offset: 0, bytes: [1, 2, 3, 4, 5, 6, 7, 8]) }
        #expect(try client.config(offset: 0, size: 8) == ConfigImage.integerBytes(123_456, width: 8))
        // Past the struct: libvhost-user's error, an empty payload.
        #expect(try client.config(offset: 0, size: served.structSize + 1) == nil)
    }

    /// Thousands of malformed messages from a fixed seed: the server stays up and then serves a
    /// well-formed client correctly.
    @Test(arguments: [1, 2021])
    func serveSurvivesMalformedTraffic(seed: UInt64) throws {
        let served = try Self.blkServed()
        let fixture = try ServeFixture(served, label: "fuzz-serve")
        defer { fixture.close() }
        var fuzzer = VhostUserFuzzer(path: fixture.socketPath, seed: seed)
        try fuzzer.run(3000)
        #expect(fuzzer.closedByServer > 100)
        let result = try VhostUserProbe.run(socket: fixture.socketPath, layout: ("blk", served.device))
        #expect(result.bytes == served.bytes(modern: true))
    }

    @Test func theInterposerSurvivesMalformedTraffic() throws {
        let upstream = try ServeFixture(try Self.blkServed(), label: "fuzz-upstream")
        defer { upstream.close() }
        let settings = try ServedDevice(device: try ServeQEMUTests.blk(), interpretation: .packed, offered: FeatureSet(), values: [])
        let interposer = try ServeFixture(settings, label: "fuzz-interposer", upstream: upstream.socketPath)
        defer { interposer.close() }
        var fuzzer = VhostUserFuzzer(path: interposer.socketPath, seed: 99)
        try fuzzer.run(2000)
        let result = try VhostUserProbe.run(socket: interposer.socketPath, layout: ("blk", settings.device))
        let expected = try ServedDevice(device: settings.device, interpretation: .packed, offered: try Self.blkServed().offered,
                                        values: [("capacity", .integer(123_456)), ("blk_size", .integer(4096)), ("num_queues", .integer(3))])
        // The packed bytes, then zeros to the struct's end.
        let packed = expected.bytes(modern: true)
        #expect(Array(result.bytes.prefix(packed.count)) == packed)
        #expect(result.bytes.dropFirst(packed.count).allSatisfy { $0 == 0 })
    }
}
