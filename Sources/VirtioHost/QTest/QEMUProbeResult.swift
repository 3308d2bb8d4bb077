import ConfigLayout
import VirtioModel

/// Everything a probe of one QEMU device found, and how it measures against cfgspace's layout.
public struct QEMUProbeResult: Sendable {
    /// How long the configuration is, and how that is known.
    public enum ConfigLength: Sendable, Equatable {
        /// Read from QEMU's migration stream (`virtio_save` writes `config_len`).
        case exact(Int)
        /// Only a lower bound: the end of the last byte that is not 0xff, with why nothing better.
        case atLeast(Int, reason: String)

        public var value: Int {
            switch self {
            case .exact(let length), .atLeast(let length, _): length
            }
        }
    }

    /// One leaf field: what the fixed reading finds, and what a packed reading would.
    public struct Field: Sendable {
        public let path: String
        public let type: String
        public let condition: String
        /// Exists under the offered features (its `if` holds).
        public let exists: Bool
        /// Exists, and its `valid if` holds.
        public let isValid: Bool
        public let offset: Int
        public let size: Int
        /// Its bytes lie inside the configuration's length.
        public let isInside: Bool
        public let bytes: [UInt8]?
        public let value: FieldValue?
        /// Where a packed reading keyed by the offered features puts it; nil when absent there.
        public let packedOffset: Int?
        public let packedBytes: [UInt8]?
        public let packedValue: FieldValue?
        /// The fixed fields whose bytes a packed reading would take instead (empty when it reads the
        /// field's own bytes).
        public let packedReadsFrom: [String]

        /// A packed-reading driver would get something other than the field's own value.
        public var isMisreadWhenPacked: Bool {
            exists && packedOffset != nil && packedOffset != offset && packedValue != value
        }
    }

    /// A check of the device against cfgspace, the spec or its own offered features.
    public struct Check: Sendable {
        public enum Verdict: String, Sendable {
            case agrees
            /// The device departs from cfgspace's prediction.
            case departs
            /// Could not be decided from what the device shows.
            case undecided
        }

        /// What a check's outcome owes to, when cfgspace can name it.
        public struct Cause: Sendable {
            public enum Kind: String, Sendable {
                /// A QEMU property, from the -device value or a -global.
                case property
                /// A machine type's compat properties, or a machine type cfgspace does not know.
                case machineType = "machine type"
                /// Something QEMU itself does, found by probing it and explained from its source.
                case finding = "QEMU finding"
            }

            public let kind: Kind
            public let text: String
        }

        public let name: String
        public let verdict: Verdict
        public let summary: String
        public let details: [String]
        /// The cause cfgspace attributes the outcome to: for a departure, why the prediction and
        /// QEMU part; for an agreement, a property that is not QEMU's default and that it took.
        public let cause: Cause?

        public init(name: String, verdict: Verdict, summary: String, details: [String], cause: Cause? = nil) {
            self.name = name
            self.verdict = verdict
            self.summary = summary
            self.details = details
            self.cause = cause
        }

        /// A departure already known and explained: QEMU's source file and function, and why.
        public var knownFinding: String? { cause?.kind == .finding ? cause?.text : nil }
    }

    /// The configuration through the legacy interface of a transitional device.
    public struct LegacyView: Sendable {
        public let configOffset: Int
        public let bytes: [UInt8]
        public let offered: FeatureSet
    }

    /// A read past the end of the configuration.
    public struct PastEndRead: Sendable {
        public let offset: Int
        public let width: Int
        public let bytes: [UInt8]
    }

    /// What one selector value (and subselector) made the device serve.
    public struct Selection: Sendable {
        public let name: String
        public let select: UInt64
        /// Nil for a case that takes no subselector.
        public let subselect: UInt64?
        public let member: String
        public let size: Int
        public let bytes: [UInt8]
    }

    /// A driver model run against the device, beside the same run against the `qemu` model.
    public struct DriverRun: Sendable {
        public let driver: DriverKind
        public let real: Outcome
        public let model: Outcome
        /// The two traces, line against line; empty when they are equal.
        public let differences: [TraceDifference]
    }

    /// One config change watched by the probe's own driver (`--driver basic`), on the device and,
    /// step for step, on the `qemu` model and on a device that follows the spec's every-change rule.
    public struct ChangeRun: Sendable {
        public let name: String
        public let field: String
        /// What changed it: `QMP set_link name=...,up=false`, `the driver writes actual = 256`.
        public let change: String
        public let afterDriverOK: Bool
        /// Whether QEMU's rule moves the generation for this change.
        public let expectsMove: Bool
        /// The generation the device reported before the change and after it (after DRIVER_OK too,
        /// for a change before it).
        public let generationBefore: UInt32
        public let generationAfter: UInt32
        public let valueBefore: FieldValue?
        public let valueAfter: FieldValue?
        public let real: [TraceEntry]
        public let model: [TraceEntry]
        public let spec: [TraceEntry]
        /// Real against the `qemu` model; empty when equal.
        public let differences: [TraceDifference]
        /// Real against the spec's every-change reading.
        public let specDifferences: [TraceDifference]

        /// The device moved the generation exactly as QEMU's rule says.
        public var followsQEMU: Bool { (generationAfter != generationBefore) == expectsMove }
    }

    public let qemuVersion: String
    /// The device as asked for, and as started (with a harmless backend added).
    public let requested: QEMUDeviceSpec
    public let started: QEMUDeviceSpec
    public let machine: String
    /// The properties in force for the device, and where each came from.
    public let properties: QEMUDeviceProperties
    public let qemuArguments: [String]
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
    public let offered: FeatureSet
    /// Offered bits that neither the device's layout nor the transport declares.
    public let unknownBits: [Int]
    /// FEATURES_OK accepted for the whole offered set; nil on a legacy-only interface.
    public let featuresAccepted: Bool?
    public let generation: UInt32?
    /// The bytes read from offset 0, past the end of the configuration.
    public let bytes: [UInt8]
    public let length: ConfigLength
    /// cfgspace's QEMU sizing over the offered features.
    public let predictedLength: Int
    public let pastEnd: [PastEndRead]
    public let legacyViews: [LegacyView]
    /// Every selection that served something, for a device with a selector.
    public let selections: [Selection]
    public let fields: [Field]
    public let checks: [Check]
    public let warnings: [String]
    public let driverRuns: [DriverRun]
    /// The config changes `--driver basic` watched.
    public let changeRuns: [ChangeRun]
    /// qtest commands the probe sent.
    public let qtestCommands: Int
    /// The QEMU process the probe ran, ended and reaped by the time the result exists.
    public let qemuProcess: Int32

    /// Whether no check found a departure and every driver run matched the model's. A check the
    /// device gives too little to decide is reported, not counted against it.
    public var agrees: Bool {
        !checks.contains { $0.verdict == .departs } && driverRuns.allSatisfy(\.differences.isEmpty)
            && changeRuns.allSatisfy { $0.differences.isEmpty }
    }
}
