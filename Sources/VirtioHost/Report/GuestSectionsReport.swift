import Foundation
import Rendering

/// `cfgspace guest --bus vdpa` and `--driver dpdk`: section by section, what the real stack did
/// beside what the models predicted, and where each value came from.
public struct GuestSectionsReport: DocumentedReport {
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

    public func document() -> ReportDocument {
        var document = ReportDocument()
        document.title("\(title)")
        document.facts(facts.map { ($0.0, .init($0.1)) })
        document.gap()
        for section in sections {
            document.gap()
            document.section(section.title)
            section.lines.forEach { document.paragraph(.init($0), continuation: "    ") }
            guard !section.rows.isEmpty else { continue }
            var table = ReportDocument.Table([.init(""), .init("Model", wraps: true), .init("Guest", wraps: true),
                                              .init("From", wraps: true)])
            for row in section.rows {
                table.add([.init(row.name), .init(row.predicted),
                           row.agrees ? .init("same", tone: .good) : .init(row.guest, tone: .bad), .init(row.source)])
            }
            document.table(table)
        }
        let rows = sections.flatMap(\.rows)
        let differing = rows.filter { !$0.agrees }.count
        document.gap()
        document.paragraph(agrees ? .init("The real stack did exactly what the models predicted.", tone: .good)
                           : .init("\(differing) of \(rows.count) values differ from the prediction.", tone: .bad), indent: "")
        if !console.isEmpty { GuestConsole.append(console, to: &document) }
        return document
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
