/// A boolean expression over feature names: when a field exists, when it is valid, what a feature
/// requires, and what the engine reports back (for example the condition under which a field moves).
public indirect enum Condition: Hashable, Sendable {
    case constant(Bool)
    case feature(String)
    case not(Condition)
    case all([Condition])
    case any([Condition])

    public static let always = Condition.constant(true)
    public static let never = Condition.constant(false)

    /// `a && b`, flattening nested conjunctions, dropping `true` and repeated operands, `false` for
    /// an operand beside its negation, and absorbing a disjunction an operand already implies:
    /// `(R || S) && S` is `S`.
    public static func and(_ operands: [Condition]) -> Condition {
        var flat: [Condition] = []
        for operand in operands {
            switch operand {
            case .constant(true): continue
            case .constant(false): return .never
            case .all(let inner): flat.append(contentsOf: inner)
            default: flat.append(operand)
            }
        }
        flat = simplified(flat, absorbing: { if case .any(let inner) = $0 { inner } else { nil } })
        if flat.contains(where: { flat.contains($0.negated) && !$0.isConstant }) { return .never }
        return flat.count == 1 ? flat[0] : flat.isEmpty ? .always : .all(flat)
    }

    /// `a || b`, flattening nested disjunctions, dropping `false` and repeated operands, `true` for an
    /// operand beside its negation, and absorbing a conjunction that implies another operand:
    /// `(R && S) || S` is `S`.
    public static func or(_ operands: [Condition]) -> Condition {
        var flat: [Condition] = []
        for operand in operands {
            switch operand {
            case .constant(false): continue
            case .constant(true): return .always
            case .any(let inner): flat.append(contentsOf: inner)
            default: flat.append(operand)
            }
        }
        flat = simplified(flat, absorbing: { if case .all(let inner) = $0 { inner } else { nil } })
        if flat.contains(where: { flat.contains($0.negated) && !$0.isConstant }) { return .always }
        return flat.count == 1 ? flat[0] : flat.isEmpty ? .never : .any(flat)
    }

    /// Operands without repeats, and without a compound (`parts`) one of whose parts is itself an
    /// operand: for `&&` a disjunction with a part among the conjuncts is implied by that part.
    private static func simplified(_ operands: [Condition], absorbing parts: (Condition) -> [Condition]?) -> [Condition] {
        var unique: [Condition] = []
        for operand in operands where !unique.contains(operand) { unique.append(operand) }
        return unique.filter { operand in
            guard let inner = parts(operand) else { return true }
            return !inner.contains { part in unique.contains(part) }
        }
    }

    private var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }

    public var negated: Condition {
        switch self {
        case .constant(let value): .constant(!value)
        case .not(let inner): inner
        default: .not(self)
        }
    }

    public func evaluate(_ isSet: (String) -> Bool) -> Bool {
        switch self {
        case .constant(let value): value
        case .feature(let name): isSet(name)
        case .not(let inner): !inner.evaluate(isSet)
        case .all(let operands): operands.allSatisfy { $0.evaluate(isSet) }
        case .any(let operands): operands.contains { $0.evaluate(isSet) }
        }
    }

    /// Feature names in order of first appearance.
    public var featureNames: [String] {
        var seen = Set<String>()
        var names: [String] = []
        func visit(_ condition: Condition) {
            switch condition {
            case .constant: break
            case .feature(let name): if seen.insert(name).inserted { names.append(name) }
            case .not(let inner): visit(inner)
            case .all(let operands), .any(let operands): operands.forEach(visit)
            }
        }
        visit(self)
        return names
    }

    /// How many feature names the condition mentions, counting repeats: a measure of its length.
    public var literalCount: Int {
        switch self {
        case .constant: 0
        case .feature: 1
        case .not(let inner): inner.literalCount
        case .all(let operands), .any(let operands): operands.reduce(0) { $0 + $1.literalCount }
        }
    }

    /// How many `!` the condition has.
    public var negationCount: Int {
        switch self {
        case .constant, .feature: 0
        case .not(let inner): 1 + inner.negationCount
        case .all(let operands), .any(let operands): operands.reduce(0) { $0 + $1.negationCount }
        }
    }
}

extension Condition: CustomStringConvertible {
    /// The condition in layout syntax, with the parentheses precedence needs and, for the reader,
    /// parentheses around `&&` inside `||`: `MTU && !(STATUS && (MQ || RSS))`.
    public var description: String { rendered { $0 } }

    /// The condition with each feature name written by `literal`, in the `!`, `&&`, `||` syntax that
    /// layouts, C, Rust and Swift share, with the same parentheses as `description`.
    public func rendered(_ literal: (String) -> String) -> String {
        switch self {
        case .constant(let value): return value ? "true" : "false"
        case .feature(let name): return literal(name)
        case .not(let inner):
            switch inner {
            case .constant, .feature, .not: return "!" + inner.rendered(literal)
            default: return "!(" + inner.rendered(literal) + ")"
            }
        case .all(let operands):
            return operands.map { operand in
                if case .any = operand { return "(" + operand.rendered(literal) + ")" }
                return operand.rendered(literal)
            }.joined(separator: " && ")
        case .any(let operands):
            return operands.map { operand in
                if case .all = operand { return "(" + operand.rendered(literal) + ")" }
                return operand.rendered(literal)
            }.joined(separator: " || ")
        }
    }

    /// Written so that it can stand as the left operand of `&&`.
    public func renderedAsOperand(_ literal: (String) -> String) -> String {
        if case .any = self { return "(" + rendered(literal) + ")" }
        return rendered(literal)
    }
}
