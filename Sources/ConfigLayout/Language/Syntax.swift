/// The parse tree of a layout file. Every node keeps its source span so that the checker can point
/// at exactly what it complains about. The tree records what was written; meaning comes later.

/// A value together with where it was written.
public struct Located<Value: Sendable & Equatable>: Sendable, Equatable {
    public let value: Value
    public let span: SourceSpan

    public init(_ value: Value, _ span: SourceSpan) {
        self.value = value
        self.span = span
    }
}

public typealias Identifier = Located<String>

/// The `///` lines in front of a declaration, joined with newlines.
public typealias DocSyntax = Located<String>

public struct LayoutFileSyntax: Sendable {
    public let file: SourceFile
    public let declarations: [DeclarationSyntax]
}

public enum DeclarationSyntax: Sendable {
    case importDecl(ImportSyntax)
    case device(DeviceSyntax)
    case transport(TransportSyntax)
}

/// `import transport`: the layout file `transport.layout` beside this one.
public struct ImportSyntax: Sendable {
    public let name: Identifier
    public let span: SourceSpan
}

/// `device net = 1 "Network device" { ... }`
public struct DeviceSyntax: Sendable {
    public let doc: DocSyntax?
    public let name: Identifier
    public let id: Located<UInt64>?
    public let title: Located<String>?
    /// `since 1.4`: the spec version that introduced the device.
    public let since: Located<SpecVersion>?
    public let body: [BodyItemSyntax]
    /// The `device` keyword through the device ID: where "this device" diagnostics point.
    public let headSpan: SourceSpan
    public let span: SourceSpan
}

/// `transport "Reserved feature bits" { ... }`: the device-independent feature bits.
public struct TransportSyntax: Sendable {
    public let doc: DocSyntax?
    public let title: Located<String>?
    public let body: [BodyItemSyntax]
    public let headSpan: SourceSpan
    public let span: SourceSpan
}

public enum BodyItemSyntax: Sendable {
    /// `spec "virtio 1.4, 5.1.4"`
    case spec(Located<String>, keyword: SourceSpan)
    case feature(FeatureSyntax)
    /// `config virtio_net_config { ... }`
    case config(AggregateSyntax)
    /// `config none`: the specification defines no configuration for this device.
    case noConfig(SourceSpan)
    /// A named `struct` or `union` that fields can use as their type.
    case typeDeclaration(AggregateSyntax)
    /// `qemu min_size end(mac)`: QEMU's smallest config size for the device.
    case qemuMinimumSize(SizeAnchorSyntax, keyword: SourceSpan)
    /// `qemu feature_size RSS || HASH_REPORT end(supported_hash_types)`: one entry of QEMU's
    /// feature_sizes table; the config reaches the anchor when any of the features is offered.
    case qemuFeatureSize(ExpressionSyntax, SizeAnchorSyntax, keyword: SourceSpan)
    /// `qemu property_size "qemu-4-0-config-size" end(poison_val)`: the config reaches the anchor
    /// whenever a QEMU property is on, whatever the features (balloon's, hw_compat_4_0).
    case qemuPropertySize(Located<String>, SizeAnchorSyntax, keyword: SourceSpan)
    /// `device_bits 0...23, 41...42, 50...127`: the bit ranges that belong to device types.
    case deviceBits([RangeSyntax], keyword: SourceSpan)
    /// `selector u by select, subsel sized by size { ... }`: what driver writes put in a union.
    case selector(SelectorSyntax)

    public var span: SourceSpan {
        switch self {
        case .spec(let text, let keyword): keyword.merged(with: text.span)
        case .feature(let feature): feature.span
        case .config(let aggregate), .typeDeclaration(let aggregate): aggregate.span
        case .noConfig(let span): span
        case .qemuMinimumSize(let anchor, let keyword), .qemuFeatureSize(_, let anchor, let keyword),
             .qemuPropertySize(_, let anchor, let keyword):
            keyword.merged(with: anchor.span)
        case .deviceBits(let ranges, let keyword): ranges.reduce(keyword) { $0.merged(with: $1.span) }
        case .selector(let selector): selector.span
        }
    }
}

/// `feature MQ = 22 requires CTRL_VQ since 1.0`
public struct FeatureSyntax: Sendable {
    public let doc: DocSyntax?
    public let name: Identifier
    public let bit: Located<UInt64>
    public let clauses: [FeatureClauseSyntax]
    public let span: SourceSpan
}

public enum FeatureClauseSyntax: Sendable {
    case requires(ExpressionSyntax, keyword: SourceSpan)
    case since(Located<SpecVersion>, keyword: SourceSpan)
    case until(Located<SpecVersion>, keyword: SourceSpan)
    /// Only part of the legacy interface (before VERSION_1).
    case legacy(SourceSpan)

    public var keywordSpan: SourceSpan {
        switch self {
        case .requires(_, let keyword), .since(_, let keyword), .until(_, let keyword): keyword
        case .legacy(let span): span
        }
    }
}

public enum AggregateKind: String, Sendable {
    case `struct`
    case union
}

/// A `config`, `struct` or `union` body: its fields in declaration order.
public struct AggregateSyntax: Sendable {
    public let doc: DocSyntax?
    public let kind: Located<AggregateKind>
    public let name: Identifier?
    public let fields: [FieldSyntax]
    /// Some field failed to parse; checks on the whole (such as emptiness) would only cascade.
    public let hasErrors: Bool
    public let span: SourceSpan
}

/// `mtu  virtio16  if MTU  range 68...65535  since 1.1`
public struct FieldSyntax: Sendable {
    public let doc: DocSyntax?
    public let name: Identifier
    public let type: TypeSyntax
    public let clauses: [FieldClauseSyntax]
    public let span: SourceSpan
}

public indirect enum TypeSyntax: Sendable {
    /// `le16`, `char`, or the name of a declared struct or union.
    case named(Identifier)
    /// `u8[6]`, `char[36]`
    case array(element: TypeSyntax, count: Located<UInt64>, span: SourceSpan)
    /// `char[tag_len]`: as many elements as an earlier field's value says.
    case flexibleArray(element: TypeSyntax, count: Identifier, span: SourceSpan)
    /// `struct virtio_blk_geometry { ... }` written in place.
    case aggregate(AggregateSyntax)

    public var span: SourceSpan {
        switch self {
        case .named(let name): name.span
        case .array(_, _, let span), .flexibleArray(_, _, let span): span
        case .aggregate(let aggregate): aggregate.span
        }
    }
}

/// `if MTU`, `valid if MAC`, with optional qualifiers: `negotiated` (the condition is on the
/// negotiated features, not the offered ones) and `implied` (the spec implies it without naming it).
public struct ConditionClauseSyntax: Sendable {
    public let expression: ExpressionSyntax
    public let negotiated: SourceSpan?
    public let implied: SourceSpan?
    public let span: SourceSpan
}

public enum FieldClauseSyntax: Sendable {
    case existsIf(ConditionClauseSyntax)
    case validIf(ConditionClauseSyntax)
    case range(RangeSyntax, keyword: SourceSpan)
    /// The driver may write the field; `writable before DRIVER_OK` only until that status bit.
    case writable(SourceSpan, before: Located<String>?)
    /// `writable legacy`: the driver may write the field on the legacy interface only (net's mac).
    case writableLegacy(SourceSpan)
    /// `readable after FEATURES_OK`: the driver must not read the field before that status bit.
    case readableAfter(Located<String>, keyword: SourceSpan)
    /// Reserved or padding bytes: the device fills them with zeros and no one reads them.
    case reserved(SourceSpan)
    case since(Located<SpecVersion>, keyword: SourceSpan)
    case until(Located<SpecVersion>, keyword: SourceSpan)

    public var span: SourceSpan {
        switch self {
        case .existsIf(let condition), .validIf(let condition): condition.span
        case .range(let range, let keyword): keyword.merged(with: range.span)
        case .writable(let span, let before): before.map { span.merged(with: $0.span) } ?? span
        case .writableLegacy(let span): span
        case .readableAfter(let bit, let keyword): keyword.merged(with: bit.span)
        case .reserved(let span): span
        case .since(let version, let keyword), .until(let version, let keyword): keyword.merged(with: version.span)
        }
    }

    /// The name a "duplicate clause" diagnostic uses.
    public var name: String {
        switch self {
        case .existsIf: "if"
        case .validIf: "valid if"
        case .range: "range"
        case .writable, .writableLegacy: "writable"
        case .readableAfter: "readable after"
        case .reserved: "reserved"
        case .since: "since"
        case .until: "until"
        }
    }
}

/// `1...0x8000`, or a single value `43`.
public struct RangeSyntax: Sendable {
    public let lower: Located<UInt64>
    public let upper: Located<UInt64>
    public let span: SourceSpan
}

/// `end(mac)`, `offset(max_discard_sectors)` or a byte count.
public enum SizeAnchorSyntax: Sendable, Equatable {
    case end(path: [Identifier], span: SourceSpan)
    case offset(path: [Identifier], span: SourceSpan)
    /// `selected(u)`: the union's offset plus the largest size any selection of it serves.
    case selected(path: [Identifier], span: SourceSpan)
    case bytes(Located<UInt64>)

    public var span: SourceSpan {
        switch self {
        case .end(_, let span), .offset(_, let span), .selected(_, let span): span
        case .bytes(let count): count.span
        }
    }
}

/// A boolean expression over feature names. `&&` and `||` chains are n-ary, so a long chain is
/// a wide node rather than a deep one.
public indirect enum ExpressionSyntax: Sendable {
    case feature(Identifier)
    case not(ExpressionSyntax, span: SourceSpan)
    case and([ExpressionSyntax], span: SourceSpan)
    case or([ExpressionSyntax], span: SourceSpan)
    case group(ExpressionSyntax, span: SourceSpan)

    public var span: SourceSpan {
        switch self {
        case .feature(let name): name.span
        case .not(_, let span), .and(_, let span), .or(_, let span), .group(_, let span): span
        }
    }
}

/// `selector u by select, subsel sized by size { ID_NAME = 0x01 string ... }`: which member of a
/// union the driver's writes to a selector field make the device fill (input's select and subsel),
/// and which field says how many of its bytes are meaningful.
public struct SelectorSyntax: Sendable {
    public let doc: DocSyntax?
    /// The union, by dotted path.
    public let union: [Identifier]
    public let select: Identifier
    public let subselect: Identifier?
    public let size: Identifier?
    public let cases: [SelectorCaseSyntax]
    public let span: SourceSpan
}

/// `EV_BITS = 0x11 bitmap per subsel`: a selector value, its name, the member it fills, and whether
/// the subselector picks among several such contents.
public struct SelectorCaseSyntax: Sendable {
    public let name: Identifier
    public let value: Located<UInt64>
    public let member: Identifier
    public let perSubselect: Bool
    public let span: SourceSpan
}
