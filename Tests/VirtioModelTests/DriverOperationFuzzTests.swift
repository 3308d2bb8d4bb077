import ConfigLayout
import Fuzzing
import Testing
import TestSupport
@testable import VirtioModel

/// Random driver operations against every device model: the six net models and a model serving
/// every built-in layout (fixed and packed, each past-end policy), with the promises of
/// `DriverOperationCheck` held after every operation; and twins, one recording every access and
/// one only violations (whose reads in a steady state skip the rules), held to the same answers.
@Suite struct DriverOperationFuzzTests {
    static let operationsPerModel = 400
    static let twinEpisodes = 60
    static let operationsPerEpisode = 30

    private func fuzz(_ model: DeviceModel, seed: UInt64, label: String) {
        var random = SplitMix64(seed: seed)
        let check = DriverOperationCheck(model: model)
        var history: [String] = []
        for _ in 0..<Self.operationsPerModel {
            let operation = DriverOperation.random(&random, configSize: model.configSize)
            history.append(operation.description)
            let problems = check.apply(operation)
            if !problems.isEmpty {
                Issue.record("\(label): \(problems) after \(history.suffix(6).joined(separator: "; "))")
                return
            }
        }
    }

    @Test(arguments: DeviceKind.netKinds)
    func netModels(_ kind: DeviceKind) throws {
        let device = try netDevice()
        let policies: [PastEndPolicy?] = [nil] + PastEndPolicy.allCases
        for (index, pastEnd) in policies.enumerated() {
            let (model, _) = try model(kind, of: device, pastEnd: pastEnd)
            fuzz(model, seed: SplitMix64.seed(kind.name) &+ UInt64(index), label: "\(kind.name) past end \(pastEnd?.rawValue ?? "default")")
        }
    }

    @Test(arguments: BuiltinLayouts.names.filter { $0 != "transport" })
    func servedLayouts(_ name: String) throws {
        let loaded = try LayoutLoader().load(argument: name)
        for device in loaded.devices {
            let offered = FeatureSet(bits: device.allFeatures.map(\.bit))
            for interpretation in Interpretation.allCases {
                for pastEnd in PastEndPolicy.allCases {
                    let model = try DeviceModel(serving: device, offered: offered, interpretation: interpretation,
                                                sizing: .qemu, pastEnd: pastEnd, trace: Trace(detail: .violations))
                    fuzz(model, seed: SplitMix64.seed(name + interpretation.rawValue + pastEnd.rawValue),
                         label: "\(name) \(interpretation.rawValue) past end \(pastEnd.rawValue)")
                }
            }
        }
    }

    /// Applies the same operations to pairs of models that differ only in what their traces keep;
    /// every read must serve the same bytes with the same outcome, and the violations must be the
    /// same. A trace keeps each violation once, so the pairs are made afresh every few operations,
    /// and a violation skipped anywhere is a violation missing from the list.
    private func twins(seed: UInt64, label: String, _ make: (Trace.Detail) throws -> DeviceModel) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<Self.twinEpisodes {
            let everything = try make(.everything), violations = try make(.violations)
            var history: [String] = []
            for _ in 0..<Self.operationsPerEpisode {
                // Reads come in runs, as a driver makes them, so most land in a steady state.
                let operation = DriverOperation.random(&random, configSize: everything.configSize)
                let repeats = if case .read = operation { 1 + Int(random.next() % 4) } else { 1 }
                history.append(operation.description + (repeats > 1 ? " ×\(repeats)" : ""))
                for _ in 0..<repeats {
                    if case .read(let offset, let width) = operation {
                        var left = [UInt8](repeating: 0x5A, count: width), right = left
                        let outcomes = (everything.readConfig(offset: offset, into: &left, field: nil),
                                        violations.readConfig(offset: offset, into: &right, field: nil))
                        guard outcomes.0 == outcomes.1, left == right else {
                            let after = history.suffix(6).joined(separator: "; ")
                            Issue.record("\(label): \(outcomes.0) \(left) beside \(outcomes.1) \(right) after \(after)")
                            return
                        }
                    } else {
                        _ = DriverOperationCheck(model: everything).apply(operation)
                        _ = DriverOperationCheck(model: violations).apply(operation)
                    }
                }
                let seen = (everything.trace.violations, violations.trace.violations)
                guard seen.0 == seen.1 else {
                    let after = history.suffix(6).joined(separator: "; ")
                    Issue.record("\(label): violations differ after \(after): \(seen.0.suffix(2)) beside \(seen.1.suffix(2))")
                    return
                }
            }
        }
    }

    @Test(arguments: DeviceKind.netKinds)
    func twinNetModelsAgree(_ kind: DeviceKind) throws {
        let device = try netDevice()
        try twins(seed: SplitMix64.seed("twins " + kind.name), label: kind.name) { try model(kind, of: device, detail: $0).0 }
    }

    @Test(arguments: ["blk", "net", "console", "scsi"])
    func twinServedLayoutsAgree(_ name: String) throws {
        let loaded = try LayoutLoader().load(argument: name)
        for device in loaded.devices {
            let offered = FeatureSet(bits: device.allFeatures.map(\.bit))
            try twins(seed: SplitMix64.seed("twins " + name), label: name) {
                try DeviceModel(serving: device, offered: offered, sizing: .qemu, trace: Trace(detail: $0))
            }
        }
    }
}
