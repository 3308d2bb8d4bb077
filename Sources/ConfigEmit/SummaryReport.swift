import ConfigLayout
import Rendering

/// `cfgspace summary`: one row per device, the numbers a reader wants first.
public struct SummaryReport: DocumentedReport {
    public struct Row: Sendable {
        public let device: Device
        /// The fixed-vs-packed diff, nil for a device without configuration.
        public let diff: InterpretationDiff?

        public init(device: Device) {
            self.device = device
            self.diff = device.config == nil ? nil : InterpretationDiff(device: device, from: .fixed, to: .packed)
        }

        var fields: Int { diff?.fields.count ?? 0 }
        var conditional: Int { diff?.fields.filter(\.from.isConditional).count ?? 0 }
        var moving: Int { diff?.fields.filter(\.moves).count ?? 0 }
        var size: String { diff.map { Format.range($0.size.fromRange) } ?? "none" }
        var packedSize: String { diff.map { Format.range($0.size.toRange) } ?? "" }
    }

    public let rows: [Row]

    public init(devices: [Device]) {
        self.rows = devices.sorted { $0.id < $1.id }.map(Row.init)
    }

    /// Each column's title for Markdown; text shows it in capitals.
    private static let columns: [ReportDocument.Column] = [
        .init("Device"), .init("ID", .right), .init("Since"), .init("Features", .right), .init("Fields", .right),
        .init("Conditional", .right), .init("Move when packed", .right), .init("Size", .right), .init("Packed size", .right),
    ]

    private func cells(_ row: Row) -> [String] {
        [row.device.name, "\(row.device.id)", row.device.since.map { "\($0)" } ?? "-", "\(row.device.features.count)",
         "\(row.fields)", "\(row.conditional)", "\(row.moving)", row.size, row.packedSize]
    }

    public func document() -> ReportDocument {
        var table = ReportDocument.Table(Self.columns)
        for row in rows { table.add(cells(row).map { .init($0) }) }
        let moving = rows.filter { $0.moving > 0 }.map(\.device.name)
        var document = ReportDocument([.table(table), .gap])
        document.paragraph(.init("\(rows.count) devices; fields move under the packed reading in \(moving.count): "
                                 + moving.joined(separator: ", ") + "."))
        return document
    }

    public func json() -> JSON {
        .array(rows.map { row in
            .object([("device", .string(row.device.name)), ("id", .int(row.device.id)),
                     ("since", .string(row.device.since?.description)), ("features", .int(row.device.features.count)),
                     ("fields", .int(row.fields)), ("conditional_fields", .int(row.conditional)),
                     ("fields_moving_when_packed", .int(row.moving)),
                     ("size", .int(row.diff?.size.fromRange?.upperBound)),
                     ("packed_size_min", .int(row.diff?.size.toRange?.lowerBound)),
                     ("packed_size_max", .int(row.diff?.size.toRange?.upperBound))])
        })
    }
}
