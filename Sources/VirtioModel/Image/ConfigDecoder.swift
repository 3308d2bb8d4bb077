import ConfigLayout

/// Reads field values back out of configuration bytes: the inverse of `ConfigImage.bytes`, for bytes
/// a real device served.
public enum ConfigDecoder {
    /// A leaf field and what its bytes say.
    public struct Decoded: Sendable {
        public let field: PlacedField
        /// The field's bytes, in configuration-space order; nil when the field has no place in the
        /// layout or its bytes are not all in `bytes`.
        public let bytes: [UInt8]?
        public let value: FieldValue?
    }

    /// Every leaf field of `layout` read from `bytes` (which start at offset 0).
    /// A field-sized array holds as many bytes as its length field says, as far as `bytes` reach.
    public static func decode(_ bytes: [UInt8], layout: Layout, encoding: ConfigImage.Encoding) -> [Decoded] {
        let fixed = layout.fields.map { placed in
            guard let offset = placed.offset, offset + placed.size <= bytes.count else {
                return Decoded(field: placed, bytes: nil, value: nil)
            }
            let slice = Array(bytes[offset..<offset + placed.size])
            return Decoded(field: placed, bytes: slice, value: value(of: slice, as: placed.field.type, encoding))
        }
        return fixed.map { decoded in
            guard case .flexible(_, let count) = decoded.field.field.type, let offset = decoded.field.offset,
                  case .integer(let length)? = fixed.first(where: { $0.field.path == count })?.value else { return decoded }
            let end = min(bytes.count, offset + Int(clamping: length))
            let slice = offset < end ? Array(bytes[offset..<end]) : []
            return Decoded(field: decoded.field, bytes: slice, value: .bytes(slice))
        }
    }

    /// The value `bytes` hold as a field of `type`.
    public static func value(of bytes: [UInt8], as type: FieldType, _ encoding: ConfigImage.Encoding) -> FieldValue? {
        switch type {
        case .scalar(let scalar):
            guard bytes.count == scalar.size else { return nil }
            return .integer(integer(bytes, scalar, encoding))
        case .array(.u8, _), .chars, .flexible:
            return .bytes(bytes)
        case .array(let scalar, let count):
            guard bytes.count == scalar.size * count else { return nil }
            return .integers(stride(from: 0, to: bytes.count, by: scalar.size).map {
                integer(Array(bytes[$0..<$0 + scalar.size]), scalar, encoding)
            })
        case .aggregate:
            return nil
        }
    }

    /// A number in `scalar`'s byte order.
    public static func integer(_ bytes: [UInt8], _ scalar: ScalarType, _ encoding: ConfigImage.Encoding) -> UInt64 {
        let little: Bool = switch scalar.byteOrder {
        case .none, .little: true
        case .virtio, .unspecified: encoding.virtioIsLittleEndian
        }
        return LittleEndian.value(bytes, littleEndian: little)
    }
}
