import ConfigLayout
import Rendering

/// One thing a driver shows its user, as the user reads it: `9000`, `52:54:00:12:34:56`, `write back`.
public enum DriverValue: Sendable, Equatable, CustomStringConvertible {
    case number(UInt64)
    case text(String)
    /// A hardware address, written `52:54:00:12:34:56`.
    case mac([UInt8])
    /// The driver does not show it (a feature it lacks, a probe that stopped first).
    case absent

    public var description: String {
        switch self {
        case .number(let value): String(value)
        case .text(let text): text
        case .mac(let bytes): hexBytes(bytes, separator: ":")
        case .absent: "—"
        }
    }
}

/// What a driver made of a device, in its user's terms: named values in the order a user asks for
/// them (each with the config fields it follows from), and the lines the driver logged. A driver
/// model predicts one; a real guest reports one, under the same names.
public struct DriverView: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// How the user meets it: `mtu`, `logical_block_size`, `max_sectors`.
        public let name: String
        public var value: DriverValue
        /// The config fields the value follows from, by path; empty for what no field decides.
        public var fields: [String]
    }

    public private(set) var entries: [Entry] = []
    /// The driver's kernel log lines, without the device prefix.
    public var log: [String] = []

    public init() {}

    public subscript(name: String) -> DriverValue? {
        entries.first { $0.name == name }?.value
    }

    public var names: [String] { entries.map(\.name) }

    /// Every value as its user reads it, by name.
    public var texts: [String: String] {
        Dictionary(entries.map { ($0.name, $0.value.description) }, uniquingKeysWith: { $1 })
    }

    /// Sets a value, keeping its place when it is already there.
    public mutating func set(_ name: String, _ value: DriverValue, from fields: [String] = []) {
        if let index = entries.firstIndex(where: { $0.name == name }) {
            entries[index].value = value
            if !fields.isEmpty { entries[index].fields = fields }
        } else {
            entries.append(Entry(name: name, value: value, fields: fields))
        }
    }

    /// Sets a number.
    public mutating func set(_ name: String, _ value: UInt64, from fields: [String] = []) {
        set(name, .number(value), from: fields)
    }
}
