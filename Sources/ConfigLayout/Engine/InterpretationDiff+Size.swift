extension InterpretationDiff.SizeChange {
    /// The config sizes of two readings of a layout over every valid set: when they differ, how
    /// many sets that is, an example, and the range of each.
    ///
    /// The packed reading's sizes are never larger than the fixed one's. Under full sizing the
    /// packed struct is smaller exactly when some top-level slot shrinks; under QEMU's sizing,
    /// `QemuSizeComparison` answers as plainly, and gives the fixed range exactly. Only a packed
    /// range needs the arithmetic, within its limit.
    init(from: SymbolicLayout, to: SymbolicLayout, sizing: Sizing, shrinks: ShrinkConditions,
         logic: inout FeatureSpaceEncoding, arithmetic: inout DiffArithmetic) {
        let device = from.device
        let diagram = logic.diagram
        let fromSize = from.size(sizing)
        let toSize = to.size(sizing)
        let fixed = from.interpretation == .fixed ? from : to.interpretation == .fixed ? to : nil
        let comparison = sizing == .qemu ? fixed.flatMap { QemuSizeComparison(fixed: $0, shrinks: shrinks, logic: &logic) }
            : nil

        var differs = diagram.zero
        if from.interpretation != to.interpretation {
            if sizing == .full {
                differs = logic.node(for: shrinks.whole)
            } else if let comparison {
                differs = diagram.not(comparison.equal(in: diagram))
            } else {
                // No reading of these two is fixed with constant anchors: compare the sizes as numbers.
                differs = diagram.apply(.notEqual, logic.node(for: fromSize), logic.node(for: toSize))
            }
            differs = diagram.and(differs, logic.domain)
        }

        func range(_ layout: SymbolicLayout, _ size: SymbolicValue, arithmetic: inout DiffArithmetic)
            -> (ClosedRange<Int>?, exact: Bool) {
            if layout.interpretation == .fixed, let comparison {
                return (comparison.fixedRange(in: diagram, domain: logic.domain), true)
            }
            return arithmetic.range(of: size, logic: &logic)
        }
        var fromRange = range(from, fromSize, arithmetic: &arithmetic)
        var toRange = range(to, toSize, arithmetic: &arithmetic)
        // A packed size never exceeds the fixed one, set by set: a bound on it need reach no higher.
        func cap(_ bound: inout (ClosedRange<Int>?, exact: Bool), by fixed: (ClosedRange<Int>?, exact: Bool)) {
            guard !bound.exact, let range = bound.0, let high = fixed.0?.upperBound else { return }
            bound.0 = range.lowerBound...max(range.lowerBound, min(range.upperBound, high))
        }
        if from.interpretation == .fixed, to.interpretation == .packed { cap(&toRange, by: fromRange) }
        if to.interpretation == .fixed, from.interpretation == .packed { cap(&fromRange, by: toRange) }
        self.init(from: fromSize, to: toSize, differs: differs != diagram.zero,
                  differsWhen: logic.condition(for: differs), differingSetCount: logic.count(differs),
                  example: logic.example(differs).map {
                      InterpretationDiff.Example(features: $0, from: InterpretationDiff.evaluate(fromSize, $0, device),
                                                 to: InterpretationDiff.evaluate(toSize, $0, device))
                  },
                  fromRange: fromRange.0, toRange: toRange.0, fromRangeIsExact: fromRange.exact,
                  toRangeIsExact: toRange.exact)
    }
}
