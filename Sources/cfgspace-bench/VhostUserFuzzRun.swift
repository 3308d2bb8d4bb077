import ConfigLayout
import Foundation
import VirtioHost
import VirtioModel

/// The vhost-user part of `cfgspace-bench --fuzz`: malformed messages to `serve` and to the
/// interposer in front of it, each of which must then serve a probe correctly; then several
/// front-ends at once against each, between bursts of malformed messages, every config they read
/// the right one. At the end this process holds no descriptor more than it did before.
enum VhostUserFuzzRun {
    /// Front-ends at once in the load runs.
    static let frontEnds = 8

    static func run(messages: Int, seed: UInt64, lines: inout [String], problems: inout [String]) {
        TemporaryFolder.prepare()
        let descriptorsBefore = openDescriptors()
        do {
            let device = try LayoutLoader().load(argument: "blk").devices.first.unwrapped("the built-in blk layout").asOf(nil)
            let served = try ServedDevice(device: device, interpretation: .fixed, offered: ServedDevice.defaultFeatures(of: device),
                                          values: [("capacity", .integer(2_097_152)), ("blk_size", .integer(4096))])
            let expected = served.bytes(modern: true)
            let upstream = try InProcessServer(served, pinnedTo: nil)
            defer { upstream.stop() }
            // The interposer serves the upstream's values, packed: the bytes move, zeros to the struct's end.
            let settings = try ServedDevice(device: device, interpretation: .packed, offered: FeatureSet(), values: [])
            let interposer = try InProcessServer(pinnedTo: nil) { path in
                try VhostUserServer(path: path, upstream: upstream.socket, served: settings, log: .silent)
            }
            defer { interposer.stop() }
            var packed = try Interposer.frontendDevice(upstreamConfig: expected, offered: served.offered, settings: settings)
                .bytes(modern: true)
            packed += [UInt8](repeating: 0, count: max(0, expected.count - packed.count))

            for (name, server, bytes) in [("serve", upstream, expected), ("the interposer", interposer, packed)] {
                let clock = ContinuousClock()
                let start = clock.now
                var fuzzer = VhostUserFuzzer(path: server.socket, seed: seed)
                try fuzzer.run(messages)
                let probe = try VhostUserProbe.run(socket: server.socket, layout: ("blk", device))
                if probe.bytes != bytes {
                    problems.append("\(name): after the malformed traffic, a probe read bytes that differ from the served ones")
                }
                lines.append(String(format: "vhost-user, %@: %d malformed messages in %.1f s, %d connections closed by "
                                    + "it; then a probe read it correctly", name, fuzzer.sent, Bench.seconds(clock.now - start),
                                    fuzzer.closedByServer))
            }
            let writeback = Layout(device: device, features: served.offered, interpretation: .fixed).field("writeback")
            for (name, server, bytes, writable) in [
                ("serve", upstream, expected, writeback?.offset.map { ($0, 1) }),
                ("the interposer", interposer, packed, nil as (Int, Int)?),
            ] {
                let rounds = max(8, messages / frontEnds / 10)
                let clock = ContinuousClock()
                let start = clock.now
                let load = ConcurrentLoad(socket: server.socket, expected: bytes, writable: writable, frontEnds: frontEnds,
                                          rounds: rounds, seed: seed)
                let result = load.run()
                problems += result.problems.map { "\(name), under load: \($0)" }
                lines.append(String(format: "vhost-user, %@ under load: %d front-ends at once, %d sessions read the right "
                                    + "config and %d malformed messages between them, in %.1f s", name, frontEnds,
                                    result.sessions, result.malformed, Bench.seconds(clock.now - start)))
            }
            for (name, server) in [("serve", upstream), ("the interposer", interposer)] {
                let deadline = Deadline(in: .seconds(10))
                while server.server.openConnections > 0 && !deadline.hasPassed { usleep(10_000) }
                if server.server.openConnections > 0 {
                    problems.append("\(name): \(server.server.openConnections) connections still open after every client closed")
                }
            }
        } catch {
            problems.append("vhost-user: \(error)")
        }
        // The servers' threads let go of their last descriptors as they end, just after they say so.
        var descriptorsAfter = openDescriptors()
        let settled = Deadline(in: .seconds(5))
        while descriptorsAfter > descriptorsBefore && !settled.hasPassed {
            usleep(10_000)
            descriptorsAfter = openDescriptors()
        }
        if descriptorsAfter > descriptorsBefore {
            problems.append("vhost-user: \(descriptorsAfter - descriptorsBefore) descriptors more open than before the run")
        }
        lines.append("vhost-user: \(descriptorsBefore) descriptors open before, \(descriptorsAfter) after")
    }

    /// This process's open descriptors, from /proc/self/fd.
    private static func openDescriptors() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).count
    }
}
