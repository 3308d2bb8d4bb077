import Foundation
import Rendering

/// `cfgspace guest --bus vdpa` and `--driver dpdk`: section by section, what the real stack did
/// beside what the models predicted, and where each value came from.
public struct GuestSectionsReport: Report {
    public let title: String
    public let facts: [(String, String)]
    public let sections: [GuestSection]
    public let agrees: Bool
    public let bootSeconds: Double
    /// The end of the guest's console when the run did not agree, for the story.
    public let console: [String]

    public init(_ result: GuestSectionsResult) {
        self.init(title: result.title, facts: result.facts, sections: result.sections, agrees: result.agrees,
                  bootSeconds: result.bootSeconds, report: result.report)
    }

    private init(title: String, facts: [(String, String)], sections: [GuestSection], agrees: Bool, bootSeconds: Double,
                 report: GuestReport) {
        self.title = title
        self.facts = facts
        self.sections = sections
        self.agrees = agrees
        self.bootSeconds = bootSeconds
        console = agrees ? [] : Array(report.console.suffix(8)) + (report.isComplete ? [] : ["(the guest did not finish)"])
    }

    public func text(style: TextStyle) -> String {
        var out = style.bold(title) + "\n" + TextTable.keyValues(facts) + "\n"
        for section in sections {
            out += "\n" + style.bold(section.title) + "\n"
            out += section.lines.map { TextTable.paragraph($0, indent: "  ", continuation: "    ") }.joined()
            guard !section.rows.isEmpty else { continue }
            var table = TextTable([.init(""), .init("MODEL", wraps: true), .init("GUEST", wraps: true), .init("FROM", wraps: true)])
            for row in section.rows {
                table.add([row.name, row.predicted, row.agrees ? style.green("same") : style.red(row.guest), row.source])
            }
            out += table.rendered(style: style)
        }
        let rows = sections.flatMap(\.rows)
        let differing = rows.filter { !$0.agrees }.count
        out += "\n" + (agrees ? style.green("The real stack did exactly what the models predicted.")
                       : style.red("\(differing) of \(rows.count) values differ from the prediction.")) + "\n"
        if !console.isEmpty { out += "\nThe guest's console ended with:\n" + console.map { "  \($0)\n" }.joined() }
        return out
    }

    public func markdown() -> String {
        var out = "## \(title)\n\n" + facts.map { "- **\($0.0)**: \($0.1)" }.joined(separator: "\n") + "\n"
        for section in sections {
            out += "\n### \(section.title)\n\n" + section.lines.map { "\($0)\n\n" }.joined()
            guard !section.rows.isEmpty else { continue }
            var table = MarkdownTable([.init(""), .init("Model"), .init("Guest"), .init("Agrees"), .init("From")])
            section.rows.forEach { table.add([$0.name, $0.predicted, $0.guest, $0.agrees ? "yes" : "**no**", $0.source]) }
            out += table.rendered()
        }
        return out
    }

    public func json() -> JSON {
        .object([
            ("title", .string(title)),
            ("facts", .object(facts.map { ($0.0, .string($0.1)) })),
            ("agrees", .bool(agrees)),
            ("boot", .string(String(format: "%.1f s", bootSeconds))),
            ("sections", .array(sections.map { section in
                .object([
                    ("title", .string(section.title)),
                    ("lines", .array(section.lines.map { .string($0) })),
                    ("agrees", .bool(section.agrees)),
                    ("rows", .array(section.rows.map { row in
                        .object([("name", .string(row.name)), ("predicted", .string(row.predicted)), ("guest", .string(row.guest)),
                                 ("agrees", .bool(row.agrees)), ("source", .string(row.source))])
                    })),
                ])
            })),
            ("console", .array(console.map { .string($0) })),
        ])
    }
}
