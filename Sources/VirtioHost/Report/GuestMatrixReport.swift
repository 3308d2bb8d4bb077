import Rendering
import ConfigLayout
import VirtioModel

/// `cfgspace guest --matrix`: every device's values as the guest's own drivers showed them, beside
/// the models' predictions, in one table, with the boots that held them and the wall time.
public struct GuestMatrixReport: Report {
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

    public func text(style: TextStyle) -> String {
        var out = style.bold("Guest matrix: \(kernel), \(result.boots.count) boots, "
                             + String(format: "%.1f s", result.seconds)) + "\n"
        out += TextTable.keyValues(result.boots.enumerated().map { index, boot in
            ("boot \(index + 1)", boot.devices.joined(separator: ", ") + String(format: " (%.1f s)", boot.seconds))
        }) + "\n"
        var table = TextTable([.init("DEVICE"), .init("VALUE"), .init("MODEL", .right, wraps: true),
                               .init("GUEST", .right, wraps: true), .init("AGREES")])
        for row in result.rows {
            let (model, guest) = cells(row)
            table.add([row.device, row.name, model, guest, row.agrees ? "yes" : style.red("NO")])
        }
        out += table.rendered(style: style)
        out += "\n" + (result.agrees ? style.green("Every guest driver saw exactly what cfgspace predicted: \(result.rows.count) values.")
                        : style.red("\(differing) of \(result.rows.count) values differ from the prediction.")) + "\n"
        if !unshown.isEmpty { out += "\nNot shown by a guest:\n" + TextTable.keyValues(unshown) }
        for boot in result.boots where !boot.report.isComplete {
            out += "\nA boot of \(boot.devices.joined(separator: ", ")) did not finish; its console ended with:\n"
                + boot.report.console.suffix(8).map { "  \($0)\n" }.joined()
        }
        return out
    }

    public func markdown() -> String {
        let out = "## Guest matrix: \(kernel), \(result.boots.count) boots, " + String(format: "%.1f s", result.seconds) + "\n\n"
        var table = MarkdownTable([.init("Device"), .init("Value"), .init("Model"), .init("Guest"), .init("Agrees")])
        for row in result.rows {
            let (model, guest) = cells(row)
            table.add([row.device, row.name, model, guest, row.agrees ? "yes" : "**no**"])
        }
        return out + table.rendered() + unshown.map { "\n- Not shown by a guest, \($0.0): \($0.1)" }.joined()
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
