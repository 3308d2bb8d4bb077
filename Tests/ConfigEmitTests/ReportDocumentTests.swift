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
            ("summary", SummaryReport(devices: [net, blk.asOf(nil)])),
            ("catalog", CatalogReport(entries: [.init(name: "net", device: net, featureCount: net.features.count)])),
            ("versions blk", VersionDiffReport(diff: VersionDiff(device: blk, from: SpecVersion.known[1], to: SpecVersion.known[2]))),
            ("versions net", VersionDiffReport(diff: VersionDiff(device: try loaded("net"), from: SpecVersion.known[0],
                                                                to: SpecVersion.known.last ?? SpecVersion.known[0]))),
        ]
    }

    @Test func textAndMarkdownCarryTheSameFacts() throws {
        for (name, report) in try Self.reports() {
            let document = report.document()
            let text = report.render(.text), markdown = report.render(.markdown)
            #expect(text == document.text(style: .plain), "\(name): text is not its document's")
            #expect(markdown == document.markdown(), "\(name): Markdown is not its document's")
            #expect(!document.spans.isEmpty)
            let missing = RenderingCheck.missing(document.spans.map(\.text), text: text, markdown: markdown)
            #expect(missing.isEmpty, "\(name): \(missing)")
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
