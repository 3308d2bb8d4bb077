/// A device's configuration space under one feature set, interpretation and sizing: where every
/// leaf field sits and how big the space is.
///
/// `Layout` is the direct evaluation, one feature set at a time. `SymbolicLayout` gives the same
/// answers for every feature set at once; the two are written separately so tests can hold each
/// against the other.
public struct Layout: Sendable {
    public let device: Device
    public let interpretation: Interpretation
    public let sizing: Sizing
    public let features: FeatureSet
    public let size: Int
    /// One entry per leaf field, in declaration order; nested members are named `outer.inner`.
    public let fields: [PlacedField]

    public func field(_ path: String) -> PlacedField? {
        fields.first { $0.path == path }
    }

    /// Lays out `device` under `features`. The device is taken as it is; use `Device.asOf` first
    /// to pick a spec version.
    public init(device: Device, features: FeatureSet, interpretation: Interpretation, sizing: Sizing = .full) {
        var walker = Walker(device: device, features: features, interpretation: interpretation)
        let fullSize = device.config.map { walker.walk($0, base: 0, prefix: "", exists: true, valid: true,
                                                       placed: true, conditional: false) } ?? 0
        let members = walker.members
        let measure = { (anchor: SizeAnchor) in Self.measure(anchor, members: members, fullSize: fullSize) }
        let size: Int
        switch sizing {
        case .full:
            size = fullSize
        case .qemu:
            // virtio_get_config_size (hw/virtio/virtio.c): the minimum, raised to the anchor of
            // every entry whose condition holds.
            let table = QemuSizeTable(device: device)
            let ends = table.entries.filter { device.holds($0.condition, in: features) }.map { measure($0.anchor) }
            size = max(measure(table.minimum), ends.max() ?? 0)
        }
        self.device = device
        self.interpretation = interpretation
        self.sizing = sizing
        self.features = features
        self.size = size
        self.fields = walker.fields.map { $0.within(size) }
        self.members = members
        self.fullSize = fullSize
    }

    /// Every member, leaf or not, by dotted path: where it starts (or would start) and its size here.
    private let members: [String: (offset: Int, size: Int)]
    private let fullSize: Int

    /// Where an anchor falls in this layout: a byte count, or the end or offset of a member.
    public func measure(_ anchor: SizeAnchor) -> Int {
        Self.measure(anchor, members: members, fullSize: fullSize)
    }

    private static func measure(_ anchor: SizeAnchor, members: [String: (offset: Int, size: Int)], fullSize: Int) -> Int {
        switch anchor {
        case .bytes(let count): count
        case .wholeConfig: fullSize
        case .end(let path): members[path.joined(separator: ".")].map { $0.offset + $0.size } ?? fullSize
        case .offset(let path): members[path.joined(separator: ".")]?.offset ?? fullSize
        case .selected(let path): members[path.joined(separator: ".")].map { $0.offset + $0.size } ?? fullSize
        }
    }

    /// The concrete placement: a straight walk over the fields with the features known.
    private struct Walker {
        let device: Device
        let features: FeatureSet
        let interpretation: Interpretation
        var fields: [PlacedField] = []
        /// Every member, leaf or not, by path: where it starts (or would start) and its size here.
        var members: [String: (offset: Int, size: Int)] = [:]

        init(device: Device, features: FeatureSet, interpretation: Interpretation) {
            self.device = device
            self.features = features
            self.interpretation = interpretation
        }

        /// Places an aggregate's fields from `base`; returns the bytes it takes.
        mutating func walk(_ aggregate: Aggregate, base: Int, prefix: String, exists parentExists: Bool,
                           valid parentValid: Bool, placed: Bool, conditional parentConditional: Bool) -> Int {
            var cursor = base
            var unionSize = 0
            for field in aggregate.fields {
                let ownExistence = field.existence.map { device.holds($0.condition, in: features) } ?? true
                let exists = parentExists && ownExistence
                let valid = exists && parentValid && (field.validity.map { device.holds($0.condition, in: features) } ?? true)
                let conditional = parentConditional || field.existence != nil || field.validity != nil
                let takesSpace = interpretation.absentFieldsTakeSpace || ownExistence
                let position = aggregate.kind == .union ? base : cursor
                let path = prefix + field.name

                let size: Int
                if case .aggregate(let inner) = field.type {
                    size = walk(inner, base: position, prefix: path + ".", exists: exists, valid: valid,
                                placed: placed && takesSpace, conditional: conditional)
                } else {
                    size = field.type.size
                    fields.append(PlacedField(path: path, field: field, offset: placed && takesSpace ? position : nil,
                                              size: size, exists: exists, isValid: valid, isConditional: conditional,
                                              isInside: true))
                }
                let occupied = takesSpace ? size : 0
                members[path] = (position, occupied)
                if aggregate.kind == .struct { cursor += occupied } else { unionSize = max(unionSize, occupied) }
            }
            return aggregate.kind == .struct ? cursor - base : unionSize
        }
    }
}

/// A leaf field in a layout.
public struct PlacedField: Sendable {
    /// `mac`, `geometry.cylinders`.
    public let path: String
    public let field: Field
    /// Nil when the field takes no space (absent in a packed layout).
    public let offset: Int?
    public let size: Int
    /// Every `if` condition from the config down to the field holds.
    public let exists: Bool
    /// It exists and every `valid if` on the way holds: the value means something.
    public let isValid: Bool
    /// Some condition (`if` or `valid if`) on the way governs it.
    public let isConditional: Bool
    /// Its bytes lie inside the configuration space's size.
    public let isInside: Bool

    public var end: Int? { offset.map { $0 + size } }

    func within(_ size: Int) -> PlacedField {
        PlacedField(path: path, field: field, offset: offset, size: self.size, exists: exists, isValid: isValid,
                    isConditional: isConditional, isInside: end.map { $0 <= size } ?? false)
    }
}
