import ConfigLayout

/// A user's struct held against one spec version of a device's fixed layout, for the features the
/// device offers: every field beside the member that stands for it, and the findings, each cause
/// first with what it brings about folded under it.
public struct ConformResult: Sendable {
    public enum Kind: String, Sendable {
        case moved, resized, missing, extra, byteOrder = "byte-order", size, renamed
        /// The struct stops before fields the device's features do not need (or do).
        case ends
        /// Another member in the same bytes, as in a union.
        case alias
        /// Members past the end of the spec's struct.
        case `extension`
        /// A member whose type says no byte order the reader could resolve.
        case unresolved
    }

    public enum Severity: String, Sendable {
        case difference, note
        /// Neither: what the reader could not resolve keeps the struct from conforming.
        case unknown
    }

    public struct Finding: Sendable {
        public let kind: Kind
        public var severity: Severity
        /// The field's path in the layout (the member's, for an extra one).
        public let field: String
        public var message: String
        /// The member's line in the user's file, where there is one.
        public let line: Int?
        /// A stable one-line form: `moved blk.num_queues spec=34 theirs=36`.
        public let signature: String
        /// What this finding brings about: the fields it moves, the size it changes.
        public var consequences: [Finding] = []

        public var isDifference: Bool { severity == .difference }
    }

    /// One field of the layout beside the member that matched it.
    public struct Row: Sendable {
        public let field: String
        public let offset: Int
        public let size: Int
        public let kind: String
        /// The device's features make the field mean something.
        public let isRequired: Bool
        public let isReserved: Bool
        public let theirs: (path: String, offset: Int, size: Int, kind: String?, line: Int)?
    }

    /// The first field at the wrong offset, how far it is off, and how many later fields are off
    /// by the same amount.
    public struct Shift: Sendable {
        public let field: String
        public let by: Int
        public let following: Int
        /// The finding that explains it, usually a member of the wrong size before it.
        public let cause: String?
    }

    public enum Verdict: String, Sendable {
        case conforms, differs, unknown
    }

    public let deviceName: String
    public let specVersion: SpecVersion
    /// True when no version was named and this one fits best.
    public let specWasChosen: Bool
    /// The features the device offers: as given, or (when none were) every feature but `without`.
    public let offered: [String]
    public let featuresWereGiven: Bool
    /// Features the struct cannot serve, when none were given: their fields are not declared.
    public let without: [String]
    public let measured: ConformProbe.Measured
    public let rows: [Row]
    public let findings: [Finding]
    public let firstShift: Shift?
    /// The fixed layout's whole struct at this version, and QEMU's config size for these features.
    public let fixedSize: Int
    public let qemuSize: Int

    public var verdict: Verdict {
        if findings.contains(where: \.isDifference) { return .differs }
        if findings.contains(where: { $0.severity == .unknown }) { return .unknown }
        return .conforms
    }

    public var agrees: Bool { verdict == .conforms }

    /// Every finding, consequences included, for tests and stable signatures.
    public var allFindings: [Finding] {
        findings.flatMap { [$0] + $0.consequences }
    }
}
