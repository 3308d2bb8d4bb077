import ConfigLayout
import Rendering

/// `cfgspace diff --features ...`: two interpretations under one feature set, field by field.
public struct ComparisonReport: Report {
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

    public func text(style: TextStyle) -> String {
        let device = from.device
        var out = style.bold("\(Format.title(of: device)): \(from.interpretation.rawValue) vs \(to.interpretation.rawValue)")
        out += "\n" + TextTable.keyValues([
            ("features", Format.features(from.features, of: device)),
            ("sizing", from.sizing.rawValue),
        ]) + "\n"
        var table = TextTable([.init("FIELD"), .init(from.interpretation.rawValue.uppercased(), .right),
                               .init(to.interpretation.rawValue.uppercased(), .right), .init("CHANGE", wraps: true)])
        for row in comparison.rows {
            let cells = [row.path, row.from.offset.map(Format.offset) ?? "-", row.to.offset.map(Format.offset) ?? "-",
                         change(row)]
            table.add(row.differs ? cells.map(style.yellow) : cells)
        }
        let sizeCells = ["(size)", Format.offset(from.size), Format.offset(to.size),
                         from.size == to.size ? "" : "\(to.size - from.size > 0 ? "+" : "")\(to.size - from.size)"]
        table.add(from.size == to.size ? sizeCells : sizeCells.map(style.yellow))
        out += table.rendered(style: style)
        let moved = comparison.rows.filter(\.differs).count
        out += "\n  \(moved) of \(comparison.rows.count) fields placed differently"
            + (from.size == to.size ? "; sizes agree.\n" : "; sizes differ.\n")
        return out
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

    public func markdown() -> String {
        let device = from.device
        var out = "## \(Format.title(of: device)): \(from.interpretation.rawValue) vs \(to.interpretation.rawValue)\n\n"
        out += "Features: \(Format.features(from.features, of: device)). Sizing: \(from.sizing.rawValue).\n\n"
        var table = MarkdownTable([.init("Field"), .init(from.interpretation.rawValue.capitalized, .right),
                                   .init(to.interpretation.rawValue.capitalized, .right), .init("Change")])
        for row in comparison.rows {
            table.add(["`\(row.path)`", row.from.offset.map(Format.offset) ?? "—", row.to.offset.map(Format.offset) ?? "—",
                       change(row)])
        }
        table.add(["(size)", "\(from.size)", "\(to.size)", ""])
        return out + table.rendered()
    }
}
