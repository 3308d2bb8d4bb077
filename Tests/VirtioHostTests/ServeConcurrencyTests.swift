import CVirtioHost
import Foundation
import Testing
import TestSupport
import ConfigLayout
import VirtioModel
@testable import VirtioHost

/// Several front-ends on one `serve` at once: none waits for another, and all see one device.
@Suite struct ServeConcurrencyTests {
    /// A client that says nothing, and one that stops inside a header, hold no one up: a probe is
    /// answered while both are still connected, and the stalled message is dropped with a log line
    /// naming its connection.
    @Test func silentAndStalledClientsBlockNoOne() throws {
        let served = try VhostUserServeTests.blkServed()
        let fixture = try ServeFixture(served, label: "idle")
        defer { fixture.close() }
        let silent = try TestFrontEnd(fixture.socketPath)
        defer { silent.close() }
        let stalled = try TestFrontEnd(fixture.socketPath)
        defer { stalled.close() }
        try stalled.channel.socket.send([1, 0, 0, 0, 1], until: Deadline(in: .seconds(1)), what: "serve")
        let result = try VhostUserProbe.run(socket: fixture.socketPath, layout: ("blk", served.device), timeout: .seconds(4))
        #expect(result.bytes == served.bytes(modern: true))
        #expect(try silent.u64(.getFeatures) == served.offered.words[0] | 1 << 30)
        #expect(fixture.waitFor("connection 2: closing"), "\(fixture.log)")
    }

    /// Forty front-ends connected at once are all answered.
    @Test func manyFrontEndsAreServedAtOnce() throws {
        let served = try VhostUserServeTests.blkServed()
        let fixture = try ServeFixture(served, label: "many")
        defer { fixture.close() }
        let frontEnds = try (0..<40).map { _ in try TestFrontEnd(fixture.socketPath) }
        defer { frontEnds.forEach { $0.close() } }
        for frontEnd in frontEnds.reversed() {
            try frontEnd.negotiate([.config])
            #expect(try frontEnd.config(size: 8) == ConfigImage.integerBytes(123_456, width: 8))
        }
    }

    /// One device for everyone: a `set` on standard input reaches every connected front-end as a
    /// config change, and a driver's write through one front-end changes what the others read, and
    /// tells them.
    @Test func everyFrontEndSeesOneDevice() throws {
        let served = try VhostUserServeTests.blkServed()
        let fixture = try ServeFixture(served, label: "shared")
        defer { fixture.close() }
        let frontEnds = try (0..<3).map { _ in try TestFrontEnd(fixture.socketPath) }
        defer { frontEnds.forEach { $0.close() } }
        for frontEnd in frontEnds {
            try frontEnd.negotiate([.config, .replyAck, .backendRequests])
            try frontEnd.giveBackendChannel()
        }
        try fixture.command("set capacity=42")
        for frontEnd in frontEnds {
            #expect(try frontEnd.backendRequest()?.request == VhostUserProtocol.BackendRequest.configChange.rawValue)
            #expect(try frontEnd.config(size: 8) == ConfigImage.integerBytes(42, width: 8))
        }
        let wce = try #require(Layout(device: served.device, features: served.offered, interpretation: .fixed)
            .field("writeback")?.offset)
        #expect(try frontEnds[0].setConfig(offset: wce, bytes: [1]) == 0)
        for frontEnd in frontEnds.dropFirst() {
            #expect(try frontEnd.backendRequest()?.request == VhostUserProtocol.BackendRequest.configChange.rawValue)
            #expect(try frontEnd.config(offset: wce, size: 1) == [1])
        }
        #expect(fixture.waitFor("acknowledged: ok"))
    }

    /// Past the most connections serve holds at once, a new one is closed at once and the log says
    /// why; the ones already open go on.
    @Test func connectionsPastTheLimitAreRefusedAndSaidSo() throws {
        let served = try VhostUserServeTests.blkServed()
        let fixture = try ServeFixture(served, label: "limit")
        defer { fixture.close() }
        let limit = VhostUserServer.maximumConnections
        let held = try (0..<limit).map { _ in try TestFrontEnd(fixture.socketPath) }
        defer { held.forEach { $0.close() } }
        #expect(try held[limit - 1].u64(.getQueueNum) == 8)
        let extra = try TestFrontEnd(fixture.socketPath)
        #expect(extra.isClosedByPeer())
        #expect(fixture.waitFor("connection \(limit + 1) refused: \(limit) connections are open"), "\(fixture.log.suffix(3))")
        #expect(try held[0].u64(.getQueueNum) == 8)
    }

    /// Several front-ends at once through the interposer, between bursts of malformed messages: every
    /// session reads the interposer's packed bytes, and every connection is gone once they are done.
    @Test func theInterposerHoldsUpUnderSeveralFrontEnds() throws {
        let pair = try InterposedServe(.packed, label: "load")
        defer { pair.close() }
        let result = ConcurrentLoad(socket: pair.interposer.socketPath, expected: try pair.expected(), writable: nil,
                                    frontEnds: 6, rounds: 12, seed: 5).run()
        #expect(result.problems.isEmpty, "\(result.problems.prefix(5))")
        #expect(result.sessions == 6 * 9)
        #expect(result.malformed >= 6 * 3 * 16)
        #expect(ProcessTable.eventually(within: 10) {
            pair.interposer.server.openConnections == 0 && pair.upstream.server.openConnections == 0
        })
    }
}
