import ConfigLayout

/// Every driver against every device, each on its usual bus, under a list of feature selections;
/// each outcome is set beside the reference pair, linux-current on QEMU over virtio-pci with the
/// same offered features and values, which follows the spec and the fixed layout.
public struct Matrix: Sendable {
    /// What the matrix compares.
    public enum Aspect: String, CaseIterable, Sendable {
        case probe, mtu, pairs, mac, link, speed
    }

    public struct Row: Sendable {
        public let selection: String
        public let outcome: Outcome
        public let reference: Outcome
        /// Where the outcome differs from the reference.
        public let differences: [Aspect]
    }

    /// A pair that could not run because the device refused to be created, and why.
    public struct Skipped: Sendable {
        public let selection: String
        public let driver: DriverKind
        public let device: DeviceKind
        public let reason: String
    }

    public let selections: [String]
    public let rows: [Row]
    public let skipped: [Skipped]
    public let hostIsLittleEndian: Bool

    /// The selections a matrix uses when none are given: each device's defaults, and MTU without MQ,
    /// the case from the 2021 thread.
    public static func defaultSelections(for device: Device) -> [FeatureSelection] {
        [.defaults, .edited(adding: device.features(named: ["MTU"]), removing: device.features(named: ["MQ"]))]
    }

    public init(simulator: Simulator, selections: [FeatureSelection], drivers: [DriverKind] = DriverKind.allCases,
                devices: [DeviceKind] = DeviceKind.allCases, hostIsLittleEndian: Bool = true) {
        var rows: [Row] = []
        var skipped: [Skipped] = []
        for selection in selections {
            let label = selection.label(for: simulator.device)
            var references: [DeviceKind: Outcome] = [:]
            for deviceKind in devices {
                let base = Scenario(driver: .linuxCurrent, device: deviceKind, features: selection,
                                    hostIsLittleEndian: hostIsLittleEndian)
                let offered = selection.resolve(defaults: simulator.defaultFeatures(deviceKind))
                // One reference per device: it does not depend on the driver.
                var conforming = base
                conforming.device = .qemu
                conforming.bus = .direct
                for driver in drivers {
                    var scenario = base
                    scenario.driver = driver
                    // Defaults are well-formed and selections are parsed, so a scenario fails only when a
                    // device refuses to be created (mlx5-current without its minimum features).
                    do throws(ScenarioError) {
                        let values = try simulator.values(for: base)
                        let outcome = try simulator.run(scenario, offered: offered, values: values)
                        let reference: Outcome
                        if let known = references[deviceKind] {
                            reference = known
                        } else {
                            reference = try simulator.run(conforming, offered: offered, values: values)
                            references[deviceKind] = reference
                        }
                        rows.append(Row(selection: label, outcome: outcome, reference: reference,
                                        differences: Self.differences(outcome, reference)))
                    } catch {
                        skipped.append(Skipped(selection: label, driver: driver, device: deviceKind, reason: error.description))
                    }
                }
            }
        }
        self.selections = selections.map { $0.label(for: simulator.device) }
        self.rows = rows
        self.skipped = skipped
        self.hostIsLittleEndian = hostIsLittleEndian
    }

    static func differences(_ outcome: Outcome, _ reference: Outcome) -> [Aspect] {
        Aspect.allCases.filter { aspect in
            switch aspect {
            case .probe: (outcome.probeFailure == nil) != (reference.probeFailure == nil)
            case .mtu: outcome.values?.mtu != reference.values?.mtu
            case .pairs: outcome.values?.maxQueuePairs != reference.values?.maxQueuePairs
            case .mac: outcome.values?.mac != reference.values?.mac
            case .link: outcome.values?.linkUp != reference.values?.linkUp
            case .speed: outcome.values?.speed != reference.values?.speed || outcome.values?.duplex != reference.values?.duplex
            }
        }
    }
}
