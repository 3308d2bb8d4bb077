import ConfigLayout

/// The checks every probe makes of an observed configuration against its layout, whatever the
/// transport that read it; each probe adds those only its transport can make.
enum ConfigChecks {
    /// Every offered field with a declared range, inside the configuration, holds a value in it.
    static func valuesInRange(_ observation: ConfigObservation, device: Device) -> ProbeCheck {
        let checked = observation.fields.filter { $0.exists && $0.isValid && $0.isInside && device.rangeOf($0.path) != nil }
        let bad = checked.compactMap { field -> String? in
            guard let range = device.rangeOf(field.path), case .integer(let value)? = field.value,
                  !range.contains(value) else { return nil }
            return "\(field.path) is \(value), outside \(range.lowerBound)...\(range.upperBound)"
        }
        return ProbeCheck("ranges", passed: bad.isEmpty,
                          bad.isEmpty ? "every offered field with a declared range holds a value in it (\(checked.count) checked)"
                              : "\(bad.count) offered field\(bad.count == 1 ? "" : "s") hold a value outside the declared range",
                          bad)
    }
}

extension Device {
    /// The declared range of the leaf field at a dotted path.
    func rangeOf(_ path: String) -> ClosedRange<UInt64>? {
        config?.member(at: path.split(separator: ".").map(String.init))?.range
    }
}
