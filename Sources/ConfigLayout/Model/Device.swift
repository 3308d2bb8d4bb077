/// A checked device layout: its identity, feature bits and configuration structure.
public struct Device: Sendable {
    public let name: String
    public let id: Int
    public let title: String?
    public let doc: String?
    /// The spec version that introduced the device, if the layout says.
    public let since: SpecVersion?
    /// Where the spec describes the device, such as "virtio 1.4, 5.1.4".
    public let specReference: String?
    /// The device's own feature bits, in declaration order.
    public let features: [Feature]
    /// The device-independent feature bits in scope, if a transport was imported.
    public let transport: Transport?
    /// The configuration structure; nil when the spec defines none (`config none`).
    public let config: Aggregate?
    /// QEMU's smallest config size for the device (`qemu min_size`).
    public let qemuMinimumSize: SizeAnchor
    /// QEMU's feature_sizes table (`qemu feature_size`), if the layout transcribes it. Without one,
    /// QEMU's sizing follows the layout's own conditions.
    public let qemuFeatureSizes: [QemuFeatureSize]
    /// What driver writes to selector fields put in unions (`selector`).
    public let selectors: [Selector]
    public let span: SourceSpan
    /// The declared fields flattened, with the conditions in force down to each.
    public let fieldTree: FieldTree
    /// QEMU's config sizing: the transcribed feature_sizes table, or one derived from the fields.
    public let qemuSizeTable: QemuSizeTable
    /// Each feature's bit by name, device features before transport ones, so that evaluating a
    /// condition costs a lookup rather than a search.
    private let bitsByName: [String: Int]

    public init(name: String, id: Int, title: String? = nil, doc: String? = nil, since: SpecVersion? = nil,
                specReference: String? = nil, features: [Feature], transport: Transport? = nil, config: Aggregate?,
                qemuMinimumSize: SizeAnchor = .wholeConfig, qemuFeatureSizes: [QemuFeatureSize] = [],
                selectors: [Selector] = [], span: SourceSpan) {
        self.name = name
        self.id = id
        self.title = title
        self.doc = doc
        self.since = since
        self.specReference = specReference
        self.features = features
        self.transport = transport
        self.config = config
        self.qemuMinimumSize = qemuMinimumSize
        self.qemuFeatureSizes = qemuFeatureSizes
        self.selectors = selectors
        self.span = span
        var bitsByName: [String: Int] = [:]
        for feature in features + (transport?.features ?? []) where bitsByName[feature.name] == nil {
            bitsByName[feature.name] = feature.bit
        }
        self.bitsByName = bitsByName
        let bitOf = { (name: String) in bitsByName[name] }
        fieldTree = FieldTree(config: config, bitOf: bitOf)
        qemuSizeTable = QemuSizeTable(minimum: qemuMinimumSize, transcribed: qemuFeatureSizes, tree: fieldTree, bitOf: bitOf)
    }

    /// The bit of the named feature, device features first; nil when no feature has the name.
    public func bit(named name: String) -> Int? {
        bitsByName[name]
    }

    /// Whether the device exists in a spec version; nil means the newest, where every device does.
    public func exists(in version: SpecVersion?) -> Bool {
        guard let version, let since else { return true }
        return version >= since
    }

    /// Device features, then transport features.
    public var allFeatures: [Feature] { features + (transport?.features ?? []) }

    public func feature(named name: String) -> Feature? {
        features.first { $0.name == name } ?? transport?.features.first { $0.name == name }
    }

    /// The features that use a bit: more than one only where a legacy bit is reused.
    public func features(withBit bit: Int) -> [Feature] {
        allFeatures.filter { $0.bit == bit }
    }

    /// The device as a spec version describes it; nil means the newest.
    public func asOf(_ version: SpecVersion?) -> Device {
        Device(name: name, id: id, title: title, doc: doc, since: since, specReference: specReference,
               features: features.filter { feature in
                   guard let version else { return feature.until == nil }
                   return (feature.since.map { version >= $0 } ?? true) && (feature.until.map { version < $0 } ?? true)
               },
               transport: transport, config: config?.asOf(version), qemuMinimumSize: qemuMinimumSize,
               qemuFeatureSizes: qemuFeatureSizes, selectors: selectors, span: span)
    }
}

/// One entry of QEMU's feature_sizes table: when any feature of `condition` is offered, the config
/// reaches at least `anchor`.
public struct QemuFeatureSize: Sendable {
    public let condition: Condition
    public let anchor: SizeAnchor

    public init(condition: Condition, anchor: SizeAnchor) {
        self.condition = condition
        self.anchor = anchor
    }
}

/// Where a size is measured to: a byte count, the end or offset of a member, or the whole config.
public enum SizeAnchor: Sendable, Equatable {
    case bytes(Int)
    case end(of: [String])
    case offset(of: [String])
    /// A union's offset plus the largest size any of its selections serves: a size that depends on
    /// the values a device serves (QEMU's virtio-input). Measured without values, it is the union's end.
    case selected(of: [String])
    case wholeConfig

    /// The member the anchor names, if it names one.
    public var path: [String]? {
        switch self {
        case .end(let path), .offset(let path), .selected(let path): path
        case .bytes, .wholeConfig: nil
        }
    }
}

/// The device-independent feature bits (`transport { ... }`), declared once for every device.
public struct Transport: Sendable {
    public let title: String?
    public let doc: String?
    public let specReference: String?
    public let features: [Feature]
    /// The bit ranges that belong to device types; a device bit outside them is suspicious.
    public let deviceBitRanges: [ClosedRange<Int>]
    public let span: SourceSpan

    public init(title: String?, doc: String?, specReference: String?, features: [Feature],
                deviceBitRanges: [ClosedRange<Int>], span: SourceSpan) {
        self.title = title
        self.doc = doc
        self.specReference = specReference
        self.features = features
        self.deviceBitRanges = deviceBitRanges
        self.span = span
    }
}
