import Rendering
import ConfigLayout

/// `cfgspace simulate --matrix`: one table per feature selection, cells that differ from the
/// reference pair marked.
public struct MatrixReport: Report {
    public let matrix: Matrix

    public init(matrix: Matrix) {
        self.matrix = matrix
    }

    static let reference = "linux-current on qemu over direct, with the same offered features and values"

    private static let columns: [TextTable.Column] = [
        .init("DRIVER"), .init("DEVICE"), .init("PROBE"), .init("MTU", .right), .init("PAIRS", .right),
        .init("MAC"), .init("LINK"), .init("SPEED"), .init("VIOLATIONS", .right), .init("DROPPED", movesBelow: true),
    ]

    /// The cells of a row, each with whether it differs from the reference.
    private func cells(_ row: Matrix.Row) -> [(text: String, differs: Bool)] {
        let outcome = row.outcome
        let values = outcome.values
        let differs = { (aspect: Matrix.Aspect) in row.differences.contains(aspect) }
        return [
            (outcome.driver.rawValue, false),
            // The bus only where it is not the device's own (qemu direct, mlx5 over vDPA).
            (outcome.device.rawValue + (outcome.bus == outcome.device.defaultBus ? "" : " (\(outcome.bus.rawValue))"), false),
            (outcome.probeFailure == nil ? "ok" : "failed", differs(.probe)),
            (values.map { "\($0.mtu)" } ?? "—", differs(.mtu)),
            (values.map { "\($0.maxQueuePairs)" } ?? "—", differs(.pairs)),
            (values.map { OutcomeText.mac($0.mac) } ?? "—", differs(.mac)),
            (OutcomeText.link(values?.linkUp), differs(.link)),
            (OutcomeText.speed(values), differs(.speed)),
            ("\(outcome.violations.count)", false),
            (outcome.dropped.map(\.feature).joined(separator: ","), false),
        ]
    }

    private func rows(in selection: String) -> [Matrix.Row] {
        matrix.rows.filter { $0.selection == selection }
    }

    // MARK: - Text

    public func text(style: TextStyle) -> String {
        var out = style.bold("Driver × device, \(OutcomeText.host(matrix.hostIsLittleEndian))") + "\n"
        out += TextTable.paragraph("Each row is set against \(Self.reference); * marks a cell that differs from it.")
        for selection in matrix.selections {
            out += "\n" + style.bold("Features: \(selection)") + "\n"
            var table = TextTable(Self.columns)
            table.gap = " "
            for row in rows(in: selection) {
                let cells = cells(row)
                table.add(cells.enumerated().map { index, cell in
                    if cell.differs { return style.red(cell.text + "*") }
                    if index == 8 && cell.text != "0" { return style.yellow(cell.text) }
                    return cell.text
                })
            }
            out += table.rendered(style: style)
            for line in notCreated(in: selection) { out += "  " + style.yellow(line) + "\n" }
        }
        let differing = matrix.rows.filter { !$0.differences.isEmpty }.count
        out += "\n\(matrix.rows.count) scenarios; \(differing) differ from the reference.\n"
        out += "\n" + style.bold("Models") + "\n" + TextTable.keyValues(legend)
        return out
    }

    /// One line per device that refused to be created under a selection, however many drivers it spared.
    private func notCreated(in selection: String) -> [String] {
        var seen: Set<DeviceKind> = []
        return matrix.skipped.filter { $0.selection == selection && seen.insert($0.device).inserted }.map {
            "\($0.device.rawValue) not created: \($0.reason)"
        }
    }

    /// What each driver and device in the matrix is.
    private var legend: [(String, String)] {
        let drivers = Set(matrix.rows.map(\.outcome.driver))
        let devices = Set(matrix.rows.map(\.outcome.device))
        return DriverKind.allCases.filter(drivers.contains).map { ($0.rawValue, $0.summary) }
            + DeviceKind.allCases.filter(devices.contains).map { ($0.rawValue, $0.summary) }
    }

    // MARK: - Markdown

    public func markdown() -> String {
        var out = "# Driver × device, \(OutcomeText.host(matrix.hostIsLittleEndian))\n\n"
        out += "Each row is set against \(Self.reference); **bold** marks a cell that differs from it.\n"
        for selection in matrix.selections {
            out += "\n## Features: \(selection)\n\n"
            var table = MarkdownTable(Self.columns.map { .init($0.title.lowercased(), $0.alignment) })
            for row in rows(in: selection) {
                table.add(cells(row).map { $0.differs ? "**\($0.text)**" : $0.text })
            }
            out += table.rendered()
            let lines = notCreated(in: selection)
            if !lines.isEmpty { out += "\n" + lines.map { "- \($0)\n" }.joined() }
        }
        out += "\n## Models\n\n" + legend.map { "- `\($0.0)`: \($0.1)\n" }.joined()
        return out
    }

    // MARK: - JSON

    public func json() -> JSON {
        .object([
            ("host_endian", .string(matrix.hostIsLittleEndian ? "little" : "big")),
            ("reference", .string(Self.reference)),
            ("selections", .array(matrix.selections.map { .string($0) })),
            ("not_created", .array(matrix.skipped.map { skipped in
                .object([("selection", .string(skipped.selection)), ("driver", .string(skipped.driver.rawValue)),
                         ("device", .string(skipped.device.rawValue)), ("reason", .string(skipped.reason))])
            })),
            ("rows", .array(matrix.rows.map { row in
                let outcome = row.outcome
                return .object([
                    ("selection", .string(row.selection)),
                    ("driver", .string(outcome.driver.rawValue)),
                    ("device", .string(outcome.device.rawValue)),
                    ("bus", .string(outcome.bus.rawValue)),
                    ("probe_failed", .bool(outcome.probeFailure != nil)),
                    ("mtu", .int(outcome.values?.mtu)),
                    ("max_virtqueue_pairs", .int(outcome.values?.maxQueuePairs)),
                    ("mac", .string(outcome.values.map { OutcomeText.mac($0.mac) })),
                    ("link_up", outcome.values.map { .bool($0.linkUp) } ?? .null),
                    ("speed", .int(outcome.values?.speed.map { Int($0) })),
                    ("duplex", .int(outcome.values?.duplex.map { Int($0) })),
                    ("dropped", .array(outcome.dropped.map { .string($0.feature) })),
                    ("violations", .array(outcome.violations.map { .string($0.rule.rawValue) })),
                    ("differs", .array(row.differences.map { .string($0.rawValue) })),
                ])
            })),
        ])
    }
}
