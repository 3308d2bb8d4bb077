import ConfigLayout

extension Device {
    /// The named features that exist in this layout, as a set; unknown names are skipped.
    func features(named names: [String]) -> FeatureSet {
        var set = FeatureSet()
        for name in names {
            if let bit = bit(named: name) { set.insert(bit) }
        }
        return set
    }

    /// Whether a feature set holds the named feature.
    func has(_ name: String, in features: FeatureSet) -> Bool { isSet(name, in: features) }

    /// `MTU, STATUS` in bit order, or `none`.
    public func list(_ features: FeatureSet) -> String {
        features.isEmpty ? "none" : names(of: features).joined(separator: ", ")
    }
}

/// Linux errno values the models return, with their names for traces.
enum Errno {
    static let einval: Int32 = -22
    static let e2big: Int32 = -7
    static let ebusy: Int32 = -16
    static let eopnotsupp: Int32 = -95

    static func name(_ value: Int32) -> String {
        switch value {
        case 0: "0"
        case einval: "-EINVAL"
        case e2big: "-E2BIG"
        case ebusy: "-EBUSY"
        case eopnotsupp: "-EOPNOTSUPP"
        default: String(value)
        }
    }
}
