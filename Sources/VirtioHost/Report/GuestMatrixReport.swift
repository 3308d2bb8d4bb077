import Rendering
import ConfigLayout
import VirtioModel

/// `cfgspace guest --matrix`: every device's values as the guest's own drivers showed them, beside
/// the models' predictions, in one table, with the boots that held them and the wall time.
public struct GuestMatrixReport: DocumentedReport {
    public let result: GuestMatrix.Result

    public init(result: GuestMatrix.Result) {
        self.result = result
    }

    private var kernel: String {
        result.boots.first?.report.value("kernel").map { "Linux \($0)" } ?? "Linux (\(result.kernel.rawValue) kernel)"
    }

    /// A row's values as the table shows them: feature bits as a count, the rest as they are.
    private func cells(_ row: GuestRow) -> (model: String, guest: String) {
        guard row.name == "features" else { return (row.predicted, row.guest) }
        let count = { (bits: String) in bits.count == 64 ? "\(bits.filter { $0 == "1" }.count) bits" : bits }
        return (count(row.predicted), count(row.guest))
    }

    private var differing: Int { result.rows.filter { !$0.agrees }.count }

    /// What the devices' guests cannot show, by device, in the order the rows name them.
    private var unshown: [(String, String)] {
        result.rows.map(\.device).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            .compactMap { name in GuestDevice.named(name)?.unshown.map { (name, $0) } }
    }

    public func document() -> ReportDocument {
        var document = ReportDocument()
        document.title("\(title)")
        document.facts(result.boots.enumerated().map { index, boot in
            ("boot \(index + 1)", .init(boot.devices.joined(separator: ", ") + String(format: " (%.1f s)", boot.seconds)))
        })
        document.gap()
        var table = ReportDocument.Table([.init("Device"), .init("Value", wraps: true), .init("Model", .right, wraps: true),
                                          .init("Guest", .right, wraps: true), .init("Agrees")])
        for row in result.rows {
            let (model, guest) = cells(row)
            table.add([.init(row.device), .init(row.name), .init(model), .init(guest),
                       row.agrees ? "yes" : .init("NO", tone: .bad)])
        }
        document.table(table)
        document.gap()
        document.paragraph(result.agrees ? .init("Every guest driver saw exactly what cfgspace predicted: \(result.rows.count) values.",
                                                 tone: .good)
                           : .init("\(differing) of \(result.rows.count) values differ from the prediction.", tone: .bad), indent: "")
        if !unshown.isEmpty {
            document.gap()
            document.paragraph("Not shown by a guest:", indent: "")
            document.facts(unshown.map { ($0.0, .init($0.1)) })
        }
        for boot in result.boots where !boot.report.isComplete {
            GuestConsole.append(Array(boot.report.console.suffix(8)), to: &document,
                                saying: "A boot of \(boot.devices.joined(separator: ", ")) did not finish; its console ended with:")
        }
        return document
    }

    private var title: String {
        "Guest matrix: \(kernel), \(result.boots.count) boots, " + String(format: "%.1f s", result.seconds)
    }

    public func json() -> JSON {
        .object([
            ("kernel", .string(result.kernel.rawValue)),
            ("milliseconds", .int(Int(result.seconds * 1000))),
            ("agrees", .bool(result.agrees)),
            ("boots", .array(result.boots.map { boot in
                .object([("devices", .array(boot.devices.map { .string($0) })), ("milliseconds", .int(Int(boot.seconds * 1000))),
                         ("complete", .bool(boot.report.isComplete))])
            })),
            ("rows", .array(result.rows.map { row in
                .object([("device", .string(row.device)), ("name", .string(row.name)), ("predicted", .string(row.predicted)),
                         ("guest", .string(row.guest)), ("agrees", .bool(row.agrees)), ("source", .string(row.source))])
            })),
        ])
    }
}
