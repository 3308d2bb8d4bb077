/// One field of a configuration layout, as declared.
public struct Field: Sendable {
    public enum Access: String, CaseIterable, Sendable {
        case readOnly = "read-only"
        case driverWritable = "driver-writable"
        /// Driver-writable on the legacy interface only, that is while VERSION_1 is not negotiated
        /// (net's mac: "When using the legacy interface, mac is driver-writable").
        case legacyWritable = "driver-writable on the legacy interface"
    }

    public var name: String { storage.name }
    public var type: FieldType { storage.type }
    /// `if EXPR`: the field exists only when EXPR holds. Nil means it always exists.
    public var existence: FieldCondition? { storage.existence }
    /// `valid if EXPR`: the field always exists but means something only when EXPR holds.
    public var validity: FieldCondition? { storage.validity }
    public var access: Access { storage.access }
    /// A driver-writable field the driver may write only until this status bit is set.
    public var writableBefore: DeviceStatus? { storage.writableBefore }
    /// The driver must not read the field before this status bit is set (blk `writeback`).
    public var readableAfter: DeviceStatus? { storage.readableAfter }
    /// The values the device may put in the field.
    public var range: ClosedRange<UInt64>? { storage.range }
    /// Reserved or padding bytes.
    public var isReserved: Bool { storage.isReserved }
    public var since: SpecVersion? { storage.since }
    public var until: SpecVersion? { storage.until }
    public var doc: String? { storage.doc }
    public var span: SourceSpan { storage.span }

    /// The declaration, held once: every layout of every feature set places the same fields, and
    /// a placed field then costs one reference rather than a copy of each of these.
    private let storage: Storage

    private final class Storage: Sendable {
        let name: String
        let type: FieldType
        let existence: FieldCondition?
        let validity: FieldCondition?
        let access: Access
        let writableBefore: DeviceStatus?
        let readableAfter: DeviceStatus?
        let range: ClosedRange<UInt64>?
        let isReserved: Bool
        let since: SpecVersion?
        let until: SpecVersion?
        let doc: String?
        let span: SourceSpan

        init(name: String, type: FieldType, existence: FieldCondition?, validity: FieldCondition?, access: Access,
             writableBefore: DeviceStatus?, readableAfter: DeviceStatus?, range: ClosedRange<UInt64>?, isReserved: Bool,
             since: SpecVersion?, until: SpecVersion?, doc: String?, span: SourceSpan) {
            self.name = name
            self.type = type
            self.existence = existence
            self.validity = validity
            self.access = access
            self.writableBefore = writableBefore
            self.readableAfter = readableAfter
            self.range = range
            self.isReserved = isReserved
            self.since = since
            self.until = until
            self.doc = doc
            self.span = span
        }
    }

    public init(name: String, type: FieldType, existence: FieldCondition? = nil, validity: FieldCondition? = nil,
                access: Access = .readOnly, writableBefore: DeviceStatus? = nil, readableAfter: DeviceStatus? = nil,
                range: ClosedRange<UInt64>? = nil, isReserved: Bool = false,
                since: SpecVersion? = nil, until: SpecVersion? = nil, doc: String? = nil, span: SourceSpan) {
        storage = Storage(name: name, type: type, existence: existence, validity: validity, access: access,
                          writableBefore: writableBefore, readableAfter: readableAfter, range: range,
                          isReserved: isReserved, since: since, until: until, doc: doc, span: span)
    }

    /// Whether the field is part of the layout in a spec version; nil means the newest.
    public func isPresent(in version: SpecVersion?) -> Bool {
        // No version: the newest published, without what only the next draft proposes.
        guard let version else { return until == nil && since != .next }
        if let since, version < since { return false }
        if let until, version >= until { return false }
        return true
    }

    /// The field as of a spec version, nested members filtered too; nil if the version lacks it.
    public func asOf(_ version: SpecVersion?) -> Field? {
        guard isPresent(in: version) else { return nil }
        guard case .aggregate(let aggregate) = type else { return self }
        return Field(name: name, type: .aggregate(aggregate.asOf(version)), existence: existence,
                     validity: validity, access: access, writableBefore: writableBefore, readableAfter: readableAfter,
                     range: range, isReserved: isReserved, since: since, until: until, doc: doc, span: span)
    }
}

/// A field's condition with what the layout says about it.
public struct FieldCondition: Sendable {
    /// Which feature set the condition reads.
    public enum Basis: String, Sendable {
        /// The features the device offers: the spec's general rule for conditional fields.
        case offered
        /// The features negotiated with the driver (sound's `controls`, for instance).
        case negotiated
    }

    public let condition: Condition
    public let basis: Basis
    /// The spec implies the condition without naming it (blk `write_zeroes_may_unmap`).
    public let isImplied: Bool
    public let span: SourceSpan

    public init(_ condition: Condition, basis: Basis = .offered, isImplied: Bool = false, span: SourceSpan) {
        self.condition = condition
        self.basis = basis
        self.isImplied = isImplied
        self.span = span
    }
}

extension Field {
    /// The field's conditions as a layout writes them: `if MQ || RSS`, `valid if MAC`, both
    /// (comma-separated), with their `negotiated` and `implied` qualifiers; empty when it has none.
    public var conditionText: String {
        func text(_ keyword: String, _ condition: FieldCondition?) -> String? {
            condition.map {
                "\(keyword) \($0.condition)" + ($0.basis == .negotiated ? " negotiated" : "") + ($0.isImplied ? " implied" : "")
            }
        }
        return [text("if", existence), text("valid if", validity)].compactMap { $0 }.joined(separator: ", ")
    }
}
