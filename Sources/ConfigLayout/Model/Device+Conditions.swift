/// The conditions in force down to each field, as reports show them.
extension Device {
    public typealias FieldConditions = FieldTree.Node

    /// Every declared field, aggregates and their members included, in declaration order.
    public var fieldConditions: [FieldConditions] { fieldTree.nodes }

    /// The CONDITION a report shows for a field: its own (`if MQ`), or the one it inherits, with
    /// where from (`if GEOMETRY (geometry)`); empty when nothing governs it.
    public func conditionText(ofPath path: String) -> String {
        guard let conditions = fieldTree.node(path) else { return "" }
        let own = conditions.field.conditionText
        guard own.isEmpty, let owner = conditions.inheritedFrom, let enclosing = fieldTree.node(owner) else { return own }
        return "\(enclosing.field.conditionText) (\(owner))"
    }
}
