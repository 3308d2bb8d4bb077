import ConfigLayout

/// What came of a scenario.
public struct Outcome: Sendable {
    public let driver: DriverKind
    public let device: DeviceKind
    public let bus: BusKind
    public let hostIsLittleEndian: Bool
    /// The device type as its layout describes it, for naming fields and features.
    public let deviceType: Device
    public let offered: FeatureSet
    /// The values the device model was given.
    public let configured: [(field: String, value: FieldValue)]
    public let configSize: Int
    public let pastEnd: PastEndPolicy
    /// The driver's features at the end (`vdev->features`).
    public let negotiated: FeatureSet
    /// The driver features as the device holds them at the end.
    public let deviceHolds: FeatureSet
    /// Offered features the driver does not know.
    public let unsupported: FeatureSet
    public let dropped: [DroppedFeature]
    /// What the driver shows its user; empty, or partial, when the probe failed.
    public let view: DriverView
    public let probeFailure: String?
    public let finalStatus: DeviceStatus
    public let reads: [DriverRead]
    public let violations: [Violation]
    public let trace: [TraceEntry]
    /// The real device the driver ran against, when it was not a model: `QEMU virtio-net-pci at 00:02.0`.
    public var realDevice: String? = nil
    /// Why the real device stopped answering mid-run, if it did.
    public var realDeviceFailure: String? = nil

    /// The driver's reads of a field, in order, optionally in one stage.
    public func reads(of field: String, in stage: String? = nil) -> [DriverRead] {
        reads.filter { $0.field == field && (stage == nil || $0.stage == stage) }
    }

    /// The configured value of a field.
    public func configuredValue(_ field: String) -> FieldValue? {
        configured.last { $0.field == field }?.value
    }

    /// One value the driver shows, by name; nil when it shows no such thing.
    public func value(_ name: String) -> DriverValue? { view[name] }
}
