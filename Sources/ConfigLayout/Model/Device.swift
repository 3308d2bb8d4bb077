/// A checked device layout: its identity, feature bits and configuration structure.
public struct Device: Sendable {
    public var name: String { storage.name }
    public var id: Int { storage.id }
    public var title: String? { storage.title }
    public var doc: String? { storage.doc }
    /// The spec version that introduced the device, if the layout says.
    public var since: SpecVersion? { storage.since }
    /// Where the spec describes the device, such as "virtio 1.4, 5.1.4".
    public var specReference: String? { storage.specReference }
    /// The device's own feature bits, in declaration order.
    public var features: [Feature] { storage.features }
    /// The device-independent feature bits in scope, if a transport was imported.
    public var transport: Transport? { storage.transport }
    /// The configuration structure; nil when the spec defines none (`config none`).
    public var config: Aggregate? { storage.config }
    /// QEMU's smallest config size for the device (`qemu min_size`).
    public var qemuMinimumSize: SizeAnchor { storage.qemuMinimumSize }
    /// QEMU's feature_sizes table (`qemu feature_size`), if the layout transcribes it. Without one,
    /// QEMU's sizing follows the layout's own conditions.
    public var qemuFeatureSizes: [QemuFeatureSize] { storage.qemuFeatureSizes }
    /// QEMU properties that raise the config size whatever the features (`qemu property_size`).
    public var qemuPropertySizes: [QemuPropertySize] { storage.qemuPropertySizes }
    /// What driver writes to selector fields put in unions (`selector`).
    public var selectors: [Selector] { storage.selectors }
    public var span: SourceSpan { storage.span }
    /// The declared fields flattened, with the conditions in force down to each.
    public var fieldTree: FieldTree { storage.fieldTree }
    /// QEMU's config sizing: the transcribed feature_sizes table, or one derived from the fields.
    public var qemuSizeTable: QemuSizeTable { storage.qemuSizeTable }
    /// Device features, then transport features.
    public var allFeatures: [Feature] { storage.allFeatures }

    /// The checked device, held once: every layout, image and model keeps its device, and a copy
    /// then costs one reference rather than one for each of these.
    private let storage: Storage

    private final class Storage: Sendable {
        let name: String
        let id: Int
        let title: String?
        let doc: String?
        let since: SpecVersion?
        let specReference: String?
        let features: [Feature]
        let transport: Transport?
        let config: Aggregate?
        let qemuMinimumSize: SizeAnchor
        let qemuFeatureSizes: [QemuFeatureSize]
        let qemuPropertySizes: [QemuPropertySize]
        let selectors: [Selector]
        let span: SourceSpan
        let fieldTree: FieldTree
        let qemuSizeTable: QemuSizeTable
        let allFeatures: [Feature]
        /// Each feature's index in `allFeatures` by name, device features before transport ones,
        /// so that evaluating a condition costs a lookup rather than a search.
        let indexByName: NameTable
        /// The features that require others, with the requirement resolved to bits.
        let requirements: [(index: Int, bit: Int, test: CompiledCondition)]

        init(name: String, id: Int, title: String?, doc: String?, since: SpecVersion?, specReference: String?,
             features: [Feature], transport: Transport?, config: Aggregate?, qemuMinimumSize: SizeAnchor,
             qemuFeatureSizes: [QemuFeatureSize], qemuPropertySizes: [QemuPropertySize], selectors: [Selector],
             span: SourceSpan) {
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
            self.qemuPropertySizes = qemuPropertySizes
            self.selectors = selectors
            self.span = span
            let allFeatures = features + (transport?.features ?? [])
            let indexByName = NameTable(allFeatures.enumerated().map { ($1.name, $0) })
            self.allFeatures = allFeatures
            self.indexByName = indexByName
            let bitOf = { (name: String) in indexByName[name].map { allFeatures[$0].bit } }
            requirements = allFeatures.indices.compactMap { index in
                allFeatures[index].requires.map { (index, allFeatures[index].bit, CompiledCondition($0, bitOf: bitOf)) }
            }
            fieldTree = FieldTree(config: config, bitOf: bitOf)
            qemuSizeTable = QemuSizeTable(minimum: qemuMinimumSize, transcribed: qemuFeatureSizes,
                                          properties: qemuPropertySizes, tree: fieldTree, bitOf: bitOf)
        }
    }

    public init(name: String, id: Int, title: String? = nil, doc: String? = nil, since: SpecVersion? = nil,
                specReference: String? = nil, features: [Feature], transport: Transport? = nil, config: Aggregate?,
                qemuMinimumSize: SizeAnchor = .wholeConfig, qemuFeatureSizes: [QemuFeatureSize] = [],
                qemuPropertySizes: [QemuPropertySize] = [], selectors: [Selector] = [], span: SourceSpan) {
        storage = Storage(name: name, id: id, title: title, doc: doc, since: since, specReference: specReference,
                          features: features, transport: transport, config: config, qemuMinimumSize: qemuMinimumSize,
                          qemuFeatureSizes: qemuFeatureSizes, qemuPropertySizes: qemuPropertySizes,
                          selectors: selectors, span: span)
    }

    /// The bit of the named feature, device features first; nil when no feature has the name.
    public func bit(named name: String) -> Int? {
        storage.indexByName[name].map { storage.allFeatures[$0].bit }
    }

    /// Features in the set whose `requires` does not hold, with what they require.
    public func unmetRequirements(in features: FeatureSet) -> [(feature: Feature, requires: Condition)] {
        storage.requirements.compactMap { index, bit, test in
            // The feature is copied only when it is reported: a copy retains each of its strings.
            guard features.contains(bit), !test.holds(in: features) else { return nil }
            let feature = storage.allFeatures[index]
            return feature.requires.map { (feature, $0) }
        }
    }

    /// Whether the device exists in a spec version; nil means the newest, where every device does.
    public func exists(in version: SpecVersion?) -> Bool {
        guard let since else { return true }
        guard let version else { return since != .next }
        return version >= since
    }

    public func feature(named name: String) -> Feature? {
        storage.indexByName[name].map { storage.allFeatures[$0] }
    }

    /// The features that use a bit: more than one only where a legacy bit is reused.
    public func features(withBit bit: Int) -> [Feature] {
        allFeatures.filter { $0.bit == bit }
    }

    /// The device at the version `--spec` selects: the newest is asked for as nil, asOf's newest, and
    /// any other version (the next draft too) as itself. Every command that takes `--spec` reads it so.
    public func asOf(selected version: SpecVersion) -> Device {
        asOf(version == SpecVersion.newest ? nil : version)
    }

    /// The device as a spec version describes it, its own bits and the transport's alike; nil means
    /// the newest. Every command that takes `--spec` reads the device through this, so what a version
    /// does not list is neither offered nor accepted anywhere.
    public func asOf(_ version: SpecVersion?) -> Device {
        let kept = features.filter { $0.exists(in: version) }
        let keptTransport = transport?.asOf(version)
        // Most versions keep every feature and field: the device is then itself, with the field
        // tree and tables already built for it.
        if kept.count == features.count, keptTransport?.features.count == transport?.features.count,
           config?.isWhole(in: version) ?? true { return self }
        // A QEMU table entry on bits the version lacks can never hold: it goes with them.
        let names = Set((kept + (keptTransport?.features ?? [])).map(\.name))
        let sizes = qemuFeatureSizes.filter { !names.isDisjoint(with: $0.condition.featureNames) }
        return Device(name: name, id: id, title: title, doc: doc, since: since, specReference: specReference,
                      features: kept, transport: keptTransport, config: config?.asOf(version),
                      qemuMinimumSize: qemuMinimumSize, qemuFeatureSizes: sizes,
                      qemuPropertySizes: qemuPropertySizes, selectors: selectors, span: span)
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

/// A QEMU property that raises the config size to `anchor` whenever it is on, whatever the offered
/// features: balloon's `qemu-4-0-config-size` (virtio_balloon_config_size, hw/virtio/virtio-balloon.c).
public struct QemuPropertySize: Sendable {
    public let property: String
    public let anchor: SizeAnchor

    public init(property: String, anchor: SizeAnchor) {
        self.property = property
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

    /// The transport at the version `--spec` selects, as `Device.asOf(selected:)` reads it.
    public func asOf(selected version: SpecVersion) -> Transport {
        asOf(version == SpecVersion.newest ? nil : version)
    }

    /// The transport's bits as a spec version lists them; nil means the newest.
    public func asOf(_ version: SpecVersion?) -> Transport {
        let kept = features.filter { $0.exists(in: version) }
        guard kept.count != features.count else { return self }
        return Transport(title: title, doc: doc, specReference: specReference, features: kept,
                         deviceBitRanges: deviceBitRanges, span: span)
    }
}
