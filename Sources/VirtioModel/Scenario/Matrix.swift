import ConfigLayout

/// Every driver against every device model of one device type, each on its usual bus, under a list
/// of feature selections; each outcome is set beside the reference pair, the type's reference driver
/// (Linux's) on QEMU over virtio-pci with the same offered features and values, which follows the
/// spec and the fixed layout.
public struct Matrix: Sendable {
    public struct Row: Sendable {
        public let selection: String
        public let outcome: Outcome
        public let reference: Outcome
        /// Where the outcome differs from the reference: `probe`, or the name of a value it shows.
        public let differences: [String]
    }

    /// A pair that could not run because the device refused to be created, and why.
    public struct Skipped: Sendable {
        public let selection: String
        public let driver: DriverKind
        public let device: DeviceKind
        public let reason: String
    }

    public let deviceType: Device
    public let reference: DriverKind
    public let selections: [String]
    public let rows: [Row]
    public let skipped: [Skipped]
    public let hostIsLittleEndian: Bool

    /// The values the rows show, in the reference's order, then any only other drivers show.
    public var valueNames: [String] {
        var names: [String] = []
        for row in rows {
            for name in row.reference.view.names + row.outcome.view.names where !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The selections a matrix uses when none are given: each device's defaults and, for net, MTU
    /// without MQ, the case from the 2021 thread.
    public static func defaultSelections(for device: Device) -> [FeatureSelection] {
        guard device.feature(named: "MTU") != nil, device.feature(named: "MQ") != nil else { return [.defaults] }
        return [.defaults, .edited(adding: device.features(named: ["MTU"]), removing: device.features(named: ["MQ"]))]
    }

    public init(simulator: Simulator, selections: [FeatureSelection], drivers: [DriverKind]? = nil,
                devices: [DeviceKind]? = nil, hostIsLittleEndian: Bool = true) {
        let device = simulator.device
        let reference = DriverKind.reference(for: device, in: simulator.driverKinds)
        var rows: [Row] = []
        var skipped: [Skipped] = []
        for selection in selections {
            let label = selection.label(for: device)
            var references: [DeviceKind: Outcome] = [:]
            for deviceKind in devices ?? simulator.devices {
                let base = Scenario(driver: reference, device: deviceKind, features: selection,
                                    hostIsLittleEndian: hostIsLittleEndian)
                let offered = selection.resolve(defaults: simulator.defaultFeatures(deviceKind))
                // One reference per device: it does not depend on the driver.
                var conforming = base
                conforming.device = .qemu
                conforming.bus = .direct
                for driver in drivers ?? Self.defaultDrivers(of: simulator) {
                    var scenario = base
                    scenario.driver = driver
                    // Defaults are well-formed and selections are parsed, so a scenario fails only when a
                    // device refuses to be created (mlx5-current without its minimum features).
                    do throws(ScenarioError) {
                        try simulator.check(scenario)
                        let values = try simulator.values(for: base)
                        let outcome = try simulator.run(scenario, offered: offered, values: values)
                        let known: Outcome
                        if let cached = references[deviceKind] {
                            known = cached
                        } else {
                            known = try simulator.run(conforming, offered: offered, values: values)
                            references[deviceKind] = known
                        }
                        rows.append(Row(selection: label, outcome: outcome, reference: known,
                                        differences: Self.differences(outcome, known)))
                    } catch {
                        skipped.append(Skipped(selection: label, driver: driver, device: deviceKind, reason: error.description))
                    }
                }
            }
        }
        self.deviceType = device
        self.reference = reference
        self.selections = selections.map { $0.label(for: device) }
        self.rows = rows
        self.skipped = skipped
        self.hostIsLittleEndian = hostIsLittleEndian
    }

    /// The drivers a matrix runs unless told: the device type's own, whose views share the reference's
    /// names, or the generic ones for a type with none.
    public static func defaultDrivers(of simulator: Simulator) -> [DriverKind] {
        let available = simulator.drivers
        let own = available.filter { $0.layout == simulator.device.name }
        return own.isEmpty ? available : own
    }

    static func differences(_ outcome: Outcome, _ reference: Outcome) -> [String] {
        var names = (outcome.probeFailure == nil) != (reference.probeFailure == nil) ? ["probe"] : []
        for name in reference.view.names + outcome.view.names where !names.contains(name) {
            if outcome.view[name] != reference.view[name] { names.append(name) }
        }
        return names
    }
}
