import ConfigLayout
import VirtioModel

extension QEMUProbeResult {
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
}
