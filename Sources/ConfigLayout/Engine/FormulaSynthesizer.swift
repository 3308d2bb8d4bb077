/// Writes a 0/1 decision diagram back as a short condition a person can read, such as
/// `MTU && !(STATUS && (MQ || RSS))`.
///
/// It works on an interval [lower, upper]: any formula between the two will do, which lets feature
/// sets outside the care set (those breaking a `requires`) take whichever value reads shorter.
/// It first drops variables the interval does not need; then at each step it
///   1. pulls out literals every solution has (`a && ...`) or that alone suffice (`a || ...`),
///   2. otherwise factors an irredundant sum of products,
/// and it tries the complement too, keeping whichever of `f` and `!(¬f)` reads shorter.
///
/// Some functions have no short form: whether an offset is a multiple of 4 is a parity over the
/// features before it, whose sum of products doubles with every feature. Past a budget of
/// products the synthesizer gives up and returns nil rather than an unreadable formula.
struct FormulaSynthesizer {
    typealias Node = DecisionDiagram.Node

    let diagram: DecisionDiagram
    /// The feature name of each variable.
    let names: [String]
    private var memo: [Interval: Condition?] = [:]

    /// The most products a sum may have before the synthesizer gives up.
    static let productLimit = 48

    private struct Interval: Hashable {
        let lower: Node
        let upper: Node
    }

    init(diagram: DecisionDiagram, names: [String]) {
        self.diagram = diagram
        self.names = names
    }

    /// A short condition equal to `function` wherever `care` holds; nil if it has no short form.
    mutating func condition(for function: Node, care: Node) -> Condition? {
        // Variables only the care set mentions are never needed: project them out of it at once.
        let own = Set(diagram.support(function))
        let projected = diagram.exists(care, variables: Set(diagram.support(care)).subtracting(own))
        var lower = diagram.and(function, projected)
        var upper = diagram.or(function, diagram.not(projected))
        dropUnneededVariables(&lower, &upper)
        return synthesize(lower: lower, upper: upper)
    }

    /// A variable is unneeded when some function without it fits the interval, that is when
    /// ∃v.lower ≤ ∀v.upper, which holds exactly when each cofactor of lower lies under the other
    /// cofactor of upper. Quantifying it away widens the choice for what follows.
    private func dropUnneededVariables(_ lower: inout Node, _ upper: inout Node) {
        guard lower != upper else { return }  // With no don't-cares every variable is needed.
        for variable in Set(diagram.support(lower) + diagram.support(upper)).sorted()
        where diagram.canDrop(variable: variable, lower: lower, upper: upper) {
            lower = diagram.exists(lower, variable: variable)
            upper = diagram.forAll(upper, variable: variable)
        }
    }

    /// How long a condition reads: names count most, each `!` a little.
    static func cost(_ condition: Condition) -> Int {
        condition.literalCount * 10 + condition.negationCount * 3
    }

    mutating func synthesize(lower: Node, upper: Node) -> Condition? {
        if lower == diagram.zero { return .never }
        if upper == diagram.one { return .always }
        let key = Interval(lower: lower, upper: upper)
        if let known = memo[key] { return known }

        let result: Condition?
        if lower == diagram.zero {
            result = .never
        } else if upper == diagram.one {
            result = .always
        } else {
            let direct = build(lower: lower, upper: upper)
            let complement = build(lower: diagram.not(upper), upper: diagram.not(lower))?.negated
            switch (direct, complement) {
            case (let direct?, let complement?): result = Self.cost(complement) < Self.cost(direct) ? complement : direct
            default: result = direct ?? complement
            }
        }
        memo[key] = result
        return result
    }

    private mutating func build(lower: Node, upper: Node) -> Condition? {
        func condition(_ variable: Int, _ value: Bool) -> Condition {
            value ? .feature(names[variable]) : .not(.feature(names[variable]))
        }
        // Literals every solution has (lower ≤ l), and literals that alone suffice (l ≤ upper,
        // that is ¬l is forced in ¬upper).
        let implied = diagram.forcedLiterals(lower).sorted { $0.key < $1.key }
        let sufficient = diagram.forcedLiterals(diagram.not(upper)).map { ($0.key, !$0.value) }.sorted { $0.0 < $1.0 }

        // A single literal.
        for (variable, value) in implied where sufficient.contains(where: { $0 == variable && $1 == value }) {
            return condition(variable, value)
        }

        // Literals every solution has: g = l1 && l2 && g'.
        if !implied.isEmpty {
            var restLower = lower
            var restUpper = upper
            for (variable, value) in implied {
                restLower = diagram.restrict(restLower, variable: variable, to: value)
                restUpper = diagram.restrict(restUpper, variable: variable, to: value)
            }
            return synthesize(lower: restLower, upper: restUpper).map { .and(implied.map(condition) + [$0]) }
        }

        // Literals that alone suffice: g = l1 || l2 || g'.
        if !sufficient.isEmpty {
            var restLower = lower
            var restUpper = upper
            for (variable, value) in sufficient {
                restLower = diagram.restrict(restLower, variable: variable, to: !value)
                restUpper = diagram.restrict(restUpper, variable: variable, to: !value)
            }
            return synthesize(lower: restLower, upper: restUpper).map { .or(sufficient.map(condition) + [$0]) }
        }

        return diagram.irredundantCover(lower: lower, upper: upper, limit: Self.productLimit).map(factor)
    }

    /// Algebraic factoring of a sum of products: pull out what every product shares, then split on
    /// the literal most products have.
    private func factor(_ cubes: [DecisionDiagram.Cube]) -> Condition {
        struct Literal: Hashable, Comparable {
            let variable: Int
            let value: Bool
            static func < (a: Literal, b: Literal) -> Bool { (a.variable, a.value ? 0 : 1) < (b.variable, b.value ? 0 : 1) }
        }
        let products = cubes.map { Set($0.map { Literal(variable: $0.variable, value: $0.value) }) }
        func condition(_ literal: Literal) -> Condition {
            literal.value ? .feature(names[literal.variable]) : .not(.feature(names[literal.variable]))
        }
        func factor(_ products: [Set<Literal>]) -> Condition {
            if products.isEmpty { return .never }
            if products.contains(where: \.isEmpty) { return .always }
            if products.count == 1 { return .and(products[0].sorted().map(condition)) }
            let common = products.dropFirst().reduce(products[0]) { $0.intersection($1) }
            if !common.isEmpty {
                return .and(common.sorted().map(condition) + [factor(products.map { $0.subtracting(common) })])
            }
            var counts: [Literal: Int] = [:]
            for product in products { for literal in product { counts[literal, default: 0] += 1 } }
            guard let (best, count) = counts.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }).first,
                  count > 1 else {
                return .or(products.map { .and($0.sorted().map(condition)) })
            }
            let with = products.filter { $0.contains(best) }.map { $0.subtracting([best]) }
            let without = products.filter { !$0.contains(best) }
            return .or([.and([condition(best), factor(with)]), factor(without)])
        }
        return factor(products)
    }
}
