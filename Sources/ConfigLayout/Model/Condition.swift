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

    /// `a && b`, flattening nested conjunctions and dropping `true`.
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
        return flat.count == 1 ? flat[0] : flat.isEmpty ? .always : .all(flat)
    }

    /// `a || b`, flattening nested disjunctions and dropping `false`.
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
        return flat.count == 1 ? flat[0] : flat.isEmpty ? .never : .any(flat)
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
