import CVirtioHost
import Foundation

/// Several front-ends at once against one server (`serve`, or the interposer): each, on a thread of
/// its own, runs rounds of a well-formed session (features, protocol features, owner, GET_CONFIG of
/// the whole struct, a SET_CONFIG that writes a writable field's own value back) between bursts of
/// malformed messages on connections of their own. Every config a session reads must be `expected`,
/// byte for byte, and every write acknowledged.
public struct ConcurrentLoad: Sendable {
    public let socket: String
    public let expected: [UInt8]
    /// A writable field's offset and size, written back as read; nil for no writes.
    public let writable: (offset: Int, size: Int)?
    public let frontEnds: Int
    public let rounds: Int
    /// Malformed messages in each burst (every fourth round).
    public let burst: Int
    public let seed: UInt64

    public init(socket: String, expected: [UInt8], writable: (offset: Int, size: Int)?, frontEnds: Int, rounds: Int,
                burst: Int = 16, seed: UInt64) {
        self.socket = socket
        self.expected = expected
        self.writable = writable
        self.frontEnds = frontEnds
        self.rounds = rounds
        self.burst = burst
        self.seed = seed
    }

    public struct Result: Sendable {
        public var sessions = 0
        public var malformed = 0
        /// Each broken promise, with the front-end and round it came in.
        public var problems: [String] = []
    }

    /// Runs every front-end to the end (each wait bounded by the clients' timeouts).
    public func run() -> Result {
        final class Total: @unchecked Sendable {
            let lock = NSLock()
            var result = Result()
            func add(_ part: Result) {
                lock.lock()
                result.sessions += part.sessions
                result.malformed += part.malformed
                result.problems += part.problems
                lock.unlock()
            }
        }
        let total = Total()
        let group = DispatchGroup()
        for index in 0..<frontEnds {
            group.enter()
            Thread {
                total.add(self.frontEnd(index))
                group.leave()
            }.start()
        }
        // Every step of a front-end is bounded (the clients' timeouts), so this wait is, too; its own
        // bound is a backstop.
        if group.wait(timeout: .now() + .seconds(60 + 30 * rounds)) == .timedOut {
            total.add(Result(problems: ["the front-ends did not finish in time"]))
        }
        return total.result
    }

    private func frontEnd(_ index: Int) -> Result {
        var result = Result()
        var fuzzer = VhostUserFuzzer(path: socket, seed: seed &+ UInt64(index))
        for round in 0..<rounds {
            if round % 4 == 3 {
                do {
                    let before = fuzzer.sent
                    try fuzzer.run(before + burst)
                    result.malformed += fuzzer.sent - before
                } catch {
                    result.problems.append("front-end \(index), round \(round): malformed traffic: \(error.description)")
                }
                continue
            }
            do {
                try session()
                result.sessions += 1
            } catch {
                result.problems.append("front-end \(index), round \(round): \(error.description)")
            }
        }
        return result
    }

    /// One well-formed session, as QEMU opens one.
    private func session() throws(HostError) {
        let client = try VhostUserClient(connectingTo: socket, timeout: .seconds(10))
        defer { client.close() }
        _ = try client.features()
        let wanted = VhostUserProtocol.Feature.config.mask | VhostUserProtocol.Feature.replyAck.mask
        try client.negotiateProtocolFeatures(wanted)
        try client.setOwner()
        guard let bytes = try client.config(size: expected.count) else {
            throw HostError(.protocolViolation, "GET_CONFIG of \(expected.count) bytes was refused")
        }
        guard bytes == expected else {
            let first = bytes.indices.first { $0 >= expected.count || bytes[$0] != expected[$0] } ?? 0
            throw HostError(.protocolViolation, "GET_CONFIG read byte \(first) as \(bytes[first]), not \(expected[first])")
        }
        if let writable {
            try client.setConfig(offset: writable.offset, bytes: Array(bytes[writable.offset..<writable.offset + writable.size]))
        }
    }
}
