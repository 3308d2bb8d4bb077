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

    /// The leaf field at a dotted path.
    public func field(_ path: String) -> PlacedField? {
        ordinal(of: path).map { fields[$0] }
    }

    /// Where the leaf at a dotted path is in `fields`: the walk places every leaf of the tree, in order.
    public func ordinal(of path: String) -> Int? {
        device.fieldTree.leafOrdinal(of: path).flatMap { $0 < fields.count ? $0 : nil }
    }

    /// Lays out `device` under `features`. The device is taken as it is; use `Device.asOf` first
    /// to pick a spec version.
    public init(device: Device, features: FeatureSet, interpretation: Interpretation, sizing: Sizing = .full) {
        let tree = device.fieldTree
        var walker = Walker(tree: tree, features: features, interpretation: interpretation)
        let fullSize = walker.walk(0..<tree.nodes.count, container: tree.rootKind, base: 0, exists: true, valid: true,
                                   placed: true)
        let members = walker.members
        let size = Self.size(under: sizing, device: device, features: features, members: members, fullSize: fullSize)
        for index in walker.fields.indices {
            walker.fields[index].isInside = walker.fields[index].end.map { $0 <= size } ?? false
        }
        self.device = device
        self.interpretation = interpretation
        self.sizing = sizing
        self.features = features
        self.size = size
        self.fields = walker.fields
        self.members = members
        self.fullSize = fullSize
    }

    /// The size this layout has under `sizing`, without laying the device out again.
    public func size(under sizing: Sizing) -> Int {
        sizing == self.sizing ? size : Self.size(under: sizing, device: device, features: features, members: members,
                                                 fullSize: fullSize)
    }

    private static func size(under sizing: Sizing, device: Device, features: FeatureSet, members: [Member],
                             fullSize: Int) -> Int {
        switch sizing {
        case .full:
            return fullSize
        case .qemu:
            // virtio_get_config_size (hw/virtio/virtio.c): the minimum, raised to the anchor of
            // every entry whose condition holds.
            let table = device.qemuSizeTable
            var largest = measure(table.minimum, node: table.minimumNode, members: members, fullSize: fullSize)
            for entry in table.entries where entry.test.holds(in: features) {
                largest = max(largest, measure(entry.anchor, node: entry.node, members: members, fullSize: fullSize))
            }
            return largest
        }
    }

    /// QEMU's size with some QEMU properties in force: `size(under: .qemu)`, raised to the anchor of
    /// every `qemu property_size` whose property is on (virtio_balloon_config_size's
    /// `qemu-4-0-config-size`, for one). With no property on it is QEMU's default size.
    public func qemuSize(with properties: QemuProperties) -> Int {
        device.qemuSizeTable.propertyEntries.reduce(size(under: .qemu)) { largest, entry in
            properties.isOn(entry.property)
                ? max(largest, Self.measure(entry.anchor, node: entry.node, members: members, fullSize: fullSize))
                : largest
        }
    }

    /// Every member, leaf or not, by its index in the device's field tree: where it starts (or
    /// would start) and its size here.
    private let members: [Member]
    private let fullSize: Int

    private struct Member {
        var offset = 0
        var size = 0
    }

    /// Where an anchor falls in this layout: a byte count, or the end or offset of a member.
    public func measure(_ anchor: SizeAnchor) -> Int {
        let node = anchor.path.flatMap { device.fieldTree.index(of: $0.joined(separator: ".")) }
        return Self.measure(anchor, node: node, members: members, fullSize: fullSize)
    }

    /// A named member that is not in the layout measures as the whole config.
    private static func measure(_ anchor: SizeAnchor, node: Int?, members: [Member], fullSize: Int) -> Int {
        let member = node.map { members[$0] }
        switch anchor {
        case .bytes(let count): return count
        case .wholeConfig: return fullSize
        case .end, .selected: return member.map { $0.offset + $0.size } ?? fullSize
        case .offset: return member?.offset ?? fullSize
        }
    }

    /// The concrete placement: a straight walk over the field tree with the features known.
    private struct Walker {
        let tree: FieldTree
        let features: FeatureSet
        let interpretation: Interpretation
        var fields: [PlacedField] = []
        var members: [Member]

        init(tree: FieldTree, features: FeatureSet, interpretation: Interpretation) {
            self.tree = tree
            self.features = features
            self.interpretation = interpretation
            members = Array(repeating: Member(), count: tree.nodes.count)
            fields.reserveCapacity(tree.leafCount)
        }

        /// Places the sibling fields in `range` (one aggregate's) from `base`; returns the bytes
        /// the aggregate takes.
        mutating func walk(_ range: Range<Int>, container: AggregateKind, base: Int, exists parentExists: Bool,
                           valid parentValid: Bool, placed: Bool) -> Int {
            var cursor = base
            var unionSize = 0
            var index = range.lowerBound
            while index < range.upperBound {
                let step = tree.steps[index]
                let ownExistence = step.existence < 0 || tree.tests[step.existence].holds(in: features)
                let exists = parentExists && ownExistence
                let valid = exists && parentValid && (step.validity < 0 || tree.tests[step.validity].holds(in: features))
                let takesSpace = interpretation.absentFieldsTakeSpace || ownExistence
                let position = container == .union ? base : cursor

                let size: Int
                if let kind = step.aggregate {
                    size = walk(index + 1..<step.subtreeEnd, container: kind, base: position, exists: exists,
                                valid: valid, placed: placed && takesSpace)
                } else {
                    size = step.size
                    fields.append(PlacedField(path: tree.nodes[index].path, field: tree.nodes[index].field,
                                              offset: placed && takesSpace ? position : nil, size: size, exists: exists,
                                              isValid: valid, isConditional: step.isGoverned, isInside: true))
                }
                let occupied = takesSpace ? size : 0
                members[index] = Member(offset: position, size: occupied)
                if container == .struct { cursor += occupied } else { unionSize = max(unionSize, occupied) }
                index = step.subtreeEnd
            }
            return container == .struct ? cursor - base : unionSize
        }
    }
}

extension QemuSizeTable {
    /// The table with each anchor measured in the fixed layout: QEMU's `{flags, end}` pairs, as
    /// code generators write them.
    public func fixedEnds(of device: Device) -> (minimum: Int, entries: [(condition: Condition, end: Int)]) {
        let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        return (layout.measure(minimum), entries.map { ($0.condition, layout.measure($0.anchor)) })
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
    public internal(set) var isInside: Bool

    public var end: Int? { offset.map { $0 + size } }

    /// Whether the field takes any of the `count` bytes at `offset`; a read may be anywhere, so
    /// no sum here can overflow.
    @inlinable
    public func overlaps(offset: Int, count: Int) -> Bool {
        guard let start = self.offset, offset >= 0, count > 0 else { return false }
        // start < offset + count, written without the sum.
        return offset < start + size && (start <= offset || start - offset < count)
    }
}
