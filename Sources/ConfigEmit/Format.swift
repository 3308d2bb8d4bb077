import ConfigLayout
import Rendering

/// Small formatting rules every report shares.
enum Format {
    /// `0x0a`, `0x1c`, `0x100`.
    static func hex(_ value: Int) -> String {
        let digits = String(value, radix: 16)
        return "0x" + (digits.count < 2 ? "0" + digits : digits)
    }

    /// `10 (0x0a)`.
    static func offset(_ value: Int) -> String {
        "\(value) (\(hex(value)))"
    }

    /// `2`, or `2..4`.
    static func range(_ range: ClosedRange<Int>?) -> String {
        guard let range else { return "" }
        return range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)..\(range.upperBound)"
    }

    /// `{MTU, STATUS}` in bit order; `{}` for no features.
    static func features(_ set: FeatureSet, of device: Device) -> String {
        "{" + device.names(of: set).joined(separator: ", ") + "}"
    }

    /// A whole count of feature sets (exact below 2^53, which covers 53 features).
    static func count(_ value: Double) -> String {
        value < 9.0e15 ? String(Int(value)) : "\(value)"
    }

    /// `net (ID 1): Network device`.
    static func title(of device: Device) -> String {
        "\(device.name) (ID \(device.id))" + (device.title.map { ": " + $0 } ?? "")
    }

    /// A condition as a JSON expression tree.
    static func tree(_ condition: Condition) -> JSON {
        switch condition {
        case .constant(let value): .object([("constant", .bool(value))])
        case .feature(let name): .object([("feature", .string(name))])
        case .not(let inner): .object([("not", tree(inner))])
        case .all(let operands): .object([("all", .array(operands.map(tree)))])
        case .any(let operands): .object([("any", .array(operands.map(tree)))])
        }
    }
}
