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

    public static let zero = SymbolicValue.constant(0)

    public static func + (lhs: SymbolicValue, rhs: SymbolicValue) -> SymbolicValue {
        SymbolicValue.sum([lhs, rhs]).normalized()
    }

    /// The value where `condition` holds, 0 elsewhere.
    public func scaled(by condition: Condition) -> SymbolicValue {
        if condition == .always { return self }
        switch self {
        case .constant(let value): return value == 0 ? .zero : .term(value, condition)
        case .term(let value, let inner): return .term(value, .and([condition, inner]))
        case .sum(let parts): return SymbolicValue.sum(parts.map { $0.scaled(by: condition) }).normalized()
        // max(a, b)·[c] = max(a·[c], b·[c]) because every part is at least 0.
        case .maximum(let parts): return SymbolicValue.maximum(parts.map { $0.scaled(by: condition) }).normalized()
        }
    }

    public func evaluate(_ isSet: (String) -> Bool) -> Int {
        switch self {
        case .constant(let value): value
        case .term(let value, let condition): condition.evaluate(isSet) ? value : 0
        case .sum(let parts): parts.reduce(0) { $0 + $1.evaluate(isSet) }
        case .maximum(let parts): parts.map { $0.evaluate(isSet) }.max() ?? 0
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
        case .sum(let parts):
            var constant = 0
            var coefficients: [Condition: Int] = [:]
            var order: [Condition] = []
            var maxima: [SymbolicValue] = []
            func add(_ part: SymbolicValue) {
                switch part {
                case .constant(let value): constant += value
                case .term(let value, let condition):
                    if coefficients[condition] == nil { order.append(condition) }
                    coefficients[condition, default: 0] += value
                case .sum(let inner): inner.forEach { add($0.normalized()) }
                case .maximum: maxima.append(part)
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
            var constant: Int?
            var rest: [SymbolicValue] = []
            for part in parts.map({ $0.normalized() }) {
                switch part {
                case .constant(let value): constant = max(constant ?? value, value)
                case .maximum(let inner): rest.append(contentsOf: inner)
                default: if !rest.contains(part) { rest.append(part) }
                }
            }
            // Terms are never negative, so a zero constant adds nothing to a maximum.
            if let value = constant, value != 0 || rest.isEmpty { rest.insert(.constant(value), at: 0) }
            return rest.count == 1 ? rest[0] : .maximum(rest)
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
        }
    }
}
