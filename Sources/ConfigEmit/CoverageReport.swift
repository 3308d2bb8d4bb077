import ConfigLayout
import Rendering

/// `cfgspace coverage`: fields that mean something yet lie beyond the config size, for each device.
public struct CoverageReport: DocumentedReport {
    public let coverages: [SizeCoverage]

    public init(coverages: [SizeCoverage]) {
        self.coverages = coverages
    }

    private func example(_ gap: SizeCoverage.Gap, of device: Device) -> String {
        guard let example = gap.example else { return "" }
        return "\(Format.features(example.features, of: device)): size \(example.from), field ends at \(example.to)"
    }

    private func heading(_ coverage: SizeCoverage) -> String {
        "\(Format.title(of: coverage.device)): \(coverage.sizing.rawValue) sizing, \(coverage.interpretation.rawValue) offsets"
    }

    private func when(_ gap: SizeCoverage.Gap) -> String {
        guard gap.isDecided else { return "~ perhaps: bounds cannot rule it out" }
        return gap.when?.description ?? "(no short form; see the example)"
    }

    /// What a coverage past the node limit says of itself.
    private static let bounded = "Too large to decide every field exactly (the diagrams reached their node limit): "
        + "the later fields were decided from bounds on their terms, and a field marked ~ may lie beyond the end."

    public func document() -> ReportDocument {
        var document = ReportDocument()
        for coverage in coverages {
            document.section(heading(coverage))
            if coverage.gaps.isEmpty {
                document.paragraph("every field lies inside the config whenever it means something"
                                   + (coverage.isExact ? "" : " (some decided from bounds: the layout is too large for exact diagrams)"))
                document.gap()
                continue
            }
            document.paragraph("size " + .code(DiffReport.abridged(coverage.size)), continuation: "    ")
            if !coverage.isExact { document.paragraph(.init(Self.bounded)) }
            var table = ReportDocument.Table([.init("Field"), .init("Offset", .right), .init("Beyond the end when", wraps: true),
                                              .init("Sets", .right), .init("Example", wraps: true)])
            for gap in coverage.gaps {
                table.add([.code(gap.path, tone: .notice), .code(DiffReport.abridged(gap.offset)), .code(when(gap)),
                           .init((gap.isDecided ? "" : "~≤ ") + Format.count(gap.setCount)), .init(example(gap, of: coverage.device))])
            }
            document.table(table)
            document.gap()
        }
        return document
    }

    public func json() -> JSON {
        .array(coverages.map { coverage in
            .object([
                ("device", .string(coverage.device.name)),
                ("sizing", .string(coverage.sizing.rawValue)),
                ("interpretation", .string(coverage.interpretation.rawValue)),
                ("size", .string(coverage.size.description)),
                ("valid_sets", .count(coverage.validSetCount)),
                ("exact", .bool(coverage.isExact)),
                ("gaps", .array(coverage.gaps.map { gap in
                    .object([("name", .string(gap.path)), ("offset", .string(gap.offset.description)),
                             ("when", .string(gap.when?.description)), ("sets", .count(gap.setCount)),
                             ("decided", .bool(gap.isDecided)),
                             ("example", gap.example.map { example in
                                 .object([("features", .array(coverage.device.names(of: example.features).map { .string($0) })),
                                          ("size", .int(example.from)), ("field_end", .int(example.to))])
                             } ?? .null)])
                })),
            ])
        })
    }
}
