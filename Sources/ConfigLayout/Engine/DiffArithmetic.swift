/// The numbers of a diff: each field's offsets, how far it moves, the sizes, and whether an offset
/// is aligned. Exact with decision diagrams of numbers while they stay under a node limit, which
/// every real device does; past it, offsets and shifts become bounds read off the terms, and
/// alignment is computed modulo 8 alone, which keeps its diagrams small.
struct DiffArithmetic {
    typealias Node = DecisionDiagram.Node
    /// `exact` says whether the three are exact or only bounds.
    typealias Ranges = (from: ClosedRange<Int>?, to: ClosedRange<Int>?, shift: ClosedRange<Int>?, exact: Bool)

    private var exact: FeatureSpaceEncoding
    private var modular: FeatureSpaceEncoding
    /// Whether the exact manager is still within its limit. Once it is not, every later range is
    /// a bound; those answered before stay exact.
    private var isExact = true

    init(device: Device, space: FeatureSpace, limit: Int) {
        exact = FeatureSpaceEncoding(device: device, space: space)
        exact.diagram.nodeLimit = exact.diagram.nodeCount + limit
        modular = FeatureSpaceEncoding(device: device, space: space)
        modular.diagram.nodeLimit = modular.diagram.nodeCount + limit
    }

    /// The offsets each interpretation gives a field where it places it, and the shift where it moves.
    mutating func ranges(from a: SymbolicField, to b: SymbolicField, moved: Condition,
                         logic: inout FeatureSpaceEncoding) -> Ranges {
        if isExact {
            let diagram = exact.diagram
            let fromOffset = exact.node(for: a.offset)
            let toOffset = exact.node(for: b.offset)
            let movedNode = exact.node(for: moved)
            let result = (from: span(fromOffset, where: exact.node(for: a.placed)),
                          to: span(toOffset, where: exact.node(for: b.placed)),
                          shift: span(diagram.apply(.subtract, fromOffset, toOffset), where: movedNode), exact: true)
            if !diagram.overflowed { return result }
            isExact = false
        }
        let movedNode = logic.node(for: moved)
        let fromMoved = logic.bounds(of: a.offset, given: movedNode)
        let toMoved = logic.bounds(of: b.offset, given: movedNode)
        let shift = fromMoved.flatMap { from in
            toMoved.map { to in (from.lowerBound - to.upperBound)...(from.upperBound - to.lowerBound) }
        }
        return (logic.bounds(of: a.offset, given: logic.node(for: a.placed)),
                logic.bounds(of: b.offset, given: logic.node(for: b.placed)), shift, false)
    }

    /// The least and greatest values of `value` over every valid set, and whether they are exact.
    mutating func range(of value: SymbolicValue, logic: inout FeatureSpaceEncoding) -> (ClosedRange<Int>?, exact: Bool) {
        if let constant = value.constantValue { return (constant...constant, true) }
        if isExact {
            let result = span(exact.node(for: value), where: exact.diagram.one)
            if !exact.diagram.overflowed { return (result, true) }
            isExact = false
        }
        return (logic.bounds(of: value, given: logic.diagram.one), false)
    }

    /// What is known of a field's alignment.
    enum Alignment {
        /// Never off its alignment.
        case aligned
        /// Off its alignment exactly where this 0/1 diagram (in `logic`'s manager) holds.
        case misaligned(Node)
        /// Too large to decide exactly.
        case undecided
    }

    /// Whether the modular arithmetic ran out of room: every later offset would too, as each
    /// includes the earlier ones.
    private var modularOverflowed = false

    /// Where the field is placed off its natural alignment.
    mutating func alignment(of field: SymbolicField, alignment: Int, logic: inout FeatureSpaceEncoding) -> Alignment {
        // Terms that are multiples of the alignment cannot misalign anything.
        if Self.isMultiple(field.offset, of: alignment) { return .aligned }
        guard !modularOverflowed else { return .undecided }
        let diagram = modular.diagram
        guard let offset = modular.residue(for: field.offset) ?? exactOffset(field.offset) else { return .undecided }
        let misaligned = diagram.and(diagram.and(modular.node(for: field.placed),
                                                 diagram.apply(.notMultipleOf, offset, diagram.constant(alignment))),
                                     modular.domain)
        if diagram.overflowed {
            modularOverflowed = true
            return .undecided
        }
        return misaligned == diagram.zero ? .aligned : .misaligned(logic.diagram.copy(misaligned, from: diagram))
    }

    /// Whether every coefficient of a value is a multiple of `alignment`.
    static func isMultiple(_ value: SymbolicValue, of alignment: Int) -> Bool {
        switch value {
        case .constant(let count), .term(let count, _): count % alignment == 0
        case .sum(let parts), .maximum(let parts): parts.allSatisfy { isMultiple($0, of: alignment) }
        case .product(_, let inner): isMultiple(inner, of: alignment)
        }
    }

    /// An offset with a maximum in it, in the modular manager by full arithmetic.
    private mutating func exactOffset(_ value: SymbolicValue) -> Node? {
        modular.node(for: value)
    }

    /// The least and greatest value of `value` where `condition` holds, in the exact manager.
    private func span(_ value: Node, where condition: Node) -> ClosedRange<Int>? {
        let diagram = exact.diagram
        let values = diagram.values(of: value, where: diagram.and(condition, exact.domain))
        guard let low = values.min(), let high = values.max() else { return nil }
        return low...high
    }
}
