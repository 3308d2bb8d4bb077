import Rendering
import ConfigLayout

/// Words the scenario and matrix reports share.
enum OutcomeText {
    static func mac(_ bytes: [UInt8]) -> String { DriverValue.mac(bytes).description }

    /// What a view shows under a name: its value, or — when it shows no such thing.
    static func value(_ view: DriverView, _ name: String) -> String {
        view[name]?.description ?? "—"
    }

    /// A value in JSON: a number as a number, anything else as the text people read.
    static func json(_ value: DriverValue?) -> JSON {
        switch value {
        case .number(let number)?: number <= UInt64(Int.max) ? .int(Int(number)) : .string(String(number))
        case .absent?, nil: .null
        case let value?: .string(value.description)
        }
    }

    /// The driver's values as a JSON object, by name.
    static func json(_ view: DriverView) -> JSON {
        .object(view.entries.map { ($0.name, json($0.value)) })
    }

    static func host(_ littleEndian: Bool) -> String {
        littleEndian ? "little-endian host" : "big-endian host"
    }

    /// One trace event in words.
    static func event(_ event: TraceEvent, of device: Device) -> String {
        switch event {
        case .reset: return "reset"
        case .statusWrite(let status): return status.isEmpty ? "status ← 0 (reset)" : "status ← \(status)"
        case .statusRead(let status): return "status → \(status)"
        case .deviceFeaturesRead(let select, let value): return "device_features[\(select)] → \(word(value))"
        case .driverFeaturesWrite(let select, let value): return "driver_features[\(select)] ← \(word(value))"
        case .deviceFeatures(let set): return "get_device_features → {\(device.list(set))}"
        case .setFeatures(let set, let result):
            return "set_driver_features({\(set.isEmpty ? "" : device.list(set))}) → \(Errno.name(result))"
        case .configRead(let offset, let width, let bytes, let field, let outcome):
            let what = field.map { "read \($0) @\(offset)" } ?? "read @\(offset)"
            return "\(what) ×\(width) → \(bytes.isEmpty ? "nothing" : hexBytes(bytes))"
                + (outcome == .served ? "" : " (\(outcome.rawValue))")
        case .configWrite(let offset, let bytes, let field):
            return (field.map { "write \($0) @\(offset)" } ?? "write @\(offset)") + " ← \(hexBytes(bytes))"
        case .generationRead(let value): return "config_generation → \(value)"
        case .note(let text): return text
        case .violation(let violation): return "VIOLATION \(violation.rule.rawValue): \(violation.detail)"
        }
    }

    /// `0x00000028`.
    static func word(_ value: UInt32) -> String { "0x" + hexDigits(value, count: 8) }
}
