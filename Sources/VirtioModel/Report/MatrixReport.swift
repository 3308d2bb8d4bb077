import Rendering
import ConfigLayout

/// `cfgspace simulate --matrix`: one table per feature selection, cells that differ from the
/// reference pair marked.
public struct MatrixReport: DocumentedReport {
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

    private var columns: [ReportDocument.Column] {
        let values: [ReportDocument.Column] = isWide ? [.init("differs", wraps: true)]
            : valueNames.map { .init($0, $0 == "mac" || $0 == "link" || $0 == "speed" ? .left : .right) }
        return [.init("driver"), .init("device"), .init("probe")] + values
            + [.init("violations", .right), .init("dropped", movesBelow: true)]
    }

    /// A row's cells: one that differs from the reference marked `*`, violations noticed.
    private func cells(_ row: Matrix.Row) -> [ReportDocument.Inline] {
        let outcome = row.outcome
        let differs = { (name: String) in row.differences.contains(name) }
        let marked = { (text: String, differs: Bool) in
            differs ? ReportDocument.Inline(text + "*", tone: .bad) : ReportDocument.Inline(text)
        }
        let values: [ReportDocument.Inline] = isWide
            ? [.init(row.differences.filter { $0 != "probe" }.map { name in
                "\(name) \(OutcomeText.value(outcome.view, name)) (\(OutcomeText.value(row.reference.view, name)))"
            }.joined(separator: "; "))]
            : valueNames.map { marked(OutcomeText.value(outcome.view, $0), differs($0)) }
        let violations = "\(outcome.violations.count)"
        return [
            .init(outcome.driver.name),
            // The bus only where it is not the device's own (qemu direct, mlx5 over vDPA).
            .init(outcome.device.name + (outcome.bus == outcome.device.defaultBus ? "" : " (\(outcome.bus.rawValue))")),
            marked(outcome.probeFailure == nil ? "ok" : "failed", differs("probe")),
        ] + values + [
            .init(violations, tone: violations == "0" ? .plain : .notice),
            .init(outcome.dropped.map(\.feature).joined(separator: ",")),
        ]
    }

    private func rows(in selection: String) -> [Matrix.Row] {
        matrix.rows.filter { $0.selection == selection }
    }

    // MARK: - Document

    public func document() -> ReportDocument {
        var document = ReportDocument()
        document.title("\(matrix.deviceType.name): driver × device, \(OutcomeText.host(matrix.hostIsLittleEndian))")
        document.paragraph(.init("Each row is set against \(reference); "
                                 + (isWide ? "DIFFERS lists each value that differs from it, the reference's in brackets."
                                    : "* marks a cell that differs from it.")), indent: "")
        for selection in matrix.selections {
            document.gap()
            document.section("Features: \(selection)")
            var table = ReportDocument.Table(columns)
            table.gap = " "
            rows(in: selection).forEach { table.add(cells($0)) }
            document.table(table)
            notCreated(in: selection).forEach { document.line(.init($0, tone: .notice)) }
        }
        let differing = matrix.rows.filter { !$0.differences.isEmpty }.count
        document.gap()
        document.paragraph("\(matrix.rows.count) scenarios; \(differing) differ from the reference.", indent: "")
        document.gap()
        document.section("Models")
        document.facts(legend.map { ($0.0, .init($0.1)) })
        return document
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
