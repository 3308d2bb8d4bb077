/// A device's layout under an interpretation for every feature set at once: each field's offset
/// and the config size as symbolic values, and each field's presence as a condition.
///
/// `Layout` computes one feature set concretely; this computes all of them without enumerating.
/// Tests hold the two against each other.
public struct SymbolicLayout: Sendable {
    public let device: Device
    public let interpretation: Interpretation
    /// One entry per leaf field, in declaration order.
    public let fields: [SymbolicField]
    /// The size under `Sizing.full`.
    public let fullSize: SymbolicValue
    private let members: [String: (offset: SymbolicValue, size: SymbolicValue)]

    public init(device: Device, interpretation: Interpretation) {
        var walker = Walker(interpretation: interpretation)
        let size = device.config.map { walker.walk($0, base: .zero, prefix: "", exists: .always, valid: .always,
                                                   conditional: false) } ?? .zero
        self.device = device
        self.interpretation = interpretation
        self.fields = walker.fields
        self.fullSize = size
        self.members = walker.members
    }

    public func field(_ path: String) -> SymbolicField? {
        fields.first { $0.path == path }
    }

    public func size(_ sizing: Sizing) -> SymbolicValue {
        switch sizing {
        case .full:
            return fullSize
        case .qemu:
            // virtio_get_config_size: max(min_size, anchor of each entry whose features are offered).
            return SymbolicValue.maximum(qemuAnchors.map { $0.value.scaled(by: $0.condition) }).normalized()
        }
    }

    /// QEMU's size in parts: the minimum (which always counts) and then each entry of the table,
    /// with when it counts, what it names and where that falls.
    var qemuAnchors: [(condition: Condition, anchor: SizeAnchor, value: SymbolicValue)] {
        let table = QemuSizeTable(device: device)
        return [(Condition.always, table.minimum, measure(table.minimum))]
            + table.entries.map { ($0.condition, $0.anchor, measure($0.anchor)) }
    }

    /// QEMU's size table measured in this layout: the minimum and where each entry's anchor falls,
    /// as functions of the features. Under packed an anchor moves with the fields before it, so
    /// the ends differ from the fixed ones code generators write.
    public var qemuTable: QemuEnds {
        let anchors = qemuAnchors
        return QemuEnds(minimum: anchors.first?.value ?? .zero,
                        entries: anchors.dropFirst().map { QemuEnds.Entry(condition: $0.condition, end: $0.value) })
    }

    /// Where an anchor falls, as a function of the features.
    private func measure(_ anchor: SizeAnchor) -> SymbolicValue {
        switch anchor {
        case .bytes(let count): .constant(count)
        case .wholeConfig: fullSize
        case .end(let path): members[path.joined(separator: ".")].map { $0.offset + $0.size } ?? fullSize
        case .offset(let path): members[path.joined(separator: ".")]?.offset ?? fullSize
        case .selected(let path): members[path.joined(separator: ".")].map { $0.offset + $0.size } ?? fullSize
        }
    }

    private struct Walker {
        let interpretation: Interpretation
        var fields: [SymbolicField] = []
        var members: [String: (offset: SymbolicValue, size: SymbolicValue)] = [:]

        /// Places an aggregate's fields from `base`; returns the bytes it takes.
        mutating func walk(_ aggregate: Aggregate, base: SymbolicValue, prefix: String, exists parentExists: Condition,
                           valid parentValid: Condition, conditional parentConditional: Bool) -> SymbolicValue {
            var taken: [SymbolicValue] = []
            for field in aggregate.fields {
                let ownExistence = field.existence?.condition ?? .always
                let exists = Condition.and([parentExists, ownExistence])
                let valid = Condition.and([exists, parentValid, field.validity?.condition ?? .always])
                let conditional = parentConditional || field.existence != nil || field.validity != nil
                let position = aggregate.kind == .union ? base : (SymbolicValue.sum([base] + taken)).normalized()
                let path = prefix + field.name

                let size: SymbolicValue
                if case .aggregate(let inner) = field.type {
                    size = walk(inner, base: position, prefix: path + ".", exists: exists, valid: valid,
                                conditional: conditional)
                } else {
                    size = .constant(field.type.size)
                    fields.append(SymbolicField(path: path, field: field, offset: position, size: field.type.size,
                                                placed: interpretation.absentFieldsTakeSpace ? .always : exists,
                                                exists: exists, valid: valid, isConditional: conditional))
                }
                let occupied = interpretation.absentFieldsTakeSpace ? size : size.scaled(by: ownExistence)
                members[path] = (position, occupied)
                taken.append(occupied)
            }
            return aggregate.kind == .struct ? SymbolicValue.sum(taken).normalized()
                : SymbolicValue.maximum(taken).normalized()
        }
    }
}

/// A leaf field's placement for every feature set.
public struct SymbolicField: Sendable {
    public let path: String
    public let field: Field
    /// Where the field sits whenever it is placed.
    public let offset: SymbolicValue
    public let size: Int
    /// When the field takes space: always in fixed, when it exists in packed.
    public let placed: Condition
    /// When every `if` from the config down to the field holds.
    public let exists: Condition
    /// When it exists and every `valid if` on the way holds.
    public let valid: Condition
    /// Whether any condition governs it.
    public let isConditional: Bool
}

/// QEMU's size table in a symbolic layout: the size is the largest of `minimum` and the `end` of
/// every entry whose condition holds.
public struct QemuEnds: Sendable {
    public struct Entry: Sendable {
        /// When the entry counts: any of its features offered.
        public let condition: Condition
        /// Where its anchor falls.
        public let end: SymbolicValue
    }

    public let minimum: SymbolicValue
    public let entries: [Entry]
}
