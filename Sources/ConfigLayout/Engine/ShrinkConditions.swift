/// When the packed reading puts a field somewhere else than the fixed one, as a plain condition:
/// packed offsets are the fixed ones less the bytes of every earlier slot that shrinks, and every
/// shrink is non-negative, so a field moves exactly when some slot before it shrinks. No offset is
/// added up, so this stays small however many conditional fields a layout has.
///
/// A leaf shrinks when it is absent (its own `if` fails). A struct shrinks when it is absent or a
/// member shrinks. A union's packed size is the largest of its members', so it shrinks when it is
/// absent or every member as large as the union shrinks.
struct ShrinkConditions {
    /// For each leaf path: some slot before it, in its enclosing structs, shrinks.
    private(set) var before: [String: Condition] = [:]
    /// Some top-level slot shrinks: the packed struct is smaller than the fixed one.
    private(set) var whole: Condition = .never

    init(config: Aggregate?) {
        guard let config else { return }
        whole = visit(config, prefix: "", earlier: .never)
    }

    /// Records every leaf's condition in `aggregate`, given that `earlier` holds when something before
    /// the aggregate shrinks; returns when the aggregate's contents shrink.
    private mutating func visit(_ aggregate: Aggregate, prefix: String, earlier: Condition) -> Condition {
        var preceding = earlier
        var shrinks: [Condition] = []
        for field in aggregate.fields {
            let path = prefix + field.name
            let absent = field.existence.map { $0.condition.negated } ?? .never
            let own: Condition
            if case .aggregate(let inner) = field.type {
                own = Condition.or([absent, visit(inner, prefix: path + ".", earlier: preceding)])
            } else {
                before[path] = preceding
                own = absent
            }
            // A slot of no bytes moves nothing when it goes.
            let slot = field.type.size == 0 ? .never : own
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
