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
        #expect(RenderingCheck.problems(VhostUserProbeReport(result: result)) == [])
    }

    @Test func setConfigTakesWritableFieldsOnly() throws {
        let served = try Self.blkServed()
        let fixture = try ServeFixture(served, label: "setconfig")
        defer { fixture.close() }
        let client = try VhostUserClient(connectingTo: fixture.socketPath)
        defer { client.close() }
        _ = try client.features()
        try client.negotiateProtocolFeatures(VhostUserProtocol.spoken)
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
        // Most malformed messages close the connection, and the fuzzer must see each close: sent
        // ahead of the server's thread, it once counted almost none (cfgspace-bench --fuzz).
        #expect(fuzzer.closedByServer > fuzzer.sent / 2, "seed \(seed): \(fuzzer.closedByServer) of \(fuzzer.sent) closed")
        let result = try VhostUserProbe.run(socket: fixture.socketPath, layout: ("blk", served.device))
        #expect(result.bytes == served.bytes(modern: true))
    }

    @Test func theInterposerSurvivesMalformedTraffic() throws {
        let pair = try InterposedServe(.packed, label: "fuzz")
        defer { pair.close() }
        var fuzzer = VhostUserFuzzer(path: pair.interposer.socketPath, seed: 99)
        try fuzzer.run(2000)
        let result = try VhostUserProbe.run(socket: pair.interposer.socketPath, layout: ("blk", pair.settings.device))
        // The packed bytes, then zeros to the struct's end.
        #expect(result.bytes == (try pair.expected()))
    }

    /// The interposer answers GET_CONFIG with the upstream's values whatever the front-end asked
    /// before: nothing, or features alone. It learns what it needs from the upstream itself.
    @Test(arguments: [[], [VhostUserProtocol.Request.getFeatures]])
    func theInterposerAnswersConfigBeforeAnyNegotiation(first: [VhostUserProtocol.Request]) throws {
        let pair = try InterposedServe(.fixed, label: "early")
        defer { pair.close() }
        let frontEnd = try TestFrontEnd(pair.interposer.socketPath)
        for request in first { _ = try frontEnd.call(request) }
        #expect(try frontEnd.config(size: pair.served.structSize) == pair.served.bytes(modern: true),
                "\(pair.interposer.log.suffix(3))")
    }

    /// SET_PROTOCOL_FEATURES with no GET_PROTOCOL_FEATURES before it: the interposer agrees with the
    /// upstream on what both offer, so a write asking for an acknowledgement gets one.
    @Test func theInterposerAgreesProtocolFeaturesItWasNotAskedFor() throws {
        let pair = try InterposedServe(.fixed, label: "set")
        defer { pair.close() }
        let frontEnd = try TestFrontEnd(pair.interposer.socketPath)
        _ = try frontEnd.call(.getFeatures)
        let wanted = VhostUserProtocol.Feature.config.mask | VhostUserProtocol.Feature.replyAck.mask
        try frontEnd.send(.setProtocolFeatures, wanted.bytes)
        let wce = try #require(Layout(device: pair.served.device, features: pair.served.offered, interpretation: .fixed)
            .field("writeback")?.offset)
        #expect(try frontEnd.setConfig(offset: wce, bytes: [1]) == 0)
        #expect(pair.upstream.waitFor("wrote writeback"), "\(pair.upstream.log.suffix(3))")
    }

    /// The interposer builds the device it serves from any built-in layout's config, under either
    /// interpretation. (The long fuzz run once gave it blk's layout unversioned, whose two unused0
    /// fields, one per spec version, could not both take the upstream's bytes.)
    @Test func theInterposerTakesEveryBuiltInLayoutsConfig() throws {
        // transport declares shared features and no device.
        for name in BuiltinLayouts.names {
            guard let device = try LayoutLoader().load(path: BuiltinLayouts.path(of: name)).devices.first?.asOf(nil) else { continue }
            let offered = ServedDevice.defaultFeatures(of: device)
            let upstream = try ServedDevice(device: device, interpretation: .fixed, offered: offered, values: [])
            for interpretation in Interpretation.allCases {
                let settings = try ServedDevice(device: device, interpretation: interpretation, offered: FeatureSet(), values: [])
                let built = try Interposer.frontendDevice(upstreamConfig: upstream.bytes(modern: true), offered: offered,
                                                          settings: settings)
                #expect(built.offered == offered, "\(name), \(interpretation)")
                #expect(built.structSize == upstream.structSize, "\(name), \(interpretation)")
            }
        }
    }
}
