import ConfigLayout
import Rendering

/// `cfgspace list`: the built-in layouts, what each describes and since which spec version, so a
/// user knows which names `table blk` and `diff net` take.
public struct CatalogReport: Report {
    public struct Entry: Sendable {
        public let name: String
        public let device: Device?
        /// For the transport, which declares no device.
        public let featureCount: Int

        public init(name: String, device: Device?, featureCount: Int) {
            self.name = name
            self.device = device
            self.featureCount = featureCount
        }
    }

    public let entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    private func cells(_ entry: Entry) -> [String] {
        guard let device = entry.device else {
            return [entry.name, "", "", "\(entry.featureCount)", "", "", "feature bits every device imports"]
        }
        let newest = device.asOf(nil)
        let size = newest.config == nil ? "none"
            : "\(Layout(device: newest, features: FeatureSet(), interpretation: .fixed).size)"
        return [entry.name, "\(device.id)", device.since.map(\.description) ?? "1.0", "\(newest.features.count)",
                "\(Layout(device: newest, features: FeatureSet(), interpretation: .fixed).fields.count)", size,
                device.title ?? ""]
    }

    private static let columns: [TextTable.Column] = [
        .init("NAME"), .init("ID", .right), .init("SINCE"), .init("FEATURES", .right), .init("FIELDS", .right),
        .init("SIZE", .right), .init("TITLE", wraps: true),
    ]

    public func text(style: TextStyle) -> String {
        var table = TextTable(Self.columns)
        entries.forEach { table.add(cells($0)) }
        return table.rendered(style: style)
            + TextTable.paragraph("Each layout describes its device in every virtio version from 1.0 to "
                                  + "\(SpecVersion.newest) (--spec picks one); a path to a file of your own works "
                                  + "wherever a name does, and wins over it.", indent: "\n  ", continuation: "  ")
    }

    public func json() -> JSON {
        .array(entries.map { entry in
            let cells = cells(entry)
            return .object([("name", .string(entry.name)), ("id", .int(entry.device?.id)),
                            ("since", .string(entry.device == nil ? nil : cells[2])), ("features", .int(entry.featureCount)),
                            ("fields", .int(Int(cells[4]))), ("size", .int(Int(cells[5]))),
                            ("title", .string(entry.device?.title))])
        })
    }

    public func markdown() -> String {
        var table = MarkdownTable(Self.columns.map { .init($0.title.capitalized, $0.alignment) })
        entries.forEach { table.add(cells($0)) }
        return table.rendered()
    }
}
