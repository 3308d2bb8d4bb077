import ConfigLayout
import Fuzzing
import Testing
import TestSupport
@testable import VirtioModel

/// Random driver operations against every device model: the six net models and a model serving
/// every built-in layout (fixed and packed, each past-end policy), with the promises of
/// `DriverOperationCheck` held after every operation.
@Suite struct DriverOperationFuzzTests {
    static let operationsPerModel = 400

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

    @Test(arguments: DeviceKind.allCases)
    func netModels(_ kind: DeviceKind) throws {
        let device = try netDevice()
        let policies: [PastEndPolicy?] = [nil] + PastEndPolicy.allCases
        for (index, pastEnd) in policies.enumerated() {
            let (model, _) = try model(kind, of: device, pastEnd: pastEnd)
            fuzz(model, seed: SplitMix64.seed(kind.rawValue) &+ UInt64(index), label: "\(kind.rawValue) past end \(pastEnd?.rawValue ?? "default")")
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
}
