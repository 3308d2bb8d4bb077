/// A feature bit: declared by a device (`feature MTU = 3`) or by the transport for every device
/// (`feature VERSION_1 = 32`).
public struct Feature: Hashable, Sendable {
    public enum Scope: String, Sendable {
        case device
        case transport
    }

    public let name: String
    public let bit: Int
    public let scope: Scope
    /// What must also be offered (and accepted) with this feature, if anything.
    public let requires: Condition?
    public let since: SpecVersion?
    public let until: SpecVersion?
    /// Part of the legacy interface only (before VERSION_1).
    public let isLegacyOnly: Bool
    public let doc: String?
    public let span: SourceSpan

    public init(name: String, bit: Int, scope: Scope, requires: Condition? = nil, since: SpecVersion? = nil,
                until: SpecVersion? = nil, isLegacyOnly: Bool = false, doc: String? = nil, span: SourceSpan) {
        self.name = name
        self.bit = bit
        self.scope = scope
        self.requires = requires
        self.since = since
        self.until = until
        self.isLegacyOnly = isLegacyOnly
        self.doc = doc
        self.span = span
    }

    /// Whether a spec version lists the feature; nil means the newest, which lists every feature
    /// that was never retired.
    public func exists(in version: SpecVersion?) -> Bool {
        guard let version else { return until == nil && since != .next }
        return (since.map { version >= $0 } ?? true) && (until.map { version < $0 } ?? true)
    }

    /// The highest bit number a layout may declare. Bits from 128 up are reserved for future
    /// extensions; the limit leaves room for them while keeping feature words small.
    public static let maximumBit = 1023
}
