import ConfigLayout
import Foundation
import Fuzzing
import VirtioHost
import VirtioModel

/// `cfgspace-bench --fuzz N [--messages M]`: the suite's fuzzers, run long. N hostile layouts; N
/// driver operations on every device model, in sequences of up to 32 each from a reset; and the
/// vhost-user run (VhostUserFuzzRun) with M malformed messages (N unless given). Reports counts,
/// times, the slowest layout, and every broken promise.
enum FuzzRun {
    /// The longest driver-operation sequence (each is 1 to this many operations after its reset).
    static let longestSequence = 32

    static func run(count: Int, messages: Int?, seed: UInt64) -> (report: String, clean: Bool) {
        var lines = ["cfgspace-bench --fuzz \(count)" + (messages.map { " --messages \($0)" } ?? "") + " (seed \(seed))"]
        var problems: [String] = []
        let clock = ContinuousClock()
        let start = clock.now
        layouts(count: count, seed: seed, lines: &lines, problems: &problems)
        driverSequences(count: count, seed: seed, lines: &lines, problems: &problems)
        VhostUserFuzzRun.run(messages: messages ?? count, seed: seed, lines: &lines, problems: &problems)
        lines.append(String(format: "wall time: %.1f s", Bench.seconds(clock.now - start)))
        lines.append(problems.isEmpty ? "no broken promises" : "\(problems.count) broken promises:")
        lines += problems.prefix(50).map { "  " + $0 }
        return (lines.joined(separator: "\n") + "\n", problems.isEmpty)
    }

    /// Hostile layouts, every kind in turn.
    private static func layouts(count: Int, seed: UInt64, lines: inout [String], problems: inout [String]) {
        let clock = ContinuousClock()
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
    }

    /// On every model, sequences of a reset and 1 to `longestSequence` random operations, until the
    /// model has taken `count` operations; a model's first broken promise ends its run.
    private static func driverSequences(count: Int, seed: UInt64, lines: inout [String], problems: inout [String]) {
        let clock = ContinuousClock()
        let start = clock.now
        let models = Self.models()
        var sequences = 0
        for (label, model) in models {
            var random = SplitMix64(seed: seed &+ SplitMix64.seed(label))
            let check = DriverOperationCheck(model: model)
            var applied = 0
            run: while applied < count {
                let length = 1 + Int(random.next() % UInt64(longestSequence))
                var steps: [DriverOperation] = [.reset]
                for _ in 0..<min(length, count - applied - 1) {
                    steps.append(DriverOperation.random(&random, configSize: model.configSize))
                }
                sequences += 1
                for (step, operation) in steps.enumerated() {
                    applied += 1
                    let found = check.apply(operation)
                    guard found.isEmpty else {
                        let trail = steps.prefix(step + 1).map(\.description).joined(separator: "; ")
                        problems += found.map { "\(label), sequence #\(sequences) (\(trail)): \($0)" }
                        break run
                    }
                }
            }
        }
        lines.append(String(format: "driver operations: %d on each of %d models, in %d sequences from a reset, in %.1f s",
                            count, models.count, sequences, Bench.seconds(clock.now - start)))
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
}
