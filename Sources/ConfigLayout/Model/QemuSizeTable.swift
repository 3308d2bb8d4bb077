/// QEMU's config sizing for a device (virtio_get_config_size, hw/virtio/virtio.c): a minimum
/// size and entries that each raise the size to an anchor when their condition holds. A layout
/// that transcribes QEMU's feature_sizes table (`qemu feature_size`) gives the entries; otherwise
/// every conditional field is an entry reaching its own end, which is what QEMU's tables do for
/// the features they know.
///
/// This is the one definition of the rule: `Layout`, `SymbolicLayout` and the emitters all use it.
public struct QemuSizeTable: Sendable {
    public struct Entry: Sendable {
        public let condition: Condition
        public let anchor: SizeAnchor
        /// The condition resolved to bits, for laying out many feature sets.
        public let test: CompiledCondition
        /// The field tree's index of the member the anchor names, if it names one.
        public let node: Int?
    }

    public let minimum: SizeAnchor
    /// The field tree's index of the member the minimum names, if it names one.
    public let minimumNode: Int?
    public let entries: [Entry]
    /// Anchors that QEMU properties reach when they are on (`qemu property_size`). Every other
    /// answer (a layout's `--sizing qemu`, the symbolic diff, the emitters) is for QEMU's defaults,
    /// where each is off; `Layout.qemuSize(with:)` takes them.
    public let propertyEntries: [(property: String, anchor: SizeAnchor, node: Int?)]
    /// Whether the entries are QEMU's own table rather than derived from the layout.
    public let isTranscribed: Bool

    /// The device's table, built with the device.
    public init(device: Device) {
        self = device.qemuSizeTable
    }

    init(minimum: SizeAnchor, transcribed: [QemuFeatureSize], properties: [QemuPropertySize], tree: FieldTree,
         bitOf: (String) -> Int?) {
        self.minimum = minimum
        minimumNode = minimum.path.flatMap { tree.index(of: $0.joined(separator: ".")) }
        let node = { (anchor: SizeAnchor) in anchor.path.flatMap { tree.index(of: $0.joined(separator: ".")) } }
        propertyEntries = properties.map { ($0.property, $0.anchor, node($0.anchor)) }
        if transcribed.isEmpty {
            isTranscribed = false
            // Every leaf field some condition governs, its own or an enclosing struct's.
            entries = tree.nodes.filter { $0.isLeaf && $0.isGoverned }.map {
                Entry(condition: $0.valid, anchor: .end(of: $0.path.split(separator: ".").map(String.init)),
                      test: CompiledCondition($0.valid, bitOf: bitOf), node: tree.index(of: $0.path))
            }
        } else {
            isTranscribed = true
            entries = transcribed.map {
                Entry(condition: $0.condition, anchor: $0.anchor, test: CompiledCondition($0.condition, bitOf: bitOf),
                      node: node($0.anchor))
            }
        }
    }

    /// How QEMU's size also depends on the values the device serves, in words, when it does: then
    /// the figures here are the most it can be (a selection) or the least (a field-sized array).
    public func valueDependence(of device: Device) -> String? {
        let anchors = [minimum] + entries.map(\.anchor)
        for anchor in anchors {
            if case .selected(let union) = anchor {
                let sizeField = device.selectors.first { $0.union == union }?.size ?? "size"
                return "QEMU sizes the config by the values it serves: the offset of \(union.joined(separator: ".")) plus "
                    + "the largest \(sizeField) of any selection; the figures here are the most it can be"
            }
            if case .end(let path) = anchor, case .flexible(_, let count)? = device.config?.member(at: path)?.type {
                return "QEMU sizes the config by the values it serves: \(path.joined(separator: ".")) takes \(count) "
                    + "more bytes; the figures here are the least it can be"
            }
        }
        return nil
    }
}
