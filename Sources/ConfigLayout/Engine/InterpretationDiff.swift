/// Where two interpretations of a layout disagree, over the whole feature space at once: for each
/// field the exact condition under which they place it differently, with an example; when the
/// config sizes differ; and where a placement breaks the natural alignment that PCI and MMIO
/// accesses need. Nothing here enumerates feature sets, so 64 conditional features diff as fast
/// as 6.
public struct InterpretationDiff: Sendable {
    /// One feature set where the interpretations disagree, and the two values there.
    public struct Example: Sendable, Equatable {
        public let features: FeatureSet
        public let from: Int
        public let to: Int
    }

    public struct FieldChange: Sendable {
        public let path: String
        public let field: Field
        public let from: SymbolicField
        public let to: SymbolicField
        /// Whether some valid feature set places the field differently.
        public let moves: Bool
        /// When both interpretations place the field, at different offsets: `.never` if never, nil
        /// if the exact condition has no short form.
        public let movesWhen: Condition?
        /// How many valid feature sets that is.
        public let movedSetCount: Double
        /// How far it moves (from-offset minus to-offset), over the sets where it moves.
        public let shift: ClosedRange<Int>?
        /// The offsets each interpretation gives it, over the valid sets where it places it.
        public let fromOffsets: ClosedRange<Int>?
        public let toOffsets: ClosedRange<Int>?
        public let example: Example?
    }

    public struct SizeChange: Sendable {
        public let from: SymbolicValue
        public let to: SymbolicValue
        /// Whether some valid feature set gives different sizes.
        public let differs: Bool
        /// When the sizes differ; nil if the exact condition has no short form.
        public let differsWhen: Condition?
        public let differingSetCount: Double
        public let example: Example?
        /// The sizes each interpretation gives, over the valid sets.
        public let fromRange: ClosedRange<Int>?
        public let toRange: ClosedRange<Int>?
    }

    /// A field an interpretation places off its natural alignment.
    public struct AlignmentHazard: Sendable {
        public let interpretation: Interpretation
        public let path: String
        public let field: Field
        public let alignment: Int
        public let offset: SymbolicValue
        /// When it is misaligned; nil if that has no short form (usually a parity over the features
        /// before it: read `offset` instead).
        public let when: Condition?
        public let setCount: Double
        /// A feature set and the misaligned offset there (`from` and `to` are both that offset).
        public let example: Example?
    }

    public let device: Device
    public let from: Interpretation
    public let to: Interpretation
    public let sizing: Sizing
    public let space: FeatureSpace
    /// How many feature sets of the space are valid (all 2^n when `requires` is ignored).
    public let validSetCount: Double
    public let fields: [FieldChange]
    public let size: SizeChange
    public let hazards: [AlignmentHazard]

    public init(device: Device, from: Interpretation, to: Interpretation, sizing: Sizing = .full,
                honorsRequires: Bool = true) {
        let fromLayout = SymbolicLayout(device: device, interpretation: from)
        let toLayout = SymbolicLayout(device: device, interpretation: to)
        let conditions = fromLayout.fields.flatMap { [$0.exists, $0.valid] }
            + (sizing == .qemu ? device.qemuFeatureSizes.map(\.condition) : [])
        let space = FeatureSpace(device: device, conditions: conditions, honorsRequires: honorsRequires)
        var encoding = FeatureSpaceEncoding(device: device, space: space)
        let diagram = encoding.diagram

        /// The smallest and largest value of `value` where `condition` holds.
        func span(_ value: DecisionDiagram.Node, where condition: DecisionDiagram.Node) -> ClosedRange<Int>? {
            let values = diagram.values(of: value, where: diagram.and(condition, encoding.domain))
            guard let low = values.min(), let high = values.max() else { return nil }
            return low...high
        }

        var changes: [FieldChange] = []
        for (a, b) in zip(fromLayout.fields, toLayout.fields) {
            let fromOffset = encoding.node(for: a.offset)
            let toOffset = encoding.node(for: b.offset)
            let fromPlaced = encoding.node(for: a.placed)
            let toPlaced = encoding.node(for: b.placed)
            let moved = diagram.and(diagram.and(diagram.and(fromPlaced, toPlaced),
                                                diagram.apply(.notEqual, fromOffset, toOffset)), encoding.domain)
            changes.append(FieldChange(
                path: a.path, field: a.field, from: a, to: b, moves: moved != diagram.zero,
                movesWhen: encoding.readable(moved, presence: a.exists),
                movedSetCount: encoding.count(moved),
                shift: span(diagram.apply(.subtract, fromOffset, toOffset), where: moved),
                fromOffsets: span(fromOffset, where: fromPlaced),
                toOffsets: span(toOffset, where: toPlaced),
                example: encoding.example(moved, from: fromOffset, to: toOffset)))
        }

        let fromSize = fromLayout.size(sizing)
        let toSize = toLayout.size(sizing)
        let fromSizeNode = encoding.node(for: fromSize)
        let toSizeNode = encoding.node(for: toSize)
        let sizeDiffers = diagram.and(diagram.apply(.notEqual, fromSizeNode, toSizeNode), encoding.domain)
        let sizeChange = SizeChange(from: fromSize, to: toSize, differs: sizeDiffers != diagram.zero,
                                    differsWhen: encoding.condition(for: sizeDiffers),
                                    differingSetCount: encoding.count(sizeDiffers),
                                    example: encoding.example(sizeDiffers, from: fromSizeNode, to: toSizeNode),
                                    fromRange: span(fromSizeNode, where: diagram.one),
                                    toRange: span(toSizeNode, where: diagram.one))

        var hazards: [AlignmentHazard] = []
        for layout in from == to ? [fromLayout] : [fromLayout, toLayout] {
            for field in layout.fields {
                let alignment = field.field.type.naturalAlignment
                guard alignment > 1 else { continue }
                let offset = encoding.node(for: field.offset)
                let misaligned = diagram.and(
                    diagram.and(encoding.node(for: field.placed),
                                diagram.apply(.notMultipleOf, offset, diagram.constant(alignment))),
                    encoding.domain)
                guard misaligned != diagram.zero else { continue }
                hazards.append(AlignmentHazard(
                    interpretation: layout.interpretation, path: field.path, field: field.field, alignment: alignment,
                    offset: field.offset, when: encoding.readable(misaligned, presence: field.exists),
                    setCount: encoding.count(misaligned), example: encoding.example(misaligned, from: offset, to: offset)))
            }
        }

        self.device = device
        self.from = from
        self.to = to
        self.sizing = sizing
        self.space = space
        self.validSetCount = encoding.count(diagram.one)
        self.fields = changes
        self.size = sizeChange
        self.hazards = hazards
    }

}
