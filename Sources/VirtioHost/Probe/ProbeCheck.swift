/// One prediction a probe held against a device (cfgspace's layout, the spec, or the device's own
/// offered features), and how it came out. Both probes, qtest's and vhost-user's, judge this way.
public struct ProbeCheck: Sendable {
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

    /// A check that agrees when `passed`, else departs.
    init(_ name: String, passed: Bool, _ summary: String, _ details: [String] = [], cause: Cause? = nil) {
        self.init(name: name, verdict: passed ? .agrees : .departs, summary: summary, details: details, cause: cause)
    }

    /// The same check with another cause.
    func caused(by cause: Cause?) -> ProbeCheck {
        ProbeCheck(name: name, verdict: verdict, summary: summary, details: details, cause: cause)
    }

    /// A departure already known and explained: QEMU's source file and function, and why.
    public var knownFinding: String? { cause?.kind == .finding ? cause?.text : nil }
}
