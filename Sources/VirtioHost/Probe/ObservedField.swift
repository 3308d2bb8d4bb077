import ConfigLayout
import VirtioModel

/// One leaf field of an observed configuration: what the fixed reading finds at its offset, and
/// what a packed reading keyed by the offered features would find instead.
public struct ObservedField: Sendable {
    public let path: String
    public let type: String
    public let condition: String
    /// Exists under the offered features (its `if` holds).
    public let exists: Bool
    /// Exists, and its `valid if` holds.
    public let isValid: Bool
    public let offset: Int
    public let size: Int
    /// Its bytes lie inside the configuration's length.
    public let isInside: Bool
    public let bytes: [UInt8]?
    public let value: FieldValue?
    /// Where a packed reading keyed by the offered features puts it; nil when absent there.
    public let packedOffset: Int?
    public let packedBytes: [UInt8]?
    public let packedValue: FieldValue?
    /// The fixed fields whose bytes a packed reading would take instead (empty when it reads the
    /// field's own bytes).
    public let packedReadsFrom: [String]

    /// A packed-reading driver would get something other than the field's own value.
    public var isMisreadWhenPacked: Bool {
        exists && packedOffset != nil && packedOffset != offset && packedValue != value
    }

    /// Every leaf field of `bytes`, read at its fixed offset and at the offset a packed reading gives.
    static func read(_ bytes: [UInt8], device: Device, offered: FeatureSet, length: Int,
                     encoding: ConfigImage.Encoding) -> [ObservedField] {
        let fixed = Layout(device: device, features: offered, interpretation: .fixed)
        let packed = Layout(device: device, features: offered, interpretation: .packed)
        let decoded = ConfigDecoder.decode(bytes, layout: fixed, encoding: encoding)
        let packedDecoded = ConfigDecoder.decode(bytes, layout: packed, encoding: encoding)
        return decoded.compactMap { entry in
            guard let offset = entry.field.offset else { return nil }
            let placed = entry.field
            let packedEntry = packedDecoded.first { $0.field.path == placed.path }
            let packedOffset = packedEntry?.field.offset
            let readsFrom: [String] = packedOffset.map { start in
                guard start != offset else { return [] }
                return fixed.fields.filter { other in
                    guard let otherStart = other.offset, other.path != placed.path else { return false }
                    return otherStart < start + placed.size && start < otherStart + other.size
                }.map(\.path)
            } ?? []
            return ObservedField(
                path: placed.path, type: placed.field.type.name, condition: placed.field.conditionText, exists: placed.exists,
                isValid: placed.isValid, offset: offset, size: placed.size, isInside: offset + placed.size <= length,
                bytes: entry.bytes, value: entry.value, packedOffset: packedOffset, packedBytes: packedEntry?.bytes,
                packedValue: packedEntry?.value, packedReadsFrom: readsFrom)
        }
    }
}
