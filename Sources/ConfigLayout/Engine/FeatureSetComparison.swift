/// Two interpretations of a layout under one feature set, field by field.
public struct FeatureSetComparison: Sendable {
    public struct Row: Sendable {
        public let from: PlacedField
        public let to: PlacedField

        public var path: String { from.path }

        /// How far the field moves from one interpretation to the other (to minus from), when both
        /// place it.
        public var delta: Int? {
            guard let a = from.offset, let b = to.offset else { return nil }
            return b - a
        }

        /// Placed differently: at another offset, or in one interpretation only.
        public var differs: Bool { from.offset != to.offset }
    }

    public let from: Layout
    public let to: Layout
    public let rows: [Row]

    public init(device: Device, features: FeatureSet, from: Interpretation, to: Interpretation, sizing: Sizing = .full) {
        self.from = Layout(device: device, features: features, interpretation: from, sizing: sizing)
        self.to = Layout(device: device, features: features, interpretation: to, sizing: sizing)
        self.rows = zip(self.from.fields, self.to.fields).map { Row(from: $0, to: $1) }
    }
}
