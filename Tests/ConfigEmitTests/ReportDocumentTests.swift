import Foundation
import Testing
import TestSupport
@testable import ConfigLayout
@testable import ConfigEmit
import Rendering

/// Text and Markdown come from one document: every piece of text the document holds shows in both
/// renderings, and each report's text and Markdown are exactly its document's.
@Suite struct ReportDocumentTests {
    private static func loaded(_ name: String) throws -> Device {
        try #require(try LayoutLoader().load(argument: name).devices.first)
    }

    /// Every report of the layout layer, over devices that exercise its branches: moving fields,
    /// hazards, bounds (`~`) and undecided alignment, versions with breaking and tail changes.
    private static func reports() throws -> [(name: String, report: any DocumentedReport)] {
        let net = try loaded("net").asOf(nil), blk = try loaded("blk")
        let features = try net.parseFeatures("STATUS,MTU").get()
        let bounded = InterpretationDiff(device: net, from: .fixed, to: .packed, sizing: .full, honorsRequires: true,
                                         arithmeticNodeLimit: 0)
        return [
            ("table", TableReport(layout: Layout(device: net, features: features, interpretation: .packed))),
            ("table qemu", TableReport(layout: Layout(device: net, features: features, interpretation: .fixed, sizing: .qemu))),
            ("diff", DiffReport(diff: InterpretationDiff(device: net, from: .fixed, to: .packed))),
            ("diff bounded", DiffReport(diff: bounded)),
            ("diff blk", DiffReport(diff: InterpretationDiff(device: blk.asOf(nil), from: .fixed, to: .packed))),
            ("comparison", ComparisonReport(comparison: FeatureSetComparison(device: net, features: features, from: .fixed, to: .packed))),
            ("coverage", CoverageReport(coverages: [SizeCoverage(device: net, interpretation: .packed),
                                                    SizeCoverage(device: blk.asOf(nil), interpretation: .fixed)])),
            ("coverage bounded", CoverageReport(coverages: [SizeCoverage(device: blk.asOf(nil), interpretation: .fixed, sizing: .qemu,
                                                                         honorsRequires: true, nodeLimit: 0)])),
            ("summary", SummaryReport(devices: [net, blk.asOf(nil)])),
            ("catalog", CatalogReport(entries: [.init(name: "net", device: net, featureCount: net.features.count)])),
            ("versions blk", VersionDiffReport(diff: VersionDiff(device: blk, from: SpecVersion.known[1], to: SpecVersion.known[2]))),
            ("versions net", VersionDiffReport(diff: VersionDiff(device: try loaded("net"), from: SpecVersion.known[0],
                                                                to: SpecVersion.known.last ?? SpecVersion.known[0]))),
        ]
    }

    @Test func textAndMarkdownCarryTheSameFacts() throws {
        for (name, report) in try Self.reports() {
            let problems = RenderingCheck.problems(report)
            #expect(problems.isEmpty, "\(name): \(problems)")
        }
    }

    /// The bounds note and the undecided hazards, which the Markdown once left out.
    @Test func boundsAndUndecidedAlignmentShowInMarkdown() throws {
        let net = try Self.loaded("net").asOf(nil)
        let diff = InterpretationDiff(device: net, from: .fixed, to: .packed, sizing: .full, honorsRequires: true,
                                      arithmeticNodeLimit: 0)
        let markdown = DiffReport(diff: diff).render(.markdown)
        #expect(!diff.rangesAreExact)
        #expect(markdown.contains("~ |"))
        #expect(markdown.contains(DiffReport.boundsNote))
        if !diff.undecidedAlignment.isEmpty {
            #expect(markdown.contains("not decided"))
            #expect(!markdown.contains("none: every placement keeps natural alignment"))
        }
    }
}

/// The blocks the simulator's and the host's reports need, each rendered both ways.
@Suite struct ReportDocumentBlockTests {
    @Test func verbatimLinesStayWholeInMarkdownAndFitOnATerminal() {
        let long = String(repeating: "word ", count: 30) + "end"
        var document = ReportDocument()
        document.verbatim(["short line", long], indent: "  ", continuation: "    ")
        document.verbatim(["a console line with ``` in it"], indent: "  ")
        let text = document.text(style: .plain)
        #expect(text.hasPrefix("  short line\n  word word"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 100 })
        #expect(text.contains("\n    word"), "a wrapped line goes on after its continuation")
        #expect(text.hasSuffix("  a console line with ``` in it\n"))
        let markdown = document.markdown()
        #expect(markdown.contains("```\nshort line\n\(long)\n```\n"))
        #expect(markdown.contains("````\na console line with ``` in it\n````\n"), "the fence outruns the line's backticks")
    }

    @Test func itemsTakeTheirLayoutAndNestDetailsWhenAsked() {
        let layout = ReportDocument.ItemLayout(indent: "  ", continuation: "    ", detailIndent: "      ",
                                               detailContinuation: "        ", nestsDetails: true)
        var document = ReportDocument()
        document.item("the cause", details: ["first consequence", "second consequence"], layout: layout)
        document.item("a plain item", details: ["its explanation"])
        #expect(document.text(style: .plain) == "  the cause\n      first consequence\n      second consequence\n"
                + "  a plain item\n    its explanation\n")
        #expect(document.markdown() == "- the cause\n  - first consequence\n  - second consequence\n"
                + "- a plain item\n  its explanation\n")
    }

    @Test func aTableTakesItsGap() {
        var table = ReportDocument.Table([.init("a"), .init("b", .right)])
        table.gap = " "
        table.add(["x", "10"])
        #expect(ReportDocument([.table(table)]).text(style: .plain) == "  A  B\n  x 10\n")
    }

    @Test func aLongTitleWrapsBoldOnEveryLine() {
        let title = String(repeating: "long title ", count: 12)
        let text = ReportDocument([.title(.init(title))]).text(style: TextStyle(colors: true))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains("\u{1B}[1m") && $0.hasSuffix("\u{1B}[0m") })
        #expect(lines[1].hasPrefix("  "))
    }

    /// Prose of one tone keeps its paint on each line it wraps to; mixed tones paint span by span.
    @Test func oneTonedProseIsPaintedLineByLine() {
        var document = ReportDocument()
        document.paragraph(.init(String(repeating: "quiet words ", count: 12), tone: .quiet), indent: "    ")
        let lines = document.text(style: TextStyle(colors: true)).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("    \u{1B}[2m") && $0.hasSuffix("\u{1B}[0m") })
    }

    @Test func markdownEscapesItsOwnMarksInPlainText() {
        var document = ReportDocument()
        document.paragraph("* marks a cell; `x` is not code here")
        document.paragraph(.code("a*b") + " " + ReportDocument.Inline("9000*", tone: .bad))
        #expect(document.markdown() == "\\* marks a cell; \\`x\\` is not code here\n\n`a*b` **9000\\***\n")
        #expect(RenderingCheck.missing(document.spans.map(\.text), text: document.text(style: .plain),
                                       markdown: document.markdown()).isEmpty)
    }
}
