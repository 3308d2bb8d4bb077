import Testing
import TestSupport
import ConfigLayout
import Rendering
@testable import VirtioModel

/// The simulator's reports come from one document each: text and Markdown are exactly its
/// document's, and both show every piece of text it holds (marks, violations, logs, traces).
@Suite struct ModelReportDocumentTests {
    static func reports() throws -> [(name: String, report: any DocumentedReport)] {
        let net = try simulator()
        let blk = Simulator(device: try #require(LayoutLoader().load(argument: "blk").devices.first).asOf(nil))
        let legacy = try FeatureSelection.parse("-VERSION_1", for: net.device).get()
        let edited = try FeatureSelection.parse("+MTU,-MQ", for: net.device).get()
        let thread = try net.run(Scenario(driver: .linux5_12, device: .mlx5_5_12, values: [("mtu", "9000")]))
        let refused = try blk.run(Scenario(driver: DriverKind.reference(for: blk.device), device: .qemu,
                                           values: [("blk_size", "131072")]))
        let bigEndian = try net.run(Scenario(driver: .linux5_16BigEndian, device: .qemu, hostIsLittleEndian: false))
        return [
            ("scenario thread", ScenarioReport(outcome: thread, showsTrace: true)),
            ("scenario refused", ScenarioReport(outcome: refused, showsTrace: true)),
            ("scenario big-endian", ScenarioReport(outcome: bigEndian, showsTrace: false)),
            ("matrix", MatrixReport(matrix: Matrix(simulator: net, selections: [.defaults, edited, legacy]))),
            ("matrix blk", MatrixReport(matrix: Matrix(simulator: blk, selections: [.defaults]))),
        ]
    }

    @Test func textAndMarkdownCarryTheSameFacts() throws {
        for (name, report) in try Self.reports() {
            let problems = RenderingCheck.problems(report)
            #expect(problems.isEmpty, "\(name): \(problems)")
        }
    }
}
