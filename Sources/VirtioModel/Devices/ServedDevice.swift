import ConfigLayout
import Spelling

/// A device whose configuration cfgspace serves to a real front-end (QEMU over vhost-user): a
/// layout under an interpretation, the features it offers, the values it holds, and, for a device
/// with a selector (input), what each selection fills the union with. It takes driver writes the
/// layout allows and refuses the rest.
public final class ServedDevice {
    public let device: Device
    public let interpretation: Interpretation
    public let offered: FeatureSet
    public private(set) var image: ConfigImage {
        didSet { encoded = [:] }
    }
    /// The image's bytes per encoding (modern or not), kept until the image changes: a front-end
    /// asks for the same bytes over and over (vhost-user-input on every guest read).
    private var encoded: [Bool: [UInt8]] = [:]
    /// The size of the device's whole struct (fixed): the most a front-end may ask for.
    public let structSize: Int
    /// What each selection (selector value, subselector value) serves, as raw member bytes.
    public private(set) var selections: SelectionContents

    public struct Selection: Hashable, Sendable {
        public let select: UInt64
        public let subselect: UInt64

        public init(select: UInt64, subselect: UInt64) {
            self.select = select
            self.subselect = subselect
        }
    }

    /// What became of a driver's write.
    public enum WriteResult: Equatable, Sendable {
        /// Stored: the fields it changed, and the read-only fields (or loose bytes) whose bytes it
        /// carried changed and which were kept as served.
        case applied(fields: [String], kept: [String])
        /// Not stored, and why.
        case refused(String)
    }

    public init(device: Device, interpretation: Interpretation, offered: FeatureSet,
                values: [(path: String, value: FieldValue)], selections: SelectionContents = [:]) throws(FieldValueError) {
        self.device = device
        self.interpretation = interpretation
        self.offered = offered
        self.selections = selections
        structSize = Layout(device: device, features: offered, interpretation: .fixed).size
        image = try ConfigImage(device: device, interpretation: interpretation, features: offered, values: values)
        try applySelection()
        image.resetGeneration()
    }

    /// What a served device offers unless told otherwise: VERSION_1, and every device feature some
    /// config field depends on whose requirements the rest meet.
    public static func defaultFeatures(of device: Device) -> FeatureSet {
        var named = Set<String>()
        func collect(_ aggregate: Aggregate) {
            for field in aggregate.fields {
                for condition in [field.existence, field.validity].compactMap({ $0?.condition }) {
                    named.formUnion(condition.featureNames)
                }
                if case .aggregate(let inner) = field.type { collect(inner) }
            }
        }
        device.config.map(collect)
        var set = FeatureSet(bits: device.features.filter { named.contains($0.name) && !$0.isLegacyOnly }.map(\.bit))
        if let version = device.feature(named: "VERSION_1") { set.insert(version.bit) }
        for (feature, _) in device.unmetRequirements(in: set) { set.remove(feature.bit) }
        return set
    }


    /// The configuration bytes; `virtio` fields little-endian once VERSION_1 is negotiated, the
    /// guest's (little-endian) order before.
    public func bytes(modern: Bool) -> [UInt8] {
        if let bytes = encoded[modern] { return bytes }
        let bytes = image.bytes(ConfigImage.Encoding(isModern: modern, guestIsLittleEndian: true))
        encoded[modern] = bytes
        return bytes
    }

    /// Sets a field by name, as text; whether its value changed.
    @discardableResult
    public func set(_ path: String, text: String) throws(FieldValueError) -> Bool {
        let before = image.generation
        try image.set(path, text: text)
        return image.generation != before
    }

    /// A driver's write of `bytes` at `offset` in the served layout. A write that holds a whole field
    /// the driver may write takes what it carries for such fields and keeps every other byte as served:
    /// QEMU's vhost-user-input sends its whole 136-byte buffer on every write, read-only bytes and
    /// all, stale since the last read (vhost_input_set_config, hw/input/vhost-user-input.c), and a
    /// back-end takes only select and subsel from it (vi_set_config, contrib/vhost-user-input/main.c,
    /// reads those two and nothing else). A write that holds no such field and would change others
    /// is refused whole. With `migration`, the live-migration flag of SET_CONFIG, every field is
    /// written as carried: the destination of a migration restores the whole config.
    public func write(offset: Int, bytes: [UInt8], migration: Bool, modern: Bool) -> WriteResult {
        let current = self.bytes(modern: modern)
        guard offset >= 0, offset <= current.count, bytes.count <= current.count - offset else {
            return .refused("\(bytes.count) bytes at offset \(offset) reach past the \(current.count)-byte configuration")
        }
        let end = offset + bytes.count
        let holdsWritable = migration || image.fields(overlapping: offset, count: bytes.count).contains {
            mayWrite($0, modern: modern) == nil && ($0.offset ?? -1) >= offset && ($0.offset ?? 0) + $0.size <= end
        }
        var touched: [PlacedField] = []
        var kept: [String] = []
        for position in bytes.indices where bytes[position] != current[offset + position] {
            let at = offset + position
            guard let field = image.fields(overlapping: at, count: 1).first else {
                guard holdsWritable else { return .refused("byte \(at) belongs to no field") }
                kept.append("byte \(at)")
                continue
            }
            if !migration, let problem = mayWrite(field, modern: modern) {
                guard holdsWritable else { return .refused(problem) }
                if !kept.contains(field.path) { kept.append(field.path) }
                continue
            }
            if !touched.contains(where: { $0.path == field.path }) { touched.append(field) }
        }
        var paths: [String] = []
        for field in touched {
            guard let start = field.offset, start >= offset, start + field.size <= end else {
                return .refused("the write covers only part of \(field.path)")
            }
            let slice = Array(bytes[(start - offset)..<(start - offset + field.size)])
            guard let value = ConfigDecoder.value(of: slice, as: field.field.type,
                                                  ConfigImage.Encoding(isModern: modern, guestIsLittleEndian: true)) else {
                return .refused("\(field.path) cannot take those bytes")
            }
            do { try image.set(field.path, value) } catch { return .refused(error.description) }
            paths.append(field.path)
        }
        do { try applySelection() } catch { return .refused(error.description) }
        return .applied(fields: paths, kept: kept)
    }

    /// Why a driver may not write `field` now; nil when it may: a driver-writable field whose `if`
    /// holds under the offered features (blk's writeback, for one: "If the VIRTIO_BLK_F_CONFIG_WCE
    /// feature is negotiated, the cache mode can be read or set through the writeback field", virtio
    /// 1.2, 5.2.4), or a legacy-writable one before VERSION_1.
    private func mayWrite(_ field: PlacedField, modern: Bool) -> String? {
        switch field.field.access {
        case .readOnly: return "\(field.path) is read-only"
        case .legacyWritable where modern: return "\(field.path) is driver-writable on the legacy interface only"
        case .driverWritable, .legacyWritable:
            guard field.exists else {
                let condition = field.field.existence.map { "\($0.condition)" } ?? "features not offered"
                return "\(field.path) exists only with \(condition), which is not offered"
            }
            return nil
        }
    }

    /// Fills the union as the selector fields now say: the selection's bytes and its size, or
    /// nothing and size 0 (virtio 1.4, 5.8.4). A selection the fields cannot hold is an error.
    private func applySelection() throws(FieldValueError) {
        for selector in device.selectors {
            guard case .integer(let select)? = image.value(selector.select) else { continue }
            let subselect: UInt64 = selector.subselect.flatMap {
                if case .integer(let value)? = image.value($0) { return value } else { return nil }
            } ?? 0
            try image.fill(selector, with: selector.content(selections, select: select, subselect: subselect, matching: .byCase),
                       keepingGeneration: false)
        }
    }
}

extension ServedDevice {
    /// Parses `ID_NAME=cfgspace keyboard`, `EV_BITS/1=0xfe,0xff`, `ID_DEVIDS=6,1,1,1`: a selection by
    /// its case name (and subselector), and what it serves, as the union member's type reads it:
    /// text for a char array, bytes for a u8 array, numbers for the leaves of a struct.
    public static func parseSelection(_ text: String, for device: Device) -> Result<(Selection, [UInt8]), FieldValueError> {
        guard let equals = text.firstIndex(of: "="), let selector = device.selectors.first else {
            return .failure(FieldValueError("'\(text)' is not NAME=VALUE, or \(device.name) has no selector"))
        }
        let key = text[..<equals].split(separator: "/", maxSplits: 1)
        let value = String(text[text.index(after: equals)...])
        guard let name = key.first.map(String.init), let chosen = selector.cases.first(where: { $0.name == name }) else {
            let names = selector.cases.map(\.name)
            return .failure(FieldValueError("no selection '\(key.first ?? "")' in \(device.name)"
                + (Suggestion.closest(to: String(key.first ?? ""), in: names).map { "; did you mean '\($0)'?" } ?? "")))
        }
        var subselect: UInt64 = 0
        if key.count == 2 {
            guard chosen.usesSubselect, let number = FieldValue.integer(String(key[1])) else {
                return .failure(FieldValueError("'\(name)' takes no subselector '\(key[1])'"))
            }
            subselect = number
        }
        let memberPath = (selector.union + [chosen.member]).joined(separator: ".")
        let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        let leaves = layout.fields.filter { $0.path == memberPath || $0.path.hasPrefix(memberPath + ".") }
        var bytes: [UInt8] = []
        if leaves.count == 1, let leaf = leaves.first, leaf.field.type.scalar == nil || leaf.field.type.scalar == .u8 {
            if case .chars = leaf.field.type {
                bytes = Array(value.utf8)
            } else {
                for part in value.split(separator: ",") {
                    guard let byte = FieldValue.integer(String(part)).flatMap({ UInt8(exactly: $0) }) else {
                        return .failure(FieldValueError("'\(part)' is not a byte"))
                    }
                    bytes.append(byte)
                }
            }
            guard bytes.count <= leaf.size else {
                return .failure(FieldValueError("\(name) holds at most \(leaf.size) bytes, not \(bytes.count)"))
            }
        } else {
            let numbers = value.split(separator: ",").map { FieldValue.integer(String($0)) }
            guard numbers.count == leaves.count, numbers.allSatisfy({ $0 != nil }) else {
                return .failure(FieldValueError("\(name) takes \(leaves.count) numbers, for " + leaves.map(\.path).joined(separator: ", ")))
            }
            for (leaf, number) in zip(leaves, numbers) {
                guard let scalar = leaf.field.type.scalar, let number, number <= scalar.maximumValue else {
                    return .failure(FieldValueError("\(number.map(String.init) ?? "?") does not fit \(leaf.path)"))
                }
                bytes += ConfigImage.integer(number, scalar, ConfigImage.Encoding(isModern: true, guestIsLittleEndian: true))
            }
        }
        return .success((Selection(select: chosen.value, subselect: subselect), bytes))
    }
}
