import ConfigLayout

/// What `serve` offers when it is not told, and what a driver would make of what it serves.
extension ServedDevice {
    /// The features that bring the fields `--set` gives, and VERSION_1: a feature is offered
    /// because a value was given for a field it governs, by `if` or `valid if` (the first of
    /// alternatives, `MQ || RSS` brings MQ), with whatever it requires (CONFIG_WCE brings FLUSH). A feature whose fields hold
    /// nothing but zeros is not offered: blk offers no SEG_MAX with seg_max 0, and no SECURE_ERASE,
    /// which Linux refuses with zero limits (virtblk_probe, drivers/block/virtio_blk.c).
    public static func features(bringing paths: [String], of device: Device) -> FeatureSet {
        var set = FeatureSet()
        if let version = device.feature(named: "VERSION_1") { set.insert(version.bit) }
        // What makes the field exist and mean something: `valid if SIZE` brings SIZE too.
        let conditions = Dictionary(device.fieldConditions.map { ($0.path, Condition.all([$0.exists, $0.valid])) },
                                    uniquingKeysWith: { first, _ in first })
        for path in paths {
            guard let condition = conditions[path] else { continue }
            for name in Self.bringing(condition) {
                if let feature = device.feature(named: name) { set.insert(feature.bit) }
            }
        }
        // Requirements bring their own, until none is unmet (each pass adds a bit, so this ends).
        for _ in 0...device.allFeatures.count {
            let unmet = device.unmetRequirements(in: set)
            guard !unmet.isEmpty else { break }
            for (_, requires) in unmet {
                for name in Self.bringing(requires) {
                    if let feature = device.feature(named: name) { set.insert(feature.bit) }
                }
            }
        }
        return set
    }

    /// The features that make a condition hold, the first of each alternative; none for a negation.
    static func bringing(_ condition: Condition) -> [String] {
        switch condition {
        case .constant, .not: []
        case .feature(let name): [name]
        case .all(let terms): terms.flatMap(bringing)
        case .any(let terms): terms.first.map(bringing) ?? []
        }
    }

    /// What the device type's reference driver model makes of these bytes (the one `simulate` runs
    /// by default: Linux's where there is one), as sentences: its refusal, and each offered field it
    /// reads whose value is out of its range. Empty when it takes the device as it is.
    public func objections() -> [String] {
        let driver = DriverKind.reference(for: device)
        let modern = device.feature(named: "VERSION_1").map { offered.contains($0.bit) } ?? false
        let prediction = driver.predict(device: device, offered: offered, presented: bytes(modern: modern), label: "this device")
        var found: [String] = []
        if let failure = prediction.failure {
            found.append("the \(driver.name) driver model refuses this device (\"\(failure)\")")
        }
        for entry in prediction.trace {
            if case .violation(let violation) = entry.event, violation.party == .device { found.append(violation.detail) }
        }
        return found
    }
}
