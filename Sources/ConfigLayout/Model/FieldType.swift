/// How a multi-byte value is laid out in configuration space.
public enum ByteOrder: String, Sendable {
    /// A single byte: no order.
    case none
    /// Always little-endian (`le16`, `le32`, `le64`).
    case little
    /// `virtio16/32/64`: little-endian once VERSION_1 is negotiated, the guest's native order
    /// before that (the legacy interface).
    case virtio
    /// The spec's bare `u16/u32/u64`, which name no order.
    case unspecified
}

public enum ScalarType: String, CaseIterable, Sendable {
    case u8
    case u16, u32, u64
    case le16, le32, le64
    case virtio16, virtio32, virtio64

    public var size: Int {
        switch self {
        case .u8: 1
        case .u16, .le16, .virtio16: 2
        case .u32, .le32, .virtio32: 4
        case .u64, .le64, .virtio64: 8
        }
    }

    public var byteOrder: ByteOrder {
        switch self {
        case .u8: .none
        case .u16, .u32, .u64: .unspecified
        case .le16, .le32, .le64: .little
        case .virtio16, .virtio32, .virtio64: .virtio
        }
    }

    public var maximumValue: UInt64 {
        size == 8 ? UInt64.max : (UInt64(1) << UInt64(size * 8)) - 1
    }
}

/// The type of a field: a scalar, an array of scalars, a character array (a string), or a
/// nested struct or union.
public indirect enum FieldType: Sendable {
    case scalar(ScalarType)
    case array(ScalarType, count: Int)
    case chars(count: Int)
    /// `char[tag_len]` or `u8[len]`: as many bytes as an earlier field's value says. It ends its
    /// struct and takes no bytes of the fixed size, as a C flexible array member.
    case flexible(ScalarType?, count: String)
    case aggregate(Aggregate)

    /// Bytes the field takes in the fixed (C struct) layout.
    public var size: Int {
        switch self {
        case .scalar(let scalar): scalar.size
        case .array(let element, let count): element.size * count
        case .chars(let count): count
        case .flexible: 0
        case .aggregate(let aggregate): aggregate.size
        }
    }

    /// The natural alignment of the field's elements: what a driver's aligned access needs.
    public var naturalAlignment: Int {
        switch self {
        case .scalar(let scalar), .array(let scalar, _): scalar.size
        case .chars, .flexible: 1
        case .aggregate(let aggregate): aggregate.fields.map(\.type.naturalAlignment).max() ?? 1
        }
    }

    /// The element type of a scalar or array field.
    public var scalar: ScalarType? {
        switch self {
        case .scalar(let scalar), .array(let scalar, _): scalar
        case .flexible(let element, _): element
        case .chars, .aggregate: nil
        }
    }

    /// As written in a layout: `le16`, `u8[6]`, `char[36]`, `struct virtio_blk_geometry`.
    public var name: String {
        switch self {
        case .scalar(let scalar): scalar.rawValue
        case .array(let element, let count): "\(element.rawValue)[\(count)]"
        case .chars(let count): "char[\(count)]"
        case .flexible(let element, let count): "\(element?.rawValue ?? "char")[\(count)]"
        case .aggregate(let aggregate): aggregate.kind.rawValue + (aggregate.name.map { " " + $0 } ?? "")
        }
    }
}

/// The fields of a `config`, `struct` or `union`.
public struct Aggregate: Sendable {
    public let kind: AggregateKind
    public let name: String?
    public let fields: [Field]
    public let span: SourceSpan

    public init(kind: AggregateKind, name: String?, fields: [Field], span: SourceSpan) {
        self.kind = kind
        self.name = name
        self.fields = fields
        self.span = span
    }

    /// The fixed (C) size: members side by side for a struct, overlapping for a union. Layouts
    /// write their padding out, so there is no implicit padding.
    public var size: Int {
        switch kind {
        case .struct: fields.reduce(0) { $0 + $1.type.size }
        case .union: fields.map(\.type.size).max() ?? 0
        }
    }

    /// The same aggregate with only the fields a spec version has.
    public func asOf(_ version: SpecVersion?) -> Aggregate {
        Aggregate(kind: kind, name: name, fields: fields.compactMap { $0.asOf(version) }, span: span)
    }

    /// Whether every field, nested ones included, is part of the layout in a spec version: then
    /// `asOf(version)` is the aggregate itself.
    public func isWhole(in version: SpecVersion?) -> Bool {
        fields.allSatisfy { field in
            guard field.isPresent(in: version) else { return false }
            guard case .aggregate(let inner) = field.type else { return true }
            return inner.isWhole(in: version)
        }
    }

    /// The member reached by a dotted path such as `["zoned", "model"]`.
    public func member(at path: [String]) -> Field? {
        guard let first = path.first, let field = fields.last(where: { $0.name == first }) else { return nil }
        if path.count == 1 { return field }
        guard case .aggregate(let inner) = field.type else { return nil }
        return inner.member(at: Array(path.dropFirst()))
    }
}
