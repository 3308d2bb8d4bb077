import ConfigLayout

/// Who did something on the wire between a driver and a device.
public enum Party: String, Sendable {
    case driver
    /// The vDPA core between a driver and its parent device.
    case bus
    case device
}

/// One step of a scenario: a status or feature access, a config access with its bytes, a decision
/// a model explains, or a broken rule.
public enum TraceEvent: Sendable, Equatable {
    case reset
    case statusWrite(DeviceStatus)
    case statusRead(DeviceStatus)
    /// A 32-bit feature window, read by the driver (device features) or written (driver features).
    case deviceFeaturesRead(select: Int, value: UInt32)
    case driverFeaturesWrite(select: Int, value: UInt32)
    /// All device features at once (a vDPA parent's get_device_features).
    case deviceFeatures(FeatureSet)
    /// A vDPA parent's set_driver_features, and what it returned (0 or a negative errno).
    case setFeatures(FeatureSet, result: Int32)
    /// A config read: where, how wide, the bytes the reader got, the field it meant.
    case configRead(offset: Int, width: Int, bytes: [UInt8], field: String?, outcome: ReadOutcome)
    case configWrite(offset: Int, bytes: [UInt8], field: String?)
    case generationRead(UInt32)
    /// A model's own account of a decision ("validate: mtu 0 < 68, clearing MTU").
    case note(String)
    case violation(Violation)
}

/// What became of a config read.
public enum ReadOutcome: String, Sendable {
    /// Bytes from inside the configuration space.
    case served
    /// Past the end: the device answered with all ones (QEMU).
    case allOnes = "past the end: all ones"
    /// Split into pieces (QEMU's memory core), some inside the space and some past its end, which
    /// read all ones.
    case straddles = "straddles the end: all ones past it"
    /// Past the end: the device answered with zeros (firecracker).
    case zeros = "past the end: zeros"
    /// Past the end: the device left the reader's buffer as it was (cloud-hypervisor, crosvm, mlx5).
    case untouched = "past the end: buffer untouched"
    /// The access failed (the vhost-vdpa ioctl's -EINVAL and -E2BIG).
    case failed = "failed"
}

/// One entry of a trace: who, and what.
public struct TraceEntry: Sendable, Equatable {
    public let party: Party
    public let event: TraceEvent
}

/// The record of a scenario, in order, with the rules broken along the way. Device, bus and driver
/// of one scenario share one trace.
public final class Trace {
    /// What a trace keeps.
    public enum Detail: Sendable {
        /// Every access, note and violation: what scenarios print and diff.
        case everything
        /// The violations alone, for a model that serves many accesses (a long fuzzing run, a
        /// server) and is judged only by the rules it sees broken.
        case violations
    }

    public private(set) var entries: [TraceEntry] = []
    public private(set) var violations: [Violation] = []
    public let detail: Detail
    /// Whether accesses are recorded: callers on a hot path ask before building an event.
    public var recordsAccesses: Bool { detail == .everything }

    public init(detail: Detail = .everything) {
        self.detail = detail
    }

    func record(_ party: Party, _ event: TraceEvent) {
        switch (detail, event) {
        case (.everything, _), (.violations, .violation): entries.append(TraceEntry(party: party, event: event))
        case (.violations, _): break
        }
    }

    /// Records an event before those recorded since `mark`: a call, ahead of what happened inside it.
    func record(_ party: Party, _ event: TraceEvent, at mark: Int) {
        guard recordsAccesses else { return }
        entries.insert(TraceEntry(party: party, event: event), at: min(max(0, mark), entries.count))
    }

    func note(_ party: Party, _ text: String) {
        record(party, .note(text))
    }

    /// Records a broken rule once: the same rule with the same detail is one violation.
    func violation(_ rule: Rule, _ detail: String) {
        let violation = Violation(party: rule.party, rule: rule, detail: detail)
        guard !violations.contains(violation) else { return }
        violations.append(violation)
        record(rule.party, .violation(violation))
    }
}
