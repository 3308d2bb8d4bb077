import ConfigLayout
import Spelling

/// The bytes of a configuration space, built from a layout, an interpretation, the features that
/// key the layout (for packed, the offered ones) and field values set by name. Multi-byte values are
/// encoded as they are read: `virtio` fields in little-endian once VERSION_1 is negotiated and in the
/// guest's order before; `le` fields always little-endian. The generation counts changes of value,
/// not of encoding: switching from legacy to modern order changes no value.
public struct ConfigImage: Sendable {
    /// The byte order of `virtio` (and the spec's bare u16/u32/u64) fields at a moment.
    public struct Encoding: Sendable, Equatable {
        /// VERSION_1 negotiated (or, for some devices, written): the modern, little-endian format.
        public var isModern: Bool
        /// The guest's native order, which the legacy interface uses.
        public var guestIsLittleEndian: Bool

        public init(isModern: Bool, guestIsLittleEndian: Bool) {
            self.isModern = isModern
            self.guestIsLittleEndian = guestIsLittleEndian
        }

        /// Whether `virtio` fields are little-endian under this encoding.
        public var virtioIsLittleEndian: Bool { isModern || guestIsLittleEndian }
    }

    public let layout: Layout
    public private(set) var values: [String: FieldValue] = [:]
    public private(set) var generation: UInt32 = 0

    public init(device: Device, interpretation: Interpretation, features: FeatureSet) {
        layout = Layout(device: device, features: features, interpretation: interpretation)
    }

    /// An image holding `values` from the start, at generation 0.
    public init(device: Device, interpretation: Interpretation, features: FeatureSet,
                values: [(path: String, value: FieldValue)]) throws(FieldValueError) {
        self.init(device: device, interpretation: interpretation, features: features)
        self.values.reserveCapacity(values.count)
        for (path, value) in values { try set(path, value) }
        generation = 0
    }

    public func field(_ path: String) -> PlacedField? { layout.field(path) }

    mutating func resetGeneration() { generation = 0 }

    /// Puts the generation back where it was before changes a device does not announce.
    mutating func restoreGeneration(_ value: UInt32) { generation = value }

    /// Sets a field the way a device whose generation counts only its own notices does: the value
    /// changes, the generation does not.
    mutating func setKeepingGeneration(_ path: String, _ value: FieldValue) throws(FieldValueError) {
        let kept = generation
        defer { generation = kept }
        try set(path, value)
    }

    /// Sets a field by name, checked against its type; the generation moves when the value changes.
    public mutating func set(_ path: String, _ value: FieldValue) throws(FieldValueError) {
        guard let field = layout.field(path) else {
            let names = layout.fields.map(\.path)
            throw FieldValueError("no field '\(path)' in \(layout.device.name)"
                                  + (Suggestion.closest(to: path, in: names).map { "; did you mean '\($0)'?" } ?? ""))
        }
        switch (field.field.type, value) {
        case (.scalar(let scalar), .integer(let number)) where number <= scalar.maximumValue: break
        case (.array(.u8, let count), .bytes(let bytes)) where bytes.count == count: break
        case (.chars(let count), .bytes(let bytes)) where bytes.count == count: break
        // A field-sized array holds what it is given; its length field is set on its own.
        case (.flexible, .bytes): break
        case (.array(_, let count), .integers(let numbers)) where numbers.count == count: break
        default: throw FieldValueError("\(value.description) does not fit \(path) (\(field.field.type.name))")
        }
        if values.updateValue(value, forKey: path) != value { generation &+= 1 }
    }

    /// Forgets a field's value (it serves zeros again); the generation moves if it held one.
    public mutating func clear(_ path: String) {
        guard values.removeValue(forKey: path) != nil else { return }
        generation &+= 1
    }

    /// Parses and sets a value given as text.
    public mutating func set(_ path: String, text: String) throws(FieldValueError) {
        guard let field = layout.field(path) else {
            try set(path, .integer(0))  // reports the unknown name
            return
        }
        try set(path, FieldValue.parse(text, for: field.field).get())
    }

    /// The value a field holds; zero when none was set.
    public func value(_ path: String) -> FieldValue? { values[path] }

    /// The fields (all, or those given) whose values differ from an earlier snapshot of `values`,
    /// in layout order.
    public func changes(since earlier: [String: FieldValue], among fields: [PlacedField]? = nil)
        -> [(path: String, from: FieldValue?, to: FieldValue?)] {
        (fields ?? layout.fields).compactMap { field in
            earlier[field.path] == values[field.path] ? nil : (field.path, earlier[field.path], values[field.path])
        }
    }

    /// The placed fields whose bytes overlap `offset..<offset + count`.
    public func fields(overlapping offset: Int, count: Int) -> [PlacedField] {
        layout.fields.filter { $0.overlaps(offset: offset, count: count) }
    }

    /// Whether a value lies outside the field's declared range, as a sentence; nil if it is in range.
    public func rangeProblem(_ path: String) -> String? {
        layout.field(path).flatMap(rangeProblem)
    }

    /// The same for a field of this image's layout, looked up no further when it declares no range.
    public func rangeProblem(_ placed: PlacedField) -> String? {
        guard let range = placed.field.range else { return nil }
        let path = placed.path
        let value: UInt64 = switch values[path] {
        case .integer(let number): number
        default: 0
        }
        return range.contains(value) ? nil : "\(path) is \(value), outside \(range.lowerBound)...\(range.upperBound)"
    }

    /// Where the bytes held by field-sized arrays end, past the fixed struct (0 when none holds any).
    public var flexibleEnd: Int {
        layout.fields.reduce(0) { end, placed in
            guard case .flexible = placed.field.type, let offset = placed.offset, case .bytes(let bytes)? = values[placed.path] else {
                return end
            }
            return max(end, offset + bytes.count)
        }
    }

    /// The image's bytes under an encoding; fields a packed layout leaves out are not there. A
    /// field-sized array's bytes follow the struct.
    public func bytes(_ encoding: Encoding) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(layout.size, flexibleEnd))
        // The fields that hold a value, in layout order (a union's later member wins where they
        // overlap), found by their place in the layout rather than by asking every field.
        let held = values.compactMap { path, value in layout.ordinal(of: path).map { ($0, value) } }.sorted { $0.0 < $1.0 }
        for (ordinal, value) in held {
            let field = layout.fields[ordinal]
            guard let offset = field.offset else { continue }
            let encoded = Self.encode(value, as: field.field.type, encoding)
            for (index, byte) in encoded.enumerated() where offset + index < out.count {
                out[offset + index] = byte
            }
        }
        return out
    }

    public static func encode(_ value: FieldValue, as type: FieldType, _ encoding: Encoding) -> [UInt8] {
        switch (type, value) {
        case (.scalar(let scalar), .integer(let number)):
            return integer(number, scalar, encoding)
        case (.array(let scalar, _), .integers(let numbers)):
            return numbers.flatMap { integer($0, scalar, encoding) }
        case (_, .bytes(let bytes)):
            return bytes
        default:
            return []
        }
    }

    /// A number as `width` little-endian bytes.
    public static func integerBytes(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    /// A number in `scalar`'s size and byte order.
    static func integer(_ value: UInt64, _ scalar: ScalarType, _ encoding: Encoding) -> [UInt8] {
        let little = (0..<scalar.size).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
        switch scalar.byteOrder {
        case .none, .little: return little
        case .virtio, .unspecified: return encoding.virtioIsLittleEndian ? little : little.reversed()
        }
    }
}
