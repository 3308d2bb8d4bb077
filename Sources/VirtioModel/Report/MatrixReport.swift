import Rendering
import ConfigLayout

/// `cfgspace simulate --matrix`: one table per feature selection, cells that differ from the
/// reference pair marked.
public struct MatrixReport: Report {
    public let matrix: Matrix

    public init(matrix: Matrix) {
        self.matrix = matrix
    }

    /// The reference pair in words.
    var reference: String {
        "\(matrix.reference.name) on qemu over direct, with the same offered features and values"
    }

    /// Values fit one column each up to this many; past it, a row lists only the values that differ.
    static let widestTable = 6

    private var valueNames: [String] { matrix.valueNames }
    private var isWide: Bool { valueNames.count > Self.widestTable }

    private var columns: [TextTable.Column] {
        let values: [TextTable.Column] = isWide ? [.init("DIFFERS", wraps: true)]
            : valueNames.map { .init($0.uppercased(), $0 == "mac" || $0 == "link" || $0 == "speed" ? .left : .right) }
        return [.init("DRIVER"), .init("DEVICE"), .init("PROBE")] + values
            + [.init("VIOLATIONS", .right), .init("DROPPED", movesBelow: true)]
    }

    /// The cells of a row, each with whether it differs from the reference.
    private func cells(_ row: Matrix.Row) -> [(text: String, differs: Bool)] {
        let outcome = row.outcome
        let differs = { (name: String) in row.differences.contains(name) }
        let values: [(text: String, differs: Bool)] = isWide
            ? [(row.differences.filter { $0 != "probe" }.map { name in
                "\(name) \(OutcomeText.value(outcome.view, name)) (\(OutcomeText.value(row.reference.view, name)))"
            }.joined(separator: "; "), false)]
            : valueNames.map { (OutcomeText.value(outcome.view, $0), differs($0)) }
        return [
            (outcome.driver.name, false),
            // The bus only where it is not the device's own (qemu direct, mlx5 over vDPA).
            (outcome.device.name + (outcome.bus == outcome.device.defaultBus ? "" : " (\(outcome.bus.rawValue))"), false),
            (outcome.probeFailure == nil ? "ok" : "failed", differs("probe")),
        ] + values + [
            ("\(outcome.violations.count)", false),
            (outcome.dropped.map(\.feature).joined(separator: ","), false),
        ]
    }

    private func rows(in selection: String) -> [Matrix.Row] {
        matrix.rows.filter { $0.selection == selection }
    }

    // MARK: - Text

    public func text(style: TextStyle) -> String {
        var out = style.bold("\(matrix.deviceType.name): driver × device, \(OutcomeText.host(matrix.hostIsLittleEndian))") + "\n"
        out += TextTable.paragraph("Each row is set against \(reference); "
                                   + (isWide ? "DIFFERS lists each value that differs from it, the reference's in brackets."
                                        : "* marks a cell that differs from it."))
        for selection in matrix.selections {
            out += "\n" + style.bold("Features: \(selection)") + "\n"
            var table = TextTable(columns)
            table.gap = " "
            for row in rows(in: selection) {
                let cells = cells(row)
                table.add(cells.enumerated().map { index, cell in
                    if cell.differs { return style.red(cell.text + "*") }
                    if index == cells.count - 2 && cell.text != "0" { return style.yellow(cell.text) }
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
            "\($0.device.name) not created: \($0.reason)"
        }
    }

    /// What each driver and device in the matrix is.
    private var legend: [(String, String)] {
        // In the catalogues' order, then any the matrix was given from elsewhere, as the rows name them.
        var drivers: [DriverKind] = [], devices: [DeviceKind] = []
        for row in matrix.rows {
            if !drivers.contains(row.outcome.driver) { drivers.append(row.outcome.driver) }
            if !devices.contains(row.outcome.device) { devices.append(row.outcome.device) }
        }
        drivers = DriverKind.all.filter(drivers.contains) + drivers.filter { !DriverKind.all.contains($0) }
        devices = DeviceKind.all.filter(devices.contains) + devices.filter { !DeviceKind.all.contains($0) }
        return drivers.map { ($0.name, $0.summary) } + devices.map { ($0.name, $0.summary) }
    }

    // MARK: - Markdown

    public func markdown() -> String {
        var out = "# \(matrix.deviceType.name): driver × device, \(OutcomeText.host(matrix.hostIsLittleEndian))\n\n"
        out += "Each row is set against \(reference); **bold** marks a cell that differs from it.\n"
        for selection in matrix.selections {
            out += "\n## Features: \(selection)\n\n"
            var table = MarkdownTable(columns.map { .init($0.title.lowercased(), $0.alignment) })
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
            ("layout", .string(matrix.deviceType.name)),
            ("reference", .string(reference)),
            ("selections", .array(matrix.selections.map { .string($0) })),
            ("not_created", .array(matrix.skipped.map { skipped in
                .object([("selection", .string(skipped.selection)), ("driver", .string(skipped.driver.name)),
                         ("device", .string(skipped.device.name)), ("reason", .string(skipped.reason))])
            })),
            ("rows", .array(matrix.rows.map { row in
                let outcome = row.outcome
                return .object([
                    ("selection", .string(row.selection)),
                    ("driver", .string(outcome.driver.name)),
                    ("device", .string(outcome.device.name)),
                    ("bus", .string(outcome.bus.rawValue)),
                    ("probe_failed", .bool(outcome.probeFailure != nil)),
                    ("values", OutcomeText.json(outcome.view)),
                    ("dropped", .array(outcome.dropped.map { .string($0.feature) })),
                    ("violations", .array(outcome.violations.map { .string($0.rule.rawValue) })),
                    ("differs", .array(row.differences.map { .string($0) })),
                ])
            })),
        ])
    }
}
