import ConfigLayout

/// One run: a driver model probing a device model over a bus, with the device's offered features,
/// field values, the host's byte order and the guest's CPUs.
public struct Scenario: Sendable {
    public var driver: DriverKind
    public var device: DeviceKind
    /// Nil for the device model's usual bus: vDPA for mlx5, direct for the rest.
    public var bus: BusKind?
    public var features: FeatureSelection
    /// Field values by name, as text (`mtu=9000`, `mac=52:54:00:12:34:56`), over the device's defaults.
    public var values: [(field: String, text: String)]
    public var hostIsLittleEndian: Bool
    /// Nil for the device's own policy.
    public var pastEnd: PastEndPolicy?
    /// The guest's CPUs, for drivers that size their queues by them.
    public var cpus: Int
    /// What each selection serves, for a device with a selector (input); nil for the device's defaults.
    public var selections: SelectionContents?

    public init(driver: DriverKind, device: DeviceKind, bus: BusKind? = nil, features: FeatureSelection = .defaults,
                values: [(field: String, text: String)] = [], hostIsLittleEndian: Bool = true, pastEnd: PastEndPolicy? = nil,
                cpus: Int = 1, selections: SelectionContents? = nil) {
        self.driver = driver
        self.device = device
        self.bus = bus
        self.features = features
        self.values = values
        self.hostIsLittleEndian = hostIsLittleEndian
        self.pastEnd = pastEnd
        self.cpus = cpus
        self.selections = selections
    }
}
