/// A JSON value whose objects keep their keys in the order written, so that output is stable and
/// reads in a sensible order. Rendering is deterministic: the same value gives the same bytes.
public indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSON])
    case object([(key: String, value: JSON)])

    /// An optional string, or null.
    public static func string(_ text: String?) -> JSON { text.map { .string($0) } ?? .null }

    /// An optional integer, or null.
    public static func int(_ value: Int?) -> JSON { value.map { .int($0) } ?? .null }

    /// A count of feature sets: exact while it fits in an Int.
    public static func count(_ value: Double) -> JSON {
        value < 9.0e18 ? .int(Int(value)) : .string(String(value))
    }

    /// Pretty-printed with two-space indentation. A container with no containers inside stays on
    /// one line, so a field reads as one row.
    public func rendered() -> String {
        var out = ""
        write(to: &out, indent: 0)
        return out + "\n"
    }

    /// On one line with no spaces, for JSON carried inside another document (a page's data),
    /// where size counts for more than reading. As deterministic as `rendered()`.
    public func compact() -> String {
        var out = ""
        writeCompact(to: &out)
        return out
    }

    private func writeCompact(to out: inout String) {
        switch self {
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.writeCompact(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                Self.quote(member.key, into: &out)
                out += ":"
                member.value.writeCompact(to: &out)
            }
            out += "}"
        default:
            write(to: &out, indent: 0)
        }
    }

    private var isContainer: Bool {
        switch self {
        case .array, .object: true
        default: false
        }
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .string(let text): Self.quote(text, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if writeInline(to: &out) { return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                Self.indent(indent + 1, into: &out)
                item.write(to: &out, indent: indent + 1)
                out += index + 1 < items.count ? ",\n" : "\n"
            }
            Self.indent(indent, into: &out)
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            if writeInline(to: &out) { return }
            out += "{\n"
            for (index, member) in members.enumerated() {
                Self.indent(indent + 1, into: &out)
                Self.quote(member.key, into: &out)
                out += ": "
                member.value.write(to: &out, indent: indent + 1)
                out += index + 1 < members.count ? ",\n" : "\n"
            }
            Self.indent(indent, into: &out)
            out += "}"
        }
    }

    private static func indent(_ depth: Int, into out: inout String) {
        for _ in 0..<depth { out += "  " }
    }

    /// Writes the one-line form, if the value holds no containers; false (and nothing written) otherwise.
    private func writeInline(to out: inout String) -> Bool {
        switch self {
        case .array(let items):
            guard !items.contains(where: \.isContainer) else { return false }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                item.write(to: &out, indent: 0)
            }
            out += "]"
        case .object(let members):
            guard !members.contains(where: \.value.isContainer) else { return false }
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += ", " }
                Self.quote(member.key, into: &out)
                out += ": "
                member.value.write(to: &out, indent: 0)
            }
            out += "}"
        default:
            return false
        }
        return true
    }

    private static func quote(_ text: String, into out: inout String) {
        out += "\""
        // Most text needs no escape: one scan of its bytes, then one append.
        if !text.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || $0 == 0x7F }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
