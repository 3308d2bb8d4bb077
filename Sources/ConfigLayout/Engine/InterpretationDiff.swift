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
        /// Whether the offsets and the shift are exact; if not, they are bounds the truth lies within.
        public let rangesAreExact: Bool
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
        /// Whether each range is exact; if not, it is a bound the truth lies within.
        public let fromRangeIsExact: Bool
        public let toRangeIsExact: Bool
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

    /// Whether every range (offsets, shifts, sizes) is exact. When a layout is too large for the
    /// exact arithmetic, some are bounds (still sound: the true range lies within), each says which,
    /// and reports say so. Conditions, counts and examples are always exact.
    public var rangesAreExact: Bool {
        fields.allSatisfy(\.rangesAreExact) && size.fromRangeIsExact && size.toRangeIsExact
    }

    /// The most decision-diagram nodes the exact ranges may take (a few MB; real devices need a few
    /// thousand): past it they are bounds.
    static let arithmeticNodeLimit = 1 << 17

    /// Fields whose alignment the diff could not decide (a layout too large for the exact modular
    /// arithmetic) and found no misaligned example for, per interpretation.
    public let undecidedAlignment: [(interpretation: Interpretation, path: String)]

    public init(device: Device, from: Interpretation, to: Interpretation, sizing: Sizing = .full,
                honorsRequires: Bool = true) {
        self.init(device: device, from: from, to: to, sizing: sizing, honorsRequires: honorsRequires,
                  arithmeticNodeLimit: Self.arithmeticNodeLimit)
    }

    /// With a chosen limit on the exact arithmetic (tests take it to nothing to check the bounds).
    init(device: Device, from: Interpretation, to: Interpretation, sizing: Sizing, honorsRequires: Bool,
         arithmeticNodeLimit: Int) {
        let fromLayout = SymbolicLayout(device: device, interpretation: from)
        let toLayout = SymbolicLayout(device: device, interpretation: to)
        let conditions = fromLayout.fields.flatMap { [$0.exists, $0.valid] }
            + (sizing == .qemu ? device.qemuFeatureSizes.map(\.condition) : [])
        let space = FeatureSpace(device: device, conditions: conditions, honorsRequires: honorsRequires)
        // Conditions, counts and examples: plain 0/1 diagrams, always exact.
        var logic = FeatureSpaceEncoding(device: device, space: space)
        // Offsets as numbers, for exact ranges while they fit; bounds after.
        var arithmetic = DiffArithmetic(device: device, space: space, limit: arithmeticNodeLimit)
        let shrinks = ShrinkConditions(config: device.config)
        let differ = from != to
        let diagram = logic.diagram

        var changes: [FieldChange] = []
        for (a, b) in zip(fromLayout.fields, toLayout.fields) {
            let placedBoth = Condition.and([a.placed, b.placed])
            // Packed offsets are the fixed ones less every earlier slot that shrinks: a field moves
            // exactly when one does.
            let movedCondition = differ ? Condition.and([placedBoth, shrinks.before[a.path] ?? .never]) : .never
            let moved = diagram.and(logic.node(for: movedCondition), logic.domain)
            let example = logic.example(moved).map {
                Example(features: $0, from: Self.evaluate(a.offset, $0, device), to: Self.evaluate(b.offset, $0, device))
            }
            let ranges = arithmetic.ranges(from: a, to: b, moved: movedCondition, logic: &logic)
            changes.append(FieldChange(
                path: a.path, field: a.field, from: a, to: b, moves: moved != diagram.zero,
                movesWhen: logic.readable(moved, presence: a.exists), movedSetCount: logic.count(moved),
                shift: moved == diagram.zero ? nil : ranges.shift, fromOffsets: ranges.from, toOffsets: ranges.to,
                rangesAreExact: ranges.exact, example: example))
        }

        let sizeChange = SizeChange(from: fromLayout, to: toLayout, sizing: sizing, shrinks: shrinks,
                                    logic: &logic, arithmetic: &arithmetic)

        var hazards: [AlignmentHazard] = []
        var undecided: [(interpretation: Interpretation, path: String)] = []
        for layout in from == to ? [fromLayout] : [fromLayout, toLayout] {
            for field in layout.fields {
                let alignment = field.field.type.naturalAlignment
                guard alignment > 1 else { continue }
                let misaligned: DecisionDiagram.Node
                switch arithmetic.alignment(of: field, alignment: alignment, logic: &logic) {
                case .aligned: continue
                case .misaligned(let node): misaligned = node
                case .undecided:
                    // Too large to count: a misaligned example, found by trying sets, still shows it.
                    if let witness = Self.misalignedWitness(field, alignment: alignment, logic: &logic, device: device) {
                        hazards.append(AlignmentHazard(
                            interpretation: layout.interpretation, path: field.path, field: field.field, alignment: alignment,
                            offset: field.offset, when: nil, setCount: .nan,
                            example: Example(features: witness.features, from: witness.offset, to: witness.offset)))
                    } else {
                        undecided.append((layout.interpretation, field.path))
                    }
                    continue
                }
                hazards.append(AlignmentHazard(
                    interpretation: layout.interpretation, path: field.path, field: field.field, alignment: alignment,
                    offset: field.offset, when: logic.readable(misaligned, presence: field.exists),
                    setCount: logic.count(misaligned),
                    example: logic.example(misaligned).map {
                        let offset = Self.evaluate(field.offset, $0, device)
                        return Example(features: $0, from: offset, to: offset)
                    }))
            }
        }

        self.device = device
        self.from = from
        self.to = to
        self.sizing = sizing
        self.space = space
        self.validSetCount = logic.count(diagram.one)
        self.fields = changes
        self.size = sizeChange
        self.hazards = hazards
        self.undecidedAlignment = undecided
    }

    /// A valid set that places `field` off its alignment, found by trying the sparsest set that
    /// places it and then sets drawn at random (seeded) from those that do; nil if none is found.
    static func misalignedWitness(_ field: SymbolicField, alignment: Int, logic: inout FeatureSpaceEncoding,
                                  device: Device) -> (features: FeatureSet, offset: Int)? {
        let placed = logic.diagram.and(logic.node(for: field.placed), logic.domain)
        var random = SplitMix64(seed: SplitMix64.seed(field.path))
        let candidates = [logic.example(placed)] + (0..<256).map { _ in logic.randomExample(placed, using: &random) }
        for case let features? in candidates {
            let offset = evaluate(field.offset, features, device)
            if offset % alignment != 0 { return (features, offset) }
        }
        return nil
    }

    /// A symbolic value under one feature set.
    static func evaluate(_ value: SymbolicValue, _ features: FeatureSet, _ device: Device) -> Int {
        value.evaluate { device.isSet($0, in: features) }
    }
}
