import Foundation
import Testing
import TestSupport
import ConfigLayout
@testable import ConfigEmit
import Rendering

@Suite struct ReportTests {
    private let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    private func net() throws -> Device {
        let loaded = try LayoutLoader().load(path: PackagePaths.layout("net.layout").path)
        return try #require(loaded.devices.first).asOf(nil)
    }

    private func expectGolden(_ text: String, _ name: String) {
        let mismatch = Golden.mismatch(text, goldenAt: goldenDirectory.appendingPathComponent(name))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test(arguments: ReportFormat.allCases)
    func tableReport(format: ReportFormat) throws {
        let net = try net()
        let features = try net.parseFeatures("STATUS,MTU").get()
        let layout = Layout(device: net, features: features, interpretation: .packed)
        expectGolden(TableReport(layout: layout).render(format), "table-net-packed-status-mtu.\(format.rawValue)")
    }

    @Test func qemuSizedTable() throws {
        let net = try net()
        let layout = Layout(device: net, features: try net.parseFeatures("MTU").get(), interpretation: .fixed, sizing: .qemu)
        expectGolden(TableReport(layout: layout).render(.text), "table-net-qemu-mtu.text")
    }

    @Test(arguments: ReportFormat.allCases)
    func diffReport(format: ReportFormat) throws {
        let diff = InterpretationDiff(device: try net(), from: .fixed, to: .packed)
        expectGolden(DiffReport(diff: diff).render(format), "diff-net.\(format.rawValue)")
    }

    @Test(arguments: ReportFormat.allCases)
    func comparisonReport(format: ReportFormat) throws {
        let net = try net()
        let comparison = FeatureSetComparison(device: net, features: try net.parseFeatures("STATUS,MTU").get(),
                                              from: .fixed, to: .packed)
        expectGolden(ComparisonReport(comparison: comparison).render(format), "compare-net-status-mtu.\(format.rawValue)")
    }

    @Test func reportsAreDeterministic() throws {
        let first = DiffReport(diff: InterpretationDiff(device: try net(), from: .fixed, to: .packed)).render(.json)
        let second = DiffReport(diff: InterpretationDiff(device: try net(), from: .fixed, to: .packed)).render(.json)
        #expect(first == second)
    }

    @Test func coloursOnlyWhenAskedFor() throws {
        let diff = InterpretationDiff(device: try net(), from: .fixed, to: .packed)
        #expect(!DiffReport(diff: diff).render(.text, style: .plain).contains("\u{1B}["))
        #expect(DiffReport(diff: diff).render(.text, style: TextStyle(colors: true)).contains("\u{1B}[33m"))
    }

    @Test func jsonReportsParse() throws {
        let diff = InterpretationDiff(device: try net(), from: .fixed, to: .packed)
        let object = try JSONSerialization.jsonObject(with: Data(DiffReport(diff: diff).render(.json).utf8))
        let document = try #require(object as? [String: Any])
        #expect(document["valid_sets"] as? Int == 224)
    }
}

@Suite struct JSONTests {
    @Test func escapesAndKeepsKeyOrder() {
        let value = JSON.object([("z", .string("quote \" backslash \\ newline \n tab \t bell \u{7} é")), ("a", .int(-3)),
                                 ("n", .null), ("b", .bool(true))])
        #expect(value.rendered() == #"{"z": "quote \" backslash \\ newline \n tab \t bell \u0007 é", "a": -3, "n": null, "b": true}"# + "\n")
    }

    @Test func containersOfContainersBreakLines() {
        let value = JSON.object([("list", .array([.object([("a", .int(1))]), .object([])])), ("empty", .array([]))])
        #expect(value.rendered() == """
            {
              "list": [
                {"a": 1},
                {}
              ],
              "empty": []
            }

            """)
    }

    @Test func compactIsOneLineWithTheSameValue() throws {
        let value = JSON.object([("list", .array([.object([("a", .int(1))]), .object([])])), ("s", .string("a \"b\"\n")),
                                 ("empty", .array([])), ("n", .null)])
        #expect(value.compact() == #"{"list":[{"a":1},{}],"s":"a \"b\"\n","empty":[],"n":null}"#)
        let compact = try JSONSerialization.jsonObject(with: Data(value.compact().utf8)) as? NSDictionary
        let pretty = try JSONSerialization.jsonObject(with: Data(value.rendered().utf8)) as? NSDictionary
        #expect(compact != nil && compact == pretty)
    }

    @Test func outputIsValidJSON() throws {
        let value = JSON.array([.string("\u{0}\u{1F}\u{7F}"), .int(Int.max), .count(1e30), .count(224)])
        let parsed = try JSONSerialization.jsonObject(with: Data(value.rendered().utf8)) as? [Any]
        #expect(parsed?.count == 4)
    }
}

@Suite struct TextTableTests {
    @Test func alignsIgnoringEscapes() {
        var table = TextTable([.init("NAME"), .init("N", .right)])
        table.add([TextStyle(colors: true).red("ab"), "1"])
        table.add(["abcd", "100"])
        let plain = table.rendered(style: .plain).replacingOccurrences(of: "\u{1B}[31m", with: "")
            .replacingOccurrences(of: "\u{1B}[0m", with: "")
        #expect(plain == "  NAME    N\n  ab      1\n  abcd  100\n")
    }
}
