/// The conditions in force down to each declared field: its own, and those of every struct or
/// union that encloses it. A member of a conditional struct exists only when the struct does, and
/// every report and generated file says so.
extension Device {
    public struct FieldConditions: Sendable {
        /// `geometry.cylinders`.
        public let path: String
        public let field: Field
        /// Every `if` from the config down to the field.
        public let exists: Condition
        /// It exists and every `valid if` on the way holds.
        public let valid: Condition
        /// The nearest enclosing field whose conditions it inherits, when it has none of its own.
        public let inheritedFrom: String?

        public var isConditional: Bool { exists != .always || valid != .always }
    }

    /// Every declared field, aggregates and their members included, in declaration order.
    public var fieldConditions: [FieldConditions] {
        var result: [FieldConditions] = []
        func visit(_ aggregate: Aggregate, prefix: String, exists: Condition, valid: Condition, owner: String?) {
            for field in aggregate.fields {
                let path = prefix + field.name
                let fieldExists = Condition.and([exists, field.existence?.condition ?? .always])
                let fieldValid = Condition.and([fieldExists, valid, field.validity?.condition ?? .always])
                let hasOwn = field.existence != nil || field.validity != nil
                let inherited = hasOwn ? nil : owner
                result.append(FieldConditions(path: path, field: field, exists: fieldExists, valid: fieldValid,
                                              inheritedFrom: inherited))
                if case .aggregate(let inner) = field.type {
                    visit(inner, prefix: path + ".", exists: fieldExists, valid: fieldValid, owner: hasOwn ? path : owner)
                }
            }
        }
        if let config { visit(config, prefix: "", exists: .always, valid: .always, owner: nil) }
        return result
    }

    /// The CONDITION a report shows for a field: its own (`if MQ`), or the one it inherits, with
    /// where from (`if GEOMETRY (geometry)`); empty when nothing governs it.
    public func conditionText(ofPath path: String) -> String {
        guard let conditions = fieldConditions.first(where: { $0.path == path }) else { return "" }
        let own = conditions.field.conditionText
        guard own.isEmpty, let owner = conditions.inheritedFrom,
              let enclosing = fieldConditions.first(where: { $0.path == owner }) else { return own }
        return "\(enclosing.field.conditionText) (\(owner))"
    }
}
