import ConfigLayout
import Rendering

/// `cfgspace coverage`: fields that mean something yet lie beyond the config size, for each device.
public struct CoverageReport: Report {
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
        gap.when?.description ?? "(no short form; see the example)"
    }

    public func text(style: TextStyle) -> String {
        var out = ""
        for coverage in coverages {
            out += style.bold(heading(coverage)) + "\n"
            if coverage.gaps.isEmpty {
                out += "  every field lies inside the config whenever it means something\n\n"
                continue
            }
            out += "  size \(DiffReport.abridged(coverage.size))\n"
            var table = TextTable([.init("FIELD"), .init("OFFSET", .right), .init("BEYOND THE END WHEN", wraps: true),
                                   .init("SETS", .right), .init("EXAMPLE", wraps: true)])
            for gap in coverage.gaps {
                table.add([style.yellow(gap.path), DiffReport.abridged(gap.offset), when(gap), Format.count(gap.setCount),
                           example(gap, of: coverage.device)])
            }
            out += table.rendered(style: style) + "\n"
        }
        return out
    }

    public func json() -> JSON {
        .array(coverages.map { coverage in
            .object([
                ("device", .string(coverage.device.name)),
                ("sizing", .string(coverage.sizing.rawValue)),
                ("interpretation", .string(coverage.interpretation.rawValue)),
                ("size", .string(coverage.size.description)),
                ("valid_sets", .count(coverage.validSetCount)),
                ("gaps", .array(coverage.gaps.map { gap in
                    .object([("name", .string(gap.path)), ("offset", .string(gap.offset.description)),
                             ("when", .string(gap.when?.description)), ("sets", .count(gap.setCount)),
                             ("example", gap.example.map { example in
                                 .object([("features", .array(coverage.device.names(of: example.features).map { .string($0) })),
                                          ("size", .int(example.from)), ("field_end", .int(example.to))])
                             } ?? .null)])
                })),
            ])
        })
    }

    public func markdown() -> String {
        var out = ""
        for coverage in coverages {
            out += "## \(heading(coverage))\n\n"
            guard !coverage.gaps.isEmpty else {
                out += "Every field lies inside the config whenever it means something.\n\n"
                continue
            }
            var table = MarkdownTable([.init("Field"), .init("Offset", .right), .init("Beyond the end when"),
                                       .init("Sets", .right), .init("Example")])
            for gap in coverage.gaps {
                table.add(["`\(gap.path)`", "\(gap.offset)", "`\(when(gap))`", Format.count(gap.setCount),
                           example(gap, of: coverage.device)])
            }
            out += table.rendered() + "\n"
        }
        return out
    }
}
