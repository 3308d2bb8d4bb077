import ConfigLayout

/// Which features a device offers in a scenario: its defaults, an exact set, or its defaults edited
/// (`+MTU,-MQ`).
public enum FeatureSelection: Sendable, Equatable {
    case defaults
    case exactly(FeatureSet)
    case edited(adding: FeatureSet, removing: FeatureSet)

    /// Parses `defaults`; `+MTU,-MQ` (every item signed: edits of the defaults); or `MAC,MTU,VERSION_1`,
    /// bit numbers, `none` or `all` (an exact set).
    public static func parse(_ text: String, for device: Device) -> Result<FeatureSelection, ScenarioError> {
        let items = text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        if items == ["defaults"] { return .success(.defaults) }
        let signed = items.filter { $0.hasPrefix("+") || $0.hasPrefix("-") }
        guard signed.isEmpty || signed.count == items.count else {
            return .failure(ScenarioError("'\(text)' mixes edits (+X, -X) with plain names; give either a whole set such as "
                                          + "MAC,MTU,VERSION_1 or edits of the device's defaults such as +MTU,-MQ"))
        }
        func set(_ names: [String], emptyIsNone: Bool = false) -> Result<FeatureSet, ScenarioError> {
            if names.isEmpty && emptyIsNone { return .success(FeatureSet()) }
            return device.parseFeatures(names.joined(separator: ",")).mapError { error in
                ScenarioError(error.message + (error.suggestion.map { "; did you mean '\($0)'?" } ?? ""))
            }
        }
        guard !signed.isEmpty else { return set(items).map { .exactly($0) } }
        let adding = signed.filter { $0.hasPrefix("+") }.map { String($0.dropFirst()) }
        let removing = signed.filter { $0.hasPrefix("-") }.map { String($0.dropFirst()) }
        return set(adding, emptyIsNone: true).flatMap { added in
            set(removing, emptyIsNone: true).map { .edited(adding: added, removing: $0) }
        }
    }

    /// The offered set, given the device's defaults.
    public func resolve(defaults: FeatureSet) -> FeatureSet {
        switch self {
        case .defaults: defaults
        case .exactly(let set): set
        case .edited(let adding, let removing): defaults.union(adding).subtracting(removing)
        }
    }

    /// How a report names the selection.
    public func label(for device: Device) -> String {
        switch self {
        case .defaults: "defaults"
        case .exactly(let set): set.isEmpty ? "none" : device.names(of: set).joined(separator: ",")
        case .edited(let adding, let removing):
            (device.names(of: adding).map { "+" + $0 } + device.names(of: removing).map { "-" + $0 }).joined(separator: ",")
        }
    }
}
