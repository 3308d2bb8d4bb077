/// A byte count as a function of the features: a constant plus terms that count only when their
/// condition holds, and (for unions and QEMU's sizing) maxima of such sums.
///
///     mtu (packed) = 6 + 2·[STATUS] + 2·[MQ || RSS]
public indirect enum SymbolicValue: Hashable, Sendable {
    case constant(Int)
    /// `coefficient·[condition]`: the coefficient when the condition holds, else 0.
    case term(Int, Condition)
    case sum([SymbolicValue])
    case maximum([SymbolicValue])
    /// `[condition]·(value)`: the value when the condition holds, else 0.
    case product(Condition, SymbolicValue)

    public static let zero = SymbolicValue.constant(0)

    public static func + (lhs: SymbolicValue, rhs: SymbolicValue) -> SymbolicValue {
        SymbolicValue.sum([lhs, rhs]).normalized()
    }

    /// The value times -1, for a difference whose shared terms cancel; nil for a maximum, whose
    /// negation is a minimum this form cannot write.
    public var negated: SymbolicValue? {
        switch self {
        case .constant(let count): .constant(-count)
        case .term(let count, let condition): .term(-count, condition)
        case .sum(let parts):
            Self.negatedParts(parts).map { .sum($0) }
        case .product(let condition, let inner): inner.negated.map { .product(condition, $0) }
        case .maximum: nil
        }
    }

    private static func negatedParts(_ parts: [SymbolicValue]) -> [SymbolicValue]? {
        var negated: [SymbolicValue] = []
        negated.reserveCapacity(parts.count)
        for part in parts {
            guard let value = part.negated else { return nil }
            negated.append(value)
        }
        return negated
    }

    /// The value where `condition` holds, 0 elsewhere. A constant or a single term absorbs the
    /// condition; anything larger keeps it outside, as `[condition]·(value)`.
    public func scaled(by condition: Condition) -> SymbolicValue {
        SymbolicValue.product(condition, self).normalized()
    }

    public func evaluate(_ isSet: (String) -> Bool) -> Int {
        switch self {
        case .constant(let value): value
        case .term(let value, let condition): condition.evaluate(isSet) ? value : 0
        case .sum(let parts): parts.reduce(0) { $0 + $1.evaluate(isSet) }
        case .maximum(let parts): parts.map { $0.evaluate(isSet) }.max() ?? 0
        case .product(let condition, let value): condition.evaluate(isSet) ? value.evaluate(isSet) : 0
        }
    }

    /// The constant, when the value does not depend on any feature.
    public var constantValue: Int? {
        if case .constant(let value) = self { return value }
        return nil
    }

    /// Flattens sums, adds constants, merges terms with the same condition (in order of first
    /// appearance), drops zero terms, and folds maxima of constants.
    public func normalized() -> SymbolicValue {
        switch self {
        case .constant:
            return self
        case .term(let value, let condition):
            if value == 0 || condition == .never { return .zero }
            return condition == .always ? .constant(value) : self
        case .product(let condition, let value):
            let inner = value.normalized()
            switch (condition, inner) {
            case (.constant(true), _): return inner
            case (.constant(false), _), (_, .constant(0)): return .zero
            case (_, .constant(let count)): return .term(count, condition)
            case (_, .term(let count, let innerCondition)): return .term(count, .and([condition, innerCondition]))
            case (_, .product(let innerCondition, let innerValue)): return .product(.and([condition, innerCondition]), innerValue)
            default: return .product(condition, inner)
            }
        case .sum(let parts):
            var constant = 0
            var coefficients: [Condition: Int] = [:]
            var order: [Condition] = []
            // Maxima and products are kept as they are, after the terms.
            var maxima: [SymbolicValue] = []
            func add(_ part: SymbolicValue) {
                switch part {
                case .constant(let value): constant += value
                case .term(let value, let condition):
                    if coefficients[condition] == nil { order.append(condition) }
                    coefficients[condition, default: 0] += value
                case .sum(let inner): inner.forEach { add($0.normalized()) }
                case .maximum, .product: maxima.append(part)
                }
            }
            parts.forEach { add($0.normalized()) }
            var result: [SymbolicValue] = constant != 0 ? [.constant(constant)] : []
            for condition in order where coefficients[condition] != 0 {
                result.append(.term(coefficients[condition] ?? 0, condition))
            }
            result += maxima
            return result.isEmpty ? .zero : result.count == 1 ? result[0] : .sum(result)
        case .maximum(let parts):
            var constant = 0
            var coefficients: [Condition: Int] = [:]
            var order: [Condition] = []
            var others: [SymbolicValue] = []
            func add(_ part: SymbolicValue) {
                switch part {
                case .constant(let value): constant = max(constant, value)
                case .term(let value, let condition):
                    // max(a·[c], b·[c]) = max(a, b)·[c]
                    if coefficients[condition] == nil { order.append(condition) }
                    coefficients[condition] = max(coefficients[condition] ?? 0, value)
                case .maximum(let inner): inner.forEach { add($0.normalized()) }
                default: if !others.contains(part) { others.append(part) }
                }
            }
            parts.forEach { add($0.normalized()) }
            // Terms are never negative, and a term no larger than the constant never wins.
            var result: [SymbolicValue] = constant != 0 || (order.isEmpty && others.isEmpty) ? [.constant(constant)] : []
            for condition in order where (coefficients[condition] ?? 0) > constant {
                result.append(.term(coefficients[condition] ?? 0, condition))
            }
            result += others
            return result.count == 1 ? result[0] : .maximum(result)
        }
    }

    /// How many terms the value has: a measure of how long it reads.
    public var termCount: Int {
        switch self {
        case .constant, .term: 1
        case .sum(let parts), .maximum(let parts): parts.reduce(0) { $0 + $1.termCount }
        case .product(_, let value): 1 + value.termCount
        }
    }
}

extension SymbolicValue: CustomStringConvertible {
    /// `6 + 2·[STATUS] + 2·[MQ || RSS]`, `max(6, 10·[MQ], 12·[MTU])`.
    public var description: String {
        switch self {
        case .constant(let value): return String(value)
        case .term(let value, let condition): return "\(value)·[\(condition)]"
        case .sum(let parts): return parts.map(\.description).joined(separator: " + ")
        case .maximum(let parts): return "max(" + parts.map(\.description).joined(separator: ", ") + ")"
        case .product(let condition, let value): return "[\(condition)]·(\(value))"
        }
    }
}
