import Foundation
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

struct TestFailure: Error, CustomStringConvertible {
    let description: String
}

/// The newest net layout from Layouts/.
func netDevice() throws -> Device {
    let loaded = try LayoutLoader().load(path: PackagePaths.layout("net.layout").path)
    guard !loaded.hasErrors, let device = loaded.devices.first else {
        throw TestFailure(description: DiagnosticRenderer().render(loaded.diagnostics))
    }
    return device.asOf(nil)
}

func simulator() throws -> Simulator {
    Simulator(device: try netDevice())
}

/// The net models by the names the 2021 thread's replay uses.
extension DriverKind {
    static let linux5_12 = net("linux-5.12")
    static let linux5_16BigEndian = net("linux-5.16-be")
    static let linuxCurrent = net("linux-current")
    static let dpdk = net("dpdk")
    static let specLiteral = net("spec-literal")
    /// Every model that drives net.
    static let netKinds = all.filter { $0.layout == "net" }

    private static func net(_ name: String) -> DriverKind {
        all.first { $0.name == name && $0.layout == "net" }!
    }
}

extension DeviceKind {
    static let packed = named("packed")
    static let mlx5_5_12 = named("mlx5-5.12")
    static let mlx5_5_12Patched = named("mlx5-5.12-patched")
    static let mlx5Current = named("mlx5-current")
    static let firecracker = named("firecracker")
    static let vdpaSimNet = named("vdpasim-net")
    /// Every model that serves net.
    static let netKinds = all.filter { $0.layout == nil || $0.layout == "net" }

    private static func named(_ name: String) -> DeviceKind { all.first { $0.name == name }! }
}

extension Outcome {
    /// The MTU the interface runs with, or nil when the probe failed.
    var mtu: Int? {
        if case .number(let value)? = view["mtu"] { return Int(value) }
        return nil
    }
}

/// A feature set by names, which must all exist.
func features(_ names: String, of device: Device) throws -> FeatureSet {
    try device.parseFeatures(names).get()
}

/// A device model built directly, with its own trace, for tests below the scenario level.
func model(_ kind: DeviceKind, of device: Device, offering names: String? = nil, values: [(String, FieldValue)]? = nil,
           pastEnd: PastEndPolicy? = nil, littleEndian: Bool = true,
           detail: Trace.Detail = .everything) throws -> (DeviceModel, Trace) {
    let trace = Trace(detail: detail)
    let offered = try names.map { try features($0, of: device) } ?? device.features(named: kind.defaults(device).features)
    let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
    var defaults: [(String, FieldValue)] = []
    for (field, text) in kind.defaults(device).values {
        guard let placed = layout.field(field) else { throw TestFailure(description: "no field \(field)") }
        defaults.append((field, try FieldValue.parse(text, for: placed.field).get()))
    }
    let parameters = DeviceParameters(offered: offered, values: (values ?? defaults).map { ($0.0, $0.1) },
                                      pastEnd: pastEnd, guestIsLittleEndian: littleEndian)
    return (try kind.make(device, parameters, trace), trace)
}

extension Trace {
    func rules() -> [Rule] { violations.map(\.rule) }

    func setFeatureCalls() -> [(party: Party, features: FeatureSet, result: Int32)] { VirtioModelTests.setFeatureCalls(in: entries) }
}

extension Outcome {
    func rules() -> [Rule] { violations.map(\.rule) }

    /// The config reads in the trace, in order.
    var configReads: [(offset: Int, width: Int, bytes: [UInt8], field: String?, outcome: ReadOutcome)] {
        trace.compactMap { entry in
            if case .configRead(let offset, let width, let bytes, let field, let outcome) = entry.event {
                return (offset, width, bytes, field, outcome)
            }
            return nil
        }
    }

    func setFeatureCalls() -> [(party: Party, features: FeatureSet, result: Int32)] { VirtioModelTests.setFeatureCalls(in: trace) }
}

/// The set_driver_features calls in a trace, with who made them.
func setFeatureCalls(in entries: [TraceEntry]) -> [(party: Party, features: FeatureSet, result: Int32)] {
    entries.compactMap { entry in
        if case .setFeatures(let features, let result) = entry.event { return (entry.party, features, result) }
        return nil
    }
}
