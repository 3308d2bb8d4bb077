import ConfigLayout
import Rendering

/// `cfgspace list`: the built-in layouts, what each describes and since which spec version, so a
/// user knows which names `table blk` and `diff net` take.
public struct CatalogReport: DocumentedReport {
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

    /// Each column's title for Markdown; text shows it in capitals.
    private static let columns: [ReportDocument.Column] = [
        .init("Name"), .init("ID", .right), .init("Since"), .init("Features", .right), .init("Fields", .right),
        .init("Size", .right), .init("Title", wraps: true),
    ]

    public func document() -> ReportDocument {
        var table = ReportDocument.Table(Self.columns)
        entries.forEach { table.add(cells($0).enumerated().map { $0 == 0 ? .code($1) : .init($1) }) }
        var document = ReportDocument([.table(table), .gap])
        document.paragraph(.init("Each layout describes its device in every virtio version from 1.0 to "
                                 + "\(SpecVersion.newest) (--spec picks one); a path to a file of your own works "
                                 + "wherever a name does, and wins over it."))
        return document
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
}
