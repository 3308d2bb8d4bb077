/// Fields that mean something under a feature set yet lie, wholly or partly, beyond the config size
/// a sizing gives: a driver reading them gets whatever the transport returns past the end (QEMU:
/// all ones). With QEMU's transcribed feature_sizes table this finds where QEMU's table and the
/// layout disagree, such as blk's secure-erase fields when SECURE_ERASE is offered without ZONED.
///
/// Exact with decision diagrams of numbers while they stay under a node limit, which every real
/// device does. Past it (a packed reading of dozens of fields over dozens of features), each later
/// field is decided from bounds read off the terms of its end less the size where it is valid: a
/// field that can never end past the size is left out, one that always does is a gap, and one the
/// bounds cannot settle is a gap that is not decided.
public struct SizeCoverage: Sendable {
    public struct Gap: Sendable {
        public let path: String
        public let field: Field
        public let offset: SymbolicValue
        /// When the field is valid but ends past the size; nil if that has no short form, or is
        /// not decided.
        public let when: Condition?
        /// How many valid sets it happens in; for a gap not decided, how many it may happen in.
        public let setCount: Double
        /// A feature set where it happens: `from` is the config size, `to` the field's end.
        public let example: InterpretationDiff.Example?
        /// False when only bounds were read and they leave the field perhaps beyond the end.
        public let isDecided: Bool
    }

    public let device: Device
    public let interpretation: Interpretation
    public let sizing: Sizing
    public let size: SymbolicValue
    public let space: FeatureSpace
    public let validSetCount: Double
    public let gaps: [Gap]
    /// Whether every field was decided exactly; false once the diagrams reached the node limit.
    public let isExact: Bool

    /// The most nodes the exact diagrams may make, as for a diff's numbers.
    static let nodeLimit = InterpretationDiff.arithmeticNodeLimit

    public init(device: Device, interpretation: Interpretation = .fixed, sizing: Sizing = .qemu,
                honorsRequires: Bool = true) {
        self.init(device: device, interpretation: interpretation, sizing: sizing, honorsRequires: honorsRequires,
                  nodeLimit: Self.nodeLimit)
    }

    init(device: Device, interpretation: Interpretation, sizing: Sizing, honorsRequires: Bool, nodeLimit: Int) {
        let layout = SymbolicLayout(device: device, interpretation: interpretation)
        let size = layout.size(sizing)
        let conditions = layout.fields.flatMap { [$0.exists, $0.valid] }
            + (sizing == .qemu ? device.qemuFeatureSizes.map(\.condition) : [])
        let space = FeatureSpace(device: device, conditions: conditions, honorsRequires: honorsRequires)
        var encoding = FeatureSpaceEncoding(device: device, space: space)
        let diagram = encoding.diagram
        validSetCount = encoding.count(diagram.one)
        diagram.nodeLimit = diagram.nodeCount + nodeLimit
        let sizeNode = encoding.node(for: size)
        var isExact = !diagram.overflowed
        // Conditions alone, for the fields decided by bounds: small diagrams, no arithmetic.
        var logic: FeatureSpaceEncoding?

        var gaps: [Gap] = []
        for field in layout.fields where !field.field.isReserved {
            if isExact {
                let end = encoding.node(for: field.offset + .constant(field.size))
                let beyond = diagram.and(diagram.and(encoding.node(for: field.valid), diagram.apply(.greater, end, sizeNode)),
                                         encoding.domain)
                let gap = beyond == diagram.zero ? nil
                    : Gap(path: field.path, field: field.field, offset: field.offset,
                          when: encoding.readable(beyond, presence: field.valid), setCount: encoding.count(beyond),
                          example: encoding.example(beyond, from: sizeNode, to: end), isDecided: true)
                if !diagram.overflowed {
                    if let gap { gaps.append(gap) }
                    continue
                }
                isExact = false
            }
            var bounds = logic ?? FeatureSpaceEncoding(device: device, space: space)
            if let gap = Self.bounded(field, size: size, logic: &bounds) { gaps.append(gap) }
            logic = bounds
        }
        self.device = device
        self.interpretation = interpretation
        self.sizing = sizing
        self.size = size
        self.space = space
        self.gaps = gaps
        self.isExact = isExact
    }

    /// A field decided from bounds where it is valid: of its end less the size where the size is a
    /// sum (terms the two share cancel), else of each apart.
    private static func bounded(_ field: SymbolicField, size: SymbolicValue, logic: inout FeatureSpaceEncoding) -> Gap? {
        let valid = logic.node(for: field.valid)
        let end = field.offset + .constant(field.size)
        if case .maximum(let parts) = size, Self.someAnchor(of: parts, reaches: end, given: valid, logic: &logic) {
            return nil
        }
        let excess: ClosedRange<Int>?
        if let negated = size.negated {
            excess = logic.bounds(of: end + negated, given: valid)
        } else if let ends = logic.bounds(of: end, given: valid), let sizes = logic.bounds(of: size, given: valid) {
            excess = (ends.lowerBound - sizes.upperBound)...(ends.upperBound - sizes.lowerBound)
        } else {
            excess = nil
        }
        guard let excess, excess.upperBound > 0 else { return nil }
        // Past the end wherever it is valid, or perhaps.
        let always = excess.lowerBound > 0
        return Gap(path: field.path, field: field.field, offset: field.offset, when: always ? field.valid : nil,
                   setCount: logic.count(valid), example: nil, isDecided: always)
    }

    /// Whether QEMU's size, a maximum of anchors each counted under its entry's condition, holds one
    /// that reaches the field's end wherever the field is valid: a constant past the end's bounds, or
    /// the field's own end (where no table is transcribed, each conditional field is an entry).
    /// Cheap where bounds of the whole maximum would walk every anchor for every field.
    private static func someAnchor(of parts: [SymbolicValue], reaches end: SymbolicValue, given valid: DecisionDiagram.Node,
                                   logic: inout FeatureSpaceEncoding) -> Bool {
        let diagram = logic.diagram
        let care = diagram.and(valid, logic.domain)
        if let floor = parts.compactMap(\.constantValue).max(), let ends = logic.bounds(of: end, given: valid),
           ends.upperBound <= floor {
            return true
        }
        // The entries that count wherever the field is valid, latest first (later anchors lie
        // further on), each tried as a floor: the size is at least its anchor there.
        var tried = 0
        for part in parts.reversed() where tried < 8 {
            guard case .product(let condition, let value) = part, let negated = value.negated,
                  diagram.implies(care, logic.node(for: condition)) else { continue }
            tried += 1
            if let excess = logic.bounds(of: end + negated, given: valid), excess.upperBound <= 0 { return true }
        }
        return false
    }
}
