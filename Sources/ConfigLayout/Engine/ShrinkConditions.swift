/// When the packed reading puts a field somewhere else than the fixed one, as a plain condition:
/// packed offsets are the fixed ones less the bytes of every earlier slot that shrinks, and every
/// shrink is non-negative, so a field moves exactly when some slot before it shrinks. No offset is
/// added up, so this stays small however many conditional fields a layout has.
///
/// A leaf shrinks when it is absent (its own `if` fails). A struct shrinks when it is absent or a
/// member shrinks. A union's packed size is the largest of its members', so it shrinks when it is
/// absent or every member as large as the union shrinks.
struct ShrinkConditions {
    /// For each member path, leaf or not: some slot before it, in its enclosing structs, shrinks.
    private(set) var before: [String: Condition] = [:]
    /// For each member path: its own slot shrinks (it is absent, or what it holds shrinks).
    private(set) var own: [String: Condition] = [:]
    /// Some top-level slot shrinks: the packed struct is smaller than the fixed one.
    private(set) var whole: Condition = .never

    init(config: Aggregate?) {
        guard let config else { return }
        whole = visit(config, prefix: "", earlier: .never)
    }

    /// When the packed reading measures a QEMU size anchor below the fixed reading, as conditions
    /// any one of which is enough: the slots before the anchor, and for an end the member's own.
    /// An anchor naming no member measures the whole config, as `SymbolicLayout` measures it.
    func shrinks(_ anchor: SizeAnchor) -> [Condition] {
        let path = anchor.path?.joined(separator: ".")
        switch anchor {
        case .bytes: return []
        case .wholeConfig: return [whole]
        case .offset:
            guard let path, let before = before[path] else { return [whole] }
            return [before]
        case .end, .selected:
            guard let path, let before = before[path], let own = own[path] else { return [whole] }
            return [before, own]
        }
    }

    /// Records every member's conditions in `aggregate`, given that `earlier` holds when something
    /// before the aggregate shrinks; returns when the aggregate's contents shrink.
    private mutating func visit(_ aggregate: Aggregate, prefix: String, earlier: Condition) -> Condition {
        var preceding = earlier
        var shrinks: [Condition] = []
        for field in aggregate.fields {
            let path = prefix + field.name
            let absent = field.existence.map { $0.condition.negated } ?? .never
            before[path] = preceding
            let contents: Condition
            if case .aggregate(let inner) = field.type {
                contents = Condition.or([absent, visit(inner, prefix: path + ".", earlier: preceding)])
            } else {
                contents = absent
            }
            // A slot of no bytes moves nothing when it goes.
            let slot = field.type.size == 0 ? .never : contents
            own[path] = slot
            shrinks.append(slot)
            if aggregate.kind == .struct { preceding = Condition.or([preceding, slot]) }
        }
        switch aggregate.kind {
        case .struct:
            return Condition.or(shrinks)
        case .union:
            let largest = aggregate.fields.map(\.type.size).max() ?? 0
            let widest = zip(aggregate.fields, shrinks).filter { $0.0.type.size == largest }.map(\.1)
            return widest.isEmpty ? .never : Condition.and(widest)
        }
    }
}
