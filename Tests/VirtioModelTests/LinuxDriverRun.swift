import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// A built-in layout as of the newest spec.
func builtinDevice(_ name: String) throws -> Device {
    let file = try #require(BuiltinLayouts.file(name))
    let loaded = LayoutLoader().load(SourceFile(path: file.path, bytes: file.bytes))
    return try #require(loaded.devices.first).asOf(nil)
}

/// A device type's Linux 6.1 model probing the qemu model, with its defaults under `values`,
/// `features` and `selections`.
func linuxRun(_ layout: String, _ values: [(String, String)] = [], features: String? = nil,
              selections: SelectionContents? = nil, bytes: [(String, [UInt8])] = []) throws -> Outcome {
    let device = try builtinDevice(layout)
    let driver = try #require(DriverKind.named("linux-6.1", for: device))
    let offered = try features.map { try FeatureSelection.parse($0, for: device).get() } ?? .defaults
    let scenario = Scenario(driver: driver, device: .qemu, features: offered, values: values.map { (field: $0.0, text: $0.1) },
                            selections: selections)
    let simulator = Simulator(device: device)
    var prepared = try simulator.prepare(scenario)
    // Byte values no text form gives (a NUL or a newline inside a tag).
    for (field, value) in bytes {
        prepared.values.removeAll { $0.field == field }
        prepared.values.append((field, .bytes(value)))
    }
    return try simulator.run(scenario, offered: prepared.offered, parsed: prepared.values)
}

extension Outcome {
    /// A view value as its user reads it; "—" when the driver does not show it.
    func text(_ name: String) -> String { view[name]?.description ?? "—" }

    /// The (offset, width) of each config read of `field`, in order.
    func accesses(of field: String) -> [(offset: Int, width: Int)] {
        trace.compactMap { entry in
            if case .configRead(let offset, let width, _, let read, _) = entry.event, read == field { return (offset, width) }
            return nil
        }
    }
}
