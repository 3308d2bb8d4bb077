import ConfigLayout
import Foundation
import Fuzzing
import VirtioHost
import VirtioModel

/// `cfgspace-bench --fuzz N`: the suite's fuzzers, run long. N hostile layouts, N driver operations
/// per device model, and N malformed vhost-user messages to a server that must then still serve a
/// well-formed client. Reports counts, the slowest layout, and every broken promise.
enum FuzzRun {
    static func run(count: Int, seed: UInt64) -> (report: String, clean: Bool) {
        var lines = ["cfgspace-bench --fuzz \(count) (seed \(seed))"]
        var problems: [String] = []
        let clock = ContinuousClock()

        // Layouts, every kind in turn.
        var mutator = LayoutMutator(corpus: LayoutMutator.builtinCorpus, seed: seed)
        var slowest: [LayoutMutator.Kind: (Double, String)] = [:]
        var accepted = 0
        let layoutsStart = clock.now
        for index in 0..<count {
            let input = mutator.next(index: index)
            let start = clock.now
            let verdict = LayoutVerdict.judge(input.bytes)
            let seconds = Bench.seconds(clock.now - start)
            if verdict.accepted { accepted += 1 }
            if seconds > (slowest[input.kind]?.0 ?? -1) { slowest[input.kind] = (seconds, input.origin) }
            problems += verdict.problems.map { "layout #\(index) (\(input.kind.rawValue) from \(input.origin)): \($0)" }
        }
        lines.append(String(format: "layouts: %d in %.1f s, %d accepted, %d rejected", count,
                            Bench.seconds(clock.now - layoutsStart), accepted, count - accepted))
        for kind in LayoutMutator.Kind.allCases {
            guard let (seconds, origin) = slowest[kind] else { continue }
            lines.append("  slowest \(kind.rawValue): \(formatTime(seconds)) (\(origin))")
        }

        // Driver operations on every model.
        let operationsStart = clock.now
        let models = Self.models()
        for (label, model) in models {
            var random = SplitMix64(seed: seed &+ SplitMix64.seed(label))
            let check = DriverOperationCheck(model: model)
            for index in 0..<count {
                let operation = DriverOperation.random(&random, configSize: model.configSize)
                let found = check.apply(operation)
                if !found.isEmpty {
                    problems += found.map { "\(label), operation #\(index) (\(operation)): \($0)" }
                    break
                }
            }
        }
        lines.append(String(format: "driver operations: %d on each of %d models in %.1f s", count, models.count,
                            Bench.seconds(clock.now - operationsStart)))

        // vhost-user: malformed traffic, then a well-formed probe.
        let vhostStart = clock.now
        do {
            let (sent, closed) = try vhostUser(count: count, seed: seed)
            lines.append(String(format: "vhost-user: %d malformed messages in %.1f s, %d connections closed by the "
                                + "server, which then served a probe correctly", sent, Bench.seconds(clock.now - vhostStart), closed))
        } catch {
            problems.append("vhost-user: \(error)")
        }

        lines.append(problems.isEmpty ? "no broken promises" : "\(problems.count) broken promises:")
        lines += problems.prefix(50).map { "  " + $0 }
        return (lines.joined(separator: "\n") + "\n", problems.isEmpty)
    }

    /// The six net models with their default values, and a model serving every built-in layout.
    private static func models() -> [(String, DeviceModel)] {
        var models: [(String, DeviceModel)] = []
        if let net = try? LayoutLoader().load(argument: "net").devices.first {
            let simulator = Simulator(device: net)
            for kind in simulator.devices {
                guard let prepared = try? simulator.prepare(Scenario(driver: DriverKind.reference(for: net), device: kind)),
                      let model = try? simulator.model(kind, offered: prepared.offered, values: prepared.values,
                                                       trace: Trace(detail: .violations)) else { continue }
                models.append((kind.name, model))
            }
        }
        for name in BuiltinLayouts.names {
            guard let device = (try? LayoutLoader().load(argument: name))?.devices.first else { continue }
            for pastEnd in PastEndPolicy.allCases {
                let offered = FeatureSet(bits: device.allFeatures.map(\.bit))
                guard let model = try? DeviceModel(serving: device, offered: offered, sizing: .qemu, pastEnd: pastEnd,
                                                   trace: Trace(detail: .violations)) else { continue }
                models.append(("\(name) (\(pastEnd.rawValue))", model))
            }
        }
        return models
    }

    private static func vhostUser(count: Int, seed: UInt64) throws -> (sent: Int, closed: Int) {
        let device = try LayoutLoader().load(argument: "blk").devices.first.unwrapped("the built-in blk layout")
        let served = try ServedDevice(device: device, interpretation: .fixed, offered: ServedDevice.defaultFeatures(of: device),
                                      values: [("capacity", .integer(2_097_152))])
        let server = try InProcessServer(served, pinnedTo: nil)
        defer { server.stop() }
        let socket = server.socket
        var fuzzer = VhostUserFuzzer(path: socket, seed: seed)
        try fuzzer.run(count)
        let probe = try VhostUserProbe.run(socket: socket, layout: ("blk", device))
        guard probe.bytes == served.bytes(modern: true) else {
            throw BenchFailure("after the malformed traffic, the probe read \(probe.bytes.count) bytes that differ from the served ones")
        }
        return (fuzzer.sent, fuzzer.closedByServer)
    }
}
