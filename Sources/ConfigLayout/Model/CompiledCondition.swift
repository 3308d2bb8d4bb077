/// A condition with its feature names resolved to bit numbers once, so that testing it against a
/// feature set looks nothing up. Laying a device out over thousands of feature sets tests the same
/// few conditions each time; a name no feature declares is never set, as in `Device.holds`.
public indirect enum CompiledCondition: Sendable {
    case constant(Bool)
    case bit(Int)
    case not(CompiledCondition)
    case all([CompiledCondition])
    case any([CompiledCondition])

    public init(_ condition: Condition, bitOf: (String) -> Int?) {
        switch condition {
        case .constant(let value): self = .constant(value)
        case .feature(let name): self = bitOf(name).map(CompiledCondition.bit) ?? .constant(false)
        case .not(let inner): self = .not(CompiledCondition(inner, bitOf: bitOf))
        case .all(let operands): self = .all(operands.map { CompiledCondition($0, bitOf: bitOf) })
        case .any(let operands): self = .any(operands.map { CompiledCondition($0, bitOf: bitOf) })
        }
    }

    public func holds(in features: FeatureSet) -> Bool {
        switch self {
        case .constant(let value): value
        case .bit(let bit): features.contains(bit)
        case .not(let inner): !inner.holds(in: features)
        case .all(let operands): operands.allSatisfy { $0.holds(in: features) }
        case .any(let operands): operands.contains { $0.holds(in: features) }
        }
    }
}
