/// What changed in a device's layout from one spec version to another, sorted the way a review
/// needs it: changes that move or reinterpret bytes an existing driver reads (breaking), fields
/// added past the old end (compatible), and conditions or access that changed without moving bytes.
public struct VersionDiff: Sendable {
    public enum Kind: String, Sendable {
        /// A new field past the old end of the config: old drivers never read it.
        case addedAtTail = "added at the tail"
        /// A new field inside the old layout, over bytes that meant something else.
        case addedInside = "added inside"
        /// A new field over bytes the old version reserved, under a feature the old version did not
        /// have: the spec's own way to extend a device (blk's num_queues in 1.2). A driver of the
        /// old version never negotiates the feature and never gave the bytes a meaning.
        case reservedTaken = "reserved bytes taken"
        /// A reserved field that gives up bytes to new fields (blk's unused0, u8[3] to u8 in 1.2).
        case reservedShrank = "reserved shrank"
        case removed
        case moved
        case retyped
        case renamed
        case conditionChanged = "condition changed"
        case accessChanged = "access changed"

        public var isBreaking: Bool {
            switch self {
            case .addedInside, .removed, .moved, .retyped, .renamed: true
            case .addedAtTail, .reservedTaken, .reservedShrank, .conditionChanged, .accessChanged: false
            }
        }
    }

    public struct Change: Sendable {
        public let kind: Kind
        public let path: String
        /// Why, in words a review can quote: "retyped from u8[3] to u8; it shrinks from 3 bytes to 1".
        public let reason: String
        /// The field in each version (offsets are the fixed C offsets).
        public let old: PlacedField?
        public let new: PlacedField?
    }

    public let device: Device
    /// How the two sides are named: versions (`1.1`, `1.2`) or files (`blk.layout`, `blk-proposal.layout`).
    public let from: String
    public let to: String
    /// Whether the sides are spec versions of one layout (else two layout files).
    public let comparesVersions: Bool
    public let oldSize: Int
    public let newSize: Int
    public let changes: [Change]
    public let featuresAdded: [Feature]
    public let featuresRemoved: [Feature]

    public var breaking: [Change] { changes.filter(\.kind.isBreaking) }
    public var addedAtTail: [Change] { changes.filter { $0.kind == .addedAtTail } }
    /// New fields in reserved bytes, and the reserved fields that gave them up.
    public var reservedTaken: [Change] { changes.filter { $0.kind == .reservedTaken || $0.kind == .reservedShrank } }
    public var meaningChanges: [Change] { changes.filter { $0.kind == .conditionChanged || $0.kind == .accessChanged } }

    /// One device between two spec versions.
    public init(device: Device, from: SpecVersion, to: SpecVersion) {
        // The device as each version has it, made once: making one builds its field tree again.
        self.init(before: device.asOf(from), after: device.asOf(to), from: from.description, to: to.description,
                  comparesVersions: true)
    }

    /// Two layouts of one device, each named for the report: a proposal against the layout it changes.
    public init(before: Device, after: Device, from: String, to: String, comparesVersions: Bool = false) {
        let device = after
        let oldFeatures = Set(before.features.map(\.name))
        let old = Layout(device: before, features: FeatureSet(), interpretation: .fixed)
        let new = Layout(device: after, features: FeatureSet(), interpretation: .fixed)
        let oldByPath = Dictionary(old.fields.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let newPaths = Set(new.fields.map(\.path))
        let removed = old.fields.filter { !newPaths.contains($0.path) }
        var accountedFor = Set<String>()
        var changes: [Change] = []

        func overlapping(_ field: PlacedField, in candidates: [PlacedField]) -> [PlacedField] {
            guard let start = field.offset, let end = field.end else { return [] }
            return candidates.filter { other in
                guard let otherStart = other.offset, let otherEnd = other.end else { return false }
                return otherStart < end && start < otherEnd
            }
        }

        for field in new.fields {
            guard let offset = field.offset, let end = field.end else { continue }
            if let before = oldByPath[field.path] {
                changes += Self.compare(before, field, from: from, to: to)
                continue
            }
            let covered = overlapping(field, in: removed)
            if offset < old.size, let reason = Self.takesReserved(field, over: overlapping(field, in: old.fields),
                                                                  oldFeatures: oldFeatures, from: from, to: to) {
                changes.append(Change(kind: .reservedTaken, path: field.path, reason: reason, old: nil, new: field))
            } else if let previous = covered.first, covered.count == 1, previous.offset == offset, previous.size == field.size {
                accountedFor.insert(previous.path)
                var reason = "renamed from \(previous.path)"
                if previous.field.type.name != field.field.type.name {
                    reason += " and retyped from \(previous.field.type.name) to \(field.field.type.name)"
                }
                changes.append(Change(kind: .renamed, path: field.path, reason: reason, old: previous, new: field))
            } else if offset >= old.size {
                changes.append(Change(kind: .addedAtTail, path: field.path,
                                      reason: "new at \(Self.bytes(offset, end)), past the \(from) end (\(old.size))"
                                        + Self.underNewFeatures(field, oldFeatures: oldFeatures, from: from),
                                      old: nil, new: field))
            } else if overlapping(field, in: old.fields).isEmpty {
                // Inside the old struct's size but over no old field (the padding after its last field,
                // say): a driver of the old version reads fields at their offsets and never these bytes.
                changes.append(Change(kind: .addedAtTail, path: field.path,
                                      reason: "new at \(Self.bytes(offset, end)), in bytes no \(from) field holds, so no "
                                        + "\(from) driver reads them" + Self.underNewFeatures(field, oldFeatures: oldFeatures, from: from),
                                      old: nil, new: field))
            } else {
                let over = overlapping(field, in: old.fields)
                let bytes = Self.bytes(offset, end)
                let what = over.map { "\($0.path) (\($0.field.type.name) at \($0.offset ?? 0) in \(from))" }.joined(separator: ", ")
                changes.append(Change(kind: .addedInside, path: field.path,
                                      reason: "new at \(bytes), inside the \(from) layout, over \(what)", old: nil, new: field))
            }
        }
        let takenReserved = Set(changes.filter { $0.kind == .reservedTaken }.map(\.path))
        for field in removed where !accountedFor.contains(field.path) {
            let start = field.offset ?? 0
            let takenBy = overlapping(field, in: new.fields).map(\.path)
            // A reserved field given up wholly to fields that take reserved bytes compatibly.
            if field.field.isReserved, !takenBy.isEmpty, takenBy.allSatisfy(takenReserved.contains) {
                changes.append(Change(kind: .reservedShrank, path: field.path,
                                      reason: "reserved \(field.field.type.name) given up to " + takenBy.joined(separator: ", "),
                                      old: field, new: nil))
                continue
            }
            changes.append(Change(kind: .removed, path: field.path,
                                  reason: "gone in \(to); its bytes \(Self.bytes(start, start + field.size)) "
                                    + (takenBy.isEmpty ? "are past the \(to) end" : "now belong to " + takenBy.joined(separator: ", ")),
                                  old: field, new: nil))
        }

        let newFeatures = after.features
        self.device = device
        self.from = from
        self.to = to
        self.comparesVersions = comparesVersions
        self.oldSize = old.size
        self.newSize = new.size
        self.changes = changes
        self.featuresAdded = newFeatures.filter { !oldFeatures.contains($0.name) }
        self.featuresRemoved = before.features.filter { feature in !newFeatures.contains { $0.name == feature.name } }
    }

    /// Why a new field inside the old layout is compatible, if it is: every byte it takes was
    /// reserved in `from`, and it exists only under features `from` did not have.
    private static func takesReserved(_ field: PlacedField, over: [PlacedField], oldFeatures: Set<String>,
                                      from: String, to: String) -> String? {
        guard !over.isEmpty, over.allSatisfy(\.field.isReserved), let condition = field.field.existence?.condition else {
            return nil
        }
        let names = condition.featureNames
        guard !names.isEmpty, names.allSatisfy({ !oldFeatures.contains($0) }) else { return nil }
        let start = field.offset ?? 0
        let reserved = over.map { "\($0.path) (\($0.field.type.name) in \(from))" }.joined(separator: ", ")
        return "new at \(bytes(start, start + field.size)) in bytes \(from) reserved (\(reserved)), only under "
            + "\(names.joined(separator: ", ")), new in \(to)"
    }

    /// The changes to one field present in both versions.
    private static func compare(_ old: PlacedField, _ new: PlacedField, from: String, to: String) -> [Change] {
        var changes: [Change] = []
        if old.offset != new.offset {
            changes.append(Change(kind: .moved, path: new.path,
                                  reason: "moved from \(old.offset ?? 0) to \(new.offset ?? 0)", old: old, new: new))
        }
        let oldType = old.field.type
        let newType = new.field.type
        if oldType.name != newType.name, old.field.isReserved, new.field.isReserved, old.offset == new.offset,
           newType.size < oldType.size {
            changes.append(Change(kind: .reservedShrank, path: new.path,
                                  reason: "reserved \(oldType.name) → \(newType.name): it gives up "
                                    + "\(bytes(oldType.size - newType.size)) to new fields", old: old, new: new))
        } else if oldType.name != newType.name {
            var reason = "retyped from \(oldType.name) to \(newType.name)"
            if oldType.size != newType.size {
                reason += "; it \(newType.size < oldType.size ? "shrinks" : "grows") from \(bytes(oldType.size)) to \(newType.size)"
            } else if oldType.scalar?.byteOrder != newType.scalar?.byteOrder {
                reason += "; same size, byte order \(oldType.scalar?.byteOrder.rawValue ?? "-") → \(newType.scalar?.byteOrder.rawValue ?? "-")"
            }
            changes.append(Change(kind: .retyped, path: new.path, reason: reason, old: old, new: new))
        }
        let oldCondition = old.field.conditionText
        let newCondition = new.field.conditionText
        if oldCondition != newCondition {
            changes.append(Change(kind: .conditionChanged, path: new.path,
                                  reason: "\(oldCondition.isEmpty ? "always" : oldCondition) → "
                                    + "\(newCondition.isEmpty ? "always" : newCondition)", old: old, new: new))
        }
        if old.field.access != new.field.access || old.field.readableAfter != new.field.readableAfter
            || old.field.writableBefore != new.field.writableBefore {
            changes.append(Change(kind: .accessChanged, path: new.path,
                                  reason: "\(old.field.access.rawValue) → \(new.field.access.rawValue)", old: old, new: new))
        }
        return changes
    }

    private static func bytes(_ count: Int) -> String { count == 1 ? "1 byte" : "\(count) bytes" }

    /// `12..15`, or `92` for one byte.
    private static func bytes(_ start: Int, _ end: Int) -> String { end - start == 1 ? "\(start)" : "\(start)..\(end - 1)" }

    /// "; only under MTU, which no 1.0 driver negotiates", when the field exists only under
    /// features the old side did not have: a driver reads a field only under what it negotiated.
    private static func underNewFeatures(_ field: PlacedField, oldFeatures: Set<String>, from: String) -> String {
        guard let names = field.field.existence?.condition.featureNames, !names.isEmpty,
              names.allSatisfy({ !oldFeatures.contains($0) }) else { return "" }
        return "; only under \(names.sorted().joined(separator: ", ")), which no \(from) driver negotiates"
    }
}
