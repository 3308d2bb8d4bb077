import ConfigLayout
import Rendering

/// `cfgspace diff --features ...`: two interpretations under one feature set, field by field.
public struct ComparisonReport: DocumentedReport {
    public let comparison: FeatureSetComparison

    public init(comparison: FeatureSetComparison) {
        self.comparison = comparison
    }

    private var from: Layout { comparison.from }
    private var to: Layout { comparison.to }

    /// `moves up 2`, `absent in packed`, or nothing.
    private func change(_ row: FeatureSetComparison.Row) -> String {
        switch (row.from.offset, row.to.offset) {
        case (nil, nil): return "absent in both"
        case (nil, _): return "absent in \(from.interpretation.rawValue)"
        case (_, nil): return "absent in \(to.interpretation.rawValue)"
        default:
            guard let delta = row.delta, delta != 0 else { return "" }
            return delta < 0 ? "moves up \(-delta)" : "moves down \(delta)"
        }
    }

    public func document() -> ReportDocument {
        let device = from.device
        var document = ReportDocument()
        document.title("\(Format.title(of: device)): \(from.interpretation.rawValue) vs \(to.interpretation.rawValue)")
        document.facts([("features", .init(Format.features(from.features, of: device))), ("sizing", .init(from.sizing.rawValue))])
        document.gap()
        var table = ReportDocument.Table([.init("Field"), .init(from.interpretation.rawValue.capitalized, .right),
                                          .init(to.interpretation.rawValue.capitalized, .right), .init("Change", wraps: true)])
        for row in comparison.rows {
            let cells: [ReportDocument.Inline] = [.code(row.path), .init(row.from.offset.map(Format.offset) ?? "-"),
                                                  .init(row.to.offset.map(Format.offset) ?? "-"), .init(change(row))]
            table.add(row.differs ? cells.map { $0.toned(.notice) } : cells)
        }
        let sizeCells: [ReportDocument.Inline] = [
            "(size)", .init(Format.offset(from.size)), .init(Format.offset(to.size)),
            .init(from.size == to.size ? "" : "\(to.size - from.size > 0 ? "+" : "")\(to.size - from.size)"),
        ]
        table.add(from.size == to.size ? sizeCells : sizeCells.map { $0.toned(.notice) })
        document.table(table)
        document.gap()
        let moved = comparison.rows.filter(\.differs).count
        document.paragraph(.init("\(moved) of \(comparison.rows.count) fields placed differently"
                                 + (from.size == to.size ? "; sizes agree." : "; sizes differ.")))
        return document
    }

    public func json() -> JSON {
        .object([
            ("device", .string(from.device.name)),
            ("from", .string(from.interpretation.rawValue)),
            ("to", .string(to.interpretation.rawValue)),
            ("sizing", .string(from.sizing.rawValue)),
            ("features", .array(from.device.names(of: from.features).map { .string($0) })),
            ("from_size", .int(from.size)),
            ("to_size", .int(to.size)),
            ("fields", .array(comparison.rows.map { row in
                .object([("name", .string(row.path)), ("from", .int(row.from.offset)), ("to", .int(row.to.offset)),
                         ("size", .int(row.from.size)), ("differs", .bool(row.differs)), ("delta", .int(row.delta))])
            })),
        ])
    }
}
