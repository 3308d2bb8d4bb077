import ConfigLayout
import VirtioModel

/// Everything a probe of one QEMU device found, stage by stage, and how it measures against
/// cfgspace's layout.
public struct QEMUProbeResult: Sendable {
    /// The machine stage: the QEMU that ran and what it was asked to run.
    public struct Machine: Sendable {
        public let qemuVersion: String
        /// The device as asked for, and as started (with a harmless backend added).
        public let requested: QEMUDeviceSpec
        public let started: QEMUDeviceSpec
        /// The machine type: `pc`, `pc-i440fx-4.0`, `microvm`.
        public let type: String
        /// The properties in force for the device, and where each came from.
        public let properties: QEMUDeviceProperties
        public let arguments: [String]
        /// What QEMU said on stderr, less what the probe itself causes.
        public let warnings: [String]
        /// qtest commands the probe sent.
        public let qtestCommands: Int
        /// The QEMU process the probe ran, ended and reaped by the time the result exists.
        public let process: Int32
    }

    /// The target stage: where the device sits, the interface read through, and its layout.
    public struct Target: Sendable {
        /// `00:02.0 (1af4:1000, subsystem 0001)` or `virtio-mmio at 0xfeb00000`.
        public let location: String
        public let isTransitional: Bool
        /// The interface the probe read through: `virtio-pci modern`.
        public let transport: String
        /// Whether that interface is a modern one (virtio-pci modern, virtio-mmio version 2), as its
        /// registers say; a legacy one offers VIRTIO_F_BAD_FEATURE and reads config in guest order.
        public let isModern: Bool
        public let layoutPath: String
        public let device: Device
    }

    public let qemu: Machine
    public let target: Target
    public let negotiation: ProbeNegotiation
    /// What the device serves, as any transport would tell it.
    public let observation: ConfigObservation
    /// What only qtest shows: reads past the end, the legacy interface's view, each selection.
    public let pastEnd: [PastEndRead]
    public let legacyViews: [LegacyView]
    /// Every selection that served something, for a device with a selector.
    public let selections: [Selection]
    /// cfgspace's QEMU sizing over the offered features.
    public let predictedLength: Int
    /// The verdict stage.
    public let checks: [ProbeCheck]
    public let driverRuns: [DriverRun]
    /// The config changes `--driver basic` watched.
    public let changeRuns: [ChangeRun]

    public var requested: QEMUDeviceSpec { qemu.requested }
    public var device: Device { target.device }
    public var offered: FeatureSet { negotiation.offered }
    /// The bytes read from offset 0, past the end of the configuration.
    public var bytes: [UInt8] { observation.bytes }
    public var length: ConfigObservation.Length { observation.length }
    public var fields: [ObservedField] { observation.fields }
    public var qemuProcess: Int32 { qemu.process }

    /// Whether no check found a departure and every driver run matched the model's. A check the
    /// device gives too little to decide is reported, not counted against it.
    public var agrees: Bool {
        !checks.contains { $0.verdict == .departs } && driverRuns.allSatisfy(\.differences.isEmpty)
            && changeRuns.allSatisfy { $0.differences.isEmpty }
    }
}
