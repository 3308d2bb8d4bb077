import ConfigLayout
import Rendering

/// A value for one leaf field of a configuration image.
public enum FieldValue: Sendable, Equatable {
    case integer(UInt64)
    /// The bytes of a byte array or a string (`u8[6]`, `char[36]`), zero-padded to the field.
    case bytes([UInt8])
    /// The elements of an array of wider integers (`le16[2]`).
    case integers([UInt64])

    /// Parses a value for a field from text: `9000`, `0x2328`, a MAC address `52:54:00:12:34:56`,
    /// a string for a char array, or comma-separated numbers for an array.
    public static func parse(_ text: String, for field: Field) -> Result<FieldValue, FieldValueError> {
        switch field.type {
        case .scalar(let scalar):
            guard let value = integer(text) else {
                return .failure(FieldValueError("'\(text)' is not a number; \(field.name) is \(scalar.rawValue)"))
            }
            guard value <= scalar.maximumValue else {
                return .failure(FieldValueError("\(value) does not fit in \(scalar.rawValue) (0...\(scalar.maximumValue))"))
            }
            return .success(.integer(value))
        case .array(.u8, let count):
            return byteList(text, expecting: "\(count) bytes like 52:54:00:12:34:56 or 1,2,3").flatMap { bytes in
                bytes.count == count ? .success(.bytes(bytes))
                    : .failure(FieldValueError("\(field.name) takes \(count) bytes, not \(bytes.count)"))
            }
        case .array(let scalar, let count):
            var values: [UInt64] = []
            for part in text.split(separator: ",") {
                guard let value = integer(String(part).trimmingSpaces()), value <= scalar.maximumValue else {
                    return .failure(FieldValueError("'\(part)' is not a \(scalar.rawValue)"))
                }
                values.append(value)
            }
            guard values.count == count else {
                return .failure(FieldValueError("\(field.name) takes \(count) values, not \(values.count)"))
            }
            return .success(.integers(values))
        case .chars(let count):
            var string = text
            if string.count >= 2, string.hasPrefix("\""), string.hasSuffix("\"") { string = String(string.dropFirst().dropLast()) }
            let bytes = Array(string.utf8)
            guard bytes.count <= count else {
                return .failure(FieldValueError("\"\(string)\" is \(bytes.count) bytes; \(field.name) holds \(count)"))
            }
            return .success(.bytes(bytes + [UInt8](repeating: 0, count: count - bytes.count)))
        case .flexible(nil, _):
            // A string as long as it is: its length field says how many bytes a driver reads.
            var string = text
            if string.count >= 2, string.hasPrefix("\""), string.hasSuffix("\"") { string = String(string.dropFirst().dropLast()) }
            return .success(.bytes(Array(string.utf8)))
        case .flexible(_, _):
            return byteList(text, expecting: "bytes like 01:02:03 or 1,2,3").map { .bytes($0) }
        case .aggregate:
            return .failure(FieldValueError("\(field.name) is a struct; set its members, such as \(field.name).<member>"))
        }
    }

    /// Bytes written `52:54:00:12:34:56` (hex) or `1,2,3`.
    private static func byteList(_ text: String, expecting: String) -> Result<[UInt8], FieldValueError> {
        let parts = text.contains(":") ? text.split(separator: ":", omittingEmptySubsequences: false)
            : text.split(separator: ",", omittingEmptySubsequences: false)
        let radix = text.contains(":") ? 16 : 10
        var bytes: [UInt8] = []
        for part in parts {
            let word = String(part).trimmingSpaces()
            guard let byte = radix == 16 ? UInt8(word, radix: 16) : integer(word).flatMap({ UInt8(exactly: $0) }) else {
                return .failure(FieldValueError("'\(word)' is not a byte; give \(expecting)"))
            }
            bytes.append(byte)
        }
        return .success(bytes)
    }

    /// `9000`, `0x2328`, `0b101`.
    public static func integer(_ text: String) -> UInt64? {
        let text = text.trimmingSpaces().replacingUnderscores()
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("0b") || text.hasPrefix("0B") { return UInt64(text.dropFirst(2), radix: 2) }
        return UInt64(text)
    }

    /// As a person would write it back.
    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .bytes(let bytes): hexBytes(bytes, separator: ":")
        case .integers(let values): values.map(String.init).joined(separator: ",")
        }
    }
}

public struct FieldValueError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }

    func replacingUnderscores() -> String { filter { $0 != "_" } }
}
