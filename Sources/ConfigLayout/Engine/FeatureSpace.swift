/// The feature sets a diff ranges over: every feature that occurs in a field's condition, and —
/// when `requires` is honoured — only the sets a device may offer (a device "MUST NOT offer a
/// feature which requires another feature which was not offered", virtio 1.4 §2.2).
public struct FeatureSpace: Sendable {
    /// The features that decide the layout, in order of first appearance.
    public let features: [String]
    /// Features that only `requires` brings in (net's CTRL_VQ): they complete example sets.
    public let supporting: [String]
    public let honorsRequires: Bool

    public init(device: Device, conditions: [Condition], honorsRequires: Bool) {
        var features: [String] = []
        for condition in conditions {
            for name in condition.featureNames where !features.contains(name) { features.append(name) }
        }
        var supporting: [String] = []
        if honorsRequires {
            var queue = features
            while let name = queue.first {
                queue.removeFirst()
                for required in device.feature(named: name)?.requires?.featureNames ?? []
                where !features.contains(required) && !supporting.contains(required) {
                    supporting.append(required)
                    queue.append(required)
                }
            }
        }
        self.features = features
        self.supporting = supporting
        self.honorsRequires = honorsRequires
    }
}

/// The feature space as decision diagrams: conditions, symbolic values, the domain of valid
/// sets, counts and example sets.
struct FeatureSpaceEncoding {
    typealias Node = DecisionDiagram.Node

    let device: Device
    let space: FeatureSpace
    let diagram: DecisionDiagram
    private let index: [String: Int]
    /// The valid sets over every variable, supporting ones included.
    private(set) var fullDomain: Node
    /// The valid sets over the space's own features (supporting features quantified away).
    private(set) var domain: Node
    private var synthesizer: FormulaSynthesizer
    private var conditionCache: [Condition: Node] = [:]
    /// Sums by their leading parts: consecutive fields' offsets share all but their last terms.
    private var sumCache: [[SymbolicValue]: Node] = [:]

    init(device: Device, space: FeatureSpace) {
        let names = space.features + space.supporting
        let diagram = DecisionDiagram(variableCount: names.count)
        self.device = device
        self.space = space
        self.diagram = diagram
        self.index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        self.synthesizer = FormulaSynthesizer(diagram: diagram, names: names)
        self.fullDomain = diagram.one
        self.domain = diagram.one

        guard space.honorsRequires else { return }
        var valid = diagram.one
        for name in names {
            guard let requires = device.feature(named: name)?.requires else { continue }
            // feature → requires
            valid = diagram.and(valid, diagram.or(diagram.not(node(for: .feature(name))), node(for: requires)))
        }
        var projected = valid
        for variable in space.features.count..<names.count {
            projected = diagram.exists(projected, variable: variable)
        }
        self.fullDomain = valid
        self.domain = projected
    }

    mutating func node(for condition: Condition) -> Node {
        if let cached = conditionCache[condition] { return cached }
        let result: Node
        switch condition {
        case .constant(let value): result = value ? diagram.one : diagram.zero
        case .feature(let name):
            // A feature outside the space (possible only for supporting ones when requires are
            // ignored) cannot be set.
            result = index[name].map { diagram.variable($0) } ?? diagram.zero
        case .not(let inner): result = diagram.not(node(for: inner))
        case .all(let operands): result = operands.reduce(diagram.one) { diagram.and($0, node(for: $1)) }
        case .any(let operands): result = operands.reduce(diagram.zero) { diagram.or($0, node(for: $1)) }
        }
        conditionCache[condition] = result
        return result
    }

    mutating func node(for value: SymbolicValue) -> Node {
        switch value {
        case .constant(let count): return diagram.constant(count)
        case .term(let count, let condition):
            return diagram.apply(.multiply, node(for: condition), diagram.constant(count))
        case .sum(let parts):
            return sum(parts[...])
        case .maximum(let parts):
            return parts.reduce(diagram.zero) { diagram.apply(.maximum, $0, node(for: $1)) }
        case .product(let condition, let value):
            return diagram.apply(.multiply, node(for: condition), node(for: value))
        }
    }

    /// The value modulo 8, all arithmetic done modulo 8 so the diagram has at most eight leaves:
    /// enough to tell alignment. Nil for a value with a maximum in it, which modular arithmetic
    /// cannot carry.
    mutating func residue(for value: SymbolicValue) -> Node? {
        switch value {
        case .constant(let count): return diagram.constant(count & 7)
        case .term(let count, let condition):
            return diagram.apply(.multiply, node(for: condition), diagram.constant(count & 7))
        case .sum(let parts):
            var total = diagram.zero
            for part in parts {
                guard let next = residue(for: part) else { return nil }
                total = diagram.apply(.addModulo8, total, next)
            }
            return total
        case .maximum:
            return nil
        case .product(let condition, let inner):
            return residue(for: inner).map { diagram.apply(.multiply, node(for: condition), $0) }
        }
    }

    /// The sum of `parts`, reusing the sum of every leading run already built.
    private mutating func sum(_ parts: ArraySlice<SymbolicValue>) -> Node {
        guard let last = parts.last else { return diagram.zero }
        let key = Array(parts)
        if let cached = sumCache[key] { return cached }
        let result = diagram.apply(.add, sum(parts.dropLast()), node(for: last))
        sumCache[key] = result
        return result
    }

    /// A short condition equal to `node` on every valid set; nil if it has no short form.
    mutating func condition(for node: Node) -> Condition? {
        synthesizer.condition(for: node, care: domain)
    }

    /// A short condition equal to `node` wherever `care` holds (a subset of the valid sets).
    mutating func condition(for node: Node, care: Node) -> Condition? {
        synthesizer.condition(for: node, care: diagram.and(care, domain))
    }

    /// A short exact reading of `node`, a condition that implies the field's `presence`: the
    /// presence "and" the rest (`MTU && !(STATUS && (MQ || RSS))` reads as "mtu exists and …"), or
    /// the whole synthesized at once when that reads shorter. The whole is tried only when the
    /// split form is missing or long, since it rarely wins.
    mutating func readable(_ node: Node, presence: Condition) -> Condition? {
        let present = diagram.and(self.node(for: presence), domain)
        var split: Condition?
        if presence != .always, diagram.implies(node, present),
           let rest = condition(for: node, care: present),
           let presentCondition = condition(for: present) {
            split = Condition.and([presentCondition, rest])
        }
        if let split, FormulaSynthesizer.cost(split) <= Self.shortEnough { return split }
        guard let whole = condition(for: node) else { return split }
        guard let split else { return whole }
        return FormulaSynthesizer.cost(split) <= FormulaSynthesizer.cost(whole) ? split : whole
    }

    /// About six feature names: a condition this short is not worth trying to shorten.
    private static let shortEnough = 66

    /// How many valid sets of the space's features satisfy `node` (which mentions only those).
    func count(_ node: Node) -> Double {
        var total = diagram.satisfyingCount(diagram.and(node, domain))
        for _ in space.supporting { total /= 2 }
        return total
    }

    /// The valid set with the fewest features that satisfies `node`, supporting features included.
    func example(_ node: Node) -> FeatureSet? {
        guard let variables = diagram.sparsestSatisfying(diagram.and(node, fullDomain)) else { return nil }
        let names = space.features + space.supporting
        return FeatureSet(bits: variables.compactMap { device.feature(named: names[$0])?.bit })
    }

    /// A valid set satisfying `node` drawn at random, supporting features included.
    func randomExample(_ node: Node, using random: inout some RandomNumberGenerator) -> FeatureSet? {
        guard let variables = diagram.randomSatisfying(diagram.and(node, fullDomain), using: &random) else { return nil }
        let names = space.features + space.supporting
        return FeatureSet(bits: variables.compactMap { device.feature(named: names[$0])?.bit })
    }

    /// The sparsest valid set satisfying `condition`, with what `from` and `to` are there.
    func example(_ condition: Node, from: Node, to: Node) -> InterpretationDiff.Example? {
        example(condition).map {
            InterpretationDiff.Example(features: $0, from: evaluate(from, under: $0), to: evaluate(to, under: $0))
        }
    }

    /// The value a diagram takes under a feature set.
    func evaluate(_ node: Node, under features: FeatureSet) -> Int {
        let names = space.features + space.supporting
        var current = node
        while diagram.value(current) == nil {
            let variable = Int(diagram.level(current))
            current = diagram.restrict(current, variable: variable, to: device.isSet(names[variable], in: features))
        }
        return diagram.value(current) ?? 0
    }
}

extension FeatureSpaceEncoding {
    /// Bounds on a non-negative value over the valid sets where `given` holds, from its terms alone:
    /// a term counts toward the least when `given` forces its condition, toward the most when
    /// `given` allows it. Exact for a value of independent terms; only bounds in general, and
    /// reported as such. Nil when `given` holds nowhere.
    mutating func bounds(of value: SymbolicValue, given: Node) -> ClosedRange<Int>? {
        let care = diagram.and(given, domain)
        guard care != diagram.zero else { return nil }
        func walk(_ value: SymbolicValue, _ care: Node) -> (low: Int, high: Int) {
            switch value {
            case .constant(let count):
                return (count, count)
            case .term(let count, let condition):
                let holds = node(for: condition)
                let forced = diagram.implies(care, holds)
                let possible = diagram.and(care, holds) != diagram.zero
                // A negative count (a difference of two values) is least where it is possible.
                let always = forced ? count : 0, perhaps = possible ? count : 0
                return (min(always, perhaps), max(always, perhaps))
            case .sum(let parts):
                return parts.reduce((0, 0)) { total, part in
                    let bounds = walk(part, care)
                    return (total.0 + bounds.low, total.1 + bounds.high)
                }
            case .maximum(let parts):
                let all = parts.map { walk($0, care) }
                return (all.map(\.low).max() ?? 0, all.map(\.high).max() ?? 0)
            case .product(let condition, let inner):
                let holds = node(for: condition)
                let forced = diagram.implies(care, holds)
                let within = diagram.and(care, holds)
                guard within != diagram.zero else { return (0, 0) }
                let bounds = walk(inner, within)
                // Where the condition may fail the value is 0 too.
                return forced ? (bounds.low, bounds.high) : (min(0, bounds.low), max(0, bounds.high))
            }
        }
        let (low, high) = walk(value, care)
        return low...max(low, high)
    }
}
