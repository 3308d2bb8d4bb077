/// Fields that mean something under a feature set yet lie, wholly or partly, beyond the config size
/// a sizing gives: a driver reading them gets whatever the transport returns past the end (QEMU:
/// all ones). With QEMU's transcribed feature_sizes table this finds where QEMU's table and the
/// layout disagree, such as blk's secure-erase fields when SECURE_ERASE is offered without ZONED.
public struct SizeCoverage: Sendable {
    public struct Gap: Sendable {
        public let path: String
        public let field: Field
        public let offset: SymbolicValue
        /// When the field is valid but ends past the size; nil if that has no short form.
        public let when: Condition?
        public let setCount: Double
        /// A feature set where it happens: `from` is the config size, `to` the field's end.
        public let example: InterpretationDiff.Example?
    }

    public let device: Device
    public let interpretation: Interpretation
    public let sizing: Sizing
    public let size: SymbolicValue
    public let space: FeatureSpace
    public let validSetCount: Double
    public let gaps: [Gap]

    public init(device: Device, interpretation: Interpretation = .fixed, sizing: Sizing = .qemu,
                honorsRequires: Bool = true) {
        let layout = SymbolicLayout(device: device, interpretation: interpretation)
        let size = layout.size(sizing)
        let conditions = layout.fields.flatMap { [$0.exists, $0.valid] }
            + (sizing == .qemu ? device.qemuFeatureSizes.map(\.condition) : [])
        let space = FeatureSpace(device: device, conditions: conditions, honorsRequires: honorsRequires)
        var encoding = FeatureSpaceEncoding(device: device, space: space)
        let diagram = encoding.diagram
        let sizeNode = encoding.node(for: size)

        var gaps: [Gap] = []
        for field in layout.fields where !field.field.isReserved {
            let end = encoding.node(for: field.offset + .constant(field.size))
            let beyond = diagram.and(diagram.and(encoding.node(for: field.valid), diagram.apply(.greater, end, sizeNode)),
                                     encoding.domain)
            guard beyond != diagram.zero else { continue }
            let example = encoding.example(beyond, from: sizeNode, to: end)
            gaps.append(Gap(path: field.path, field: field.field, offset: field.offset,
                            when: encoding.readable(beyond, presence: field.valid),
                            setCount: encoding.count(beyond), example: example))
        }
        self.device = device
        self.interpretation = interpretation
        self.sizing = sizing
        self.size = size
        self.space = space
        self.validSetCount = encoding.count(diagram.one)
        self.gaps = gaps
    }
}
