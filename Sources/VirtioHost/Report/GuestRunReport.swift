import Rendering
import ConfigLayout
import VirtioModel

/// `cfgspace guest`: what the guest's own driver reported, value by value, beside what cfgspace's
/// model of the driver predicted and where each value came from.
public struct GuestRunReport: DocumentedReport {
    public let title: String
    public let facts: [(String, String)]
    public let rows: [GuestRow]
    public let agrees: Bool
    /// The end of the guest's console when the run did not agree, for the story.
    public let console: [String]
    /// Feature bit strings are shown by name, as each row's device names them (by the row's device's
    /// first word: `blk (packed)` is blk), or as the run's one device does.
    private let devices: [String: Device]

    public init(blk result: GuestBlkRun.Result) {
        let device = result.device
        title = "Linux virtio_blk (\(result.report.value("kernel") ?? "kernel unknown")) reading "
            + (result.served == nil ? "qemu-storage-daemon directly" : "cfgspace's config (\(result.interpretation.rawValue)) over qemu-storage-daemon")
        var facts = [("daemon offers", device.list(result.daemonOffers)), ("QEMU offers", device.list(result.qemuOffers)),
                     ("QEMU presents", "\(result.presented.count) bytes: " + hexBytes(result.presented))]
        if let seconds = result.readSeconds { facts.append(("read", String(format: "%.3f s", seconds))) }
        self.facts = facts
        rows = result.rows
        agrees = result.agrees
        console = result.agrees ? [] : Array(result.report.console.suffix(8))
        devices = ["": device]
    }

    public init(net result: GuestNetRun.Result) {
        let device = result.probe.device
        title = "Linux virtio_net (\(result.report.value("kernel") ?? "kernel unknown")) on QEMU's \(result.probe.requested)"
        facts = [("QEMU offers", device.list(result.probe.offered)),
                 ("model", "linux-current against the same device over qtest")]
        rows = result.rows
        agrees = result.agrees
        console = result.agrees ? [] : Array(result.report.console.suffix(8))
        devices = ["": device]
    }

    public init(devices result: GuestDeviceRun.Result) {
        let names = result.probes.map { "QEMU's \($0.requested)" }.joined(separator: ", ")
        title = "Linux \(result.report.value("kernel") ?? "kernel unknown") reading " + names
        facts = result.probes.map { probe in
            ("\(probe.device.name) offers", probe.device.list(probe.offered))
        } + [("model", result.probes.compactMap { $0.driverRuns.first?.driver.name }.joined(separator: ", ")
                  + " against the same devices over qtest")]
            + result.probes.compactMap { probe in GuestDevice.named(probe.device.name)?.unshown.map { ("not shown", $0) } }
        rows = result.rows
        agrees = result.agrees
        console = result.agrees ? [] : Array(result.report.console.suffix(8))
        devices = Dictionary(result.probes.map { ($0.device.name, $0.device) }, uniquingKeysWith: { first, _ in first })
    }

    public init(fed result: GuestFedRun.Result, device: Device) {
        title = "Linux \(result.report.value("kernel") ?? "kernel unknown") reading \(result.label), fed by cfgspace"
        facts = [("model", "linux-6.1 over the bytes cfgspace predicts QEMU's front-end presents")]
        rows = result.rows
        agrees = result.agrees
        console = result.agrees ? [] : Array(result.report.console.suffix(8))
        devices = ["": device]
    }

    /// `SIZE_MAX, SEG_MAX, ...` for a 64-character bit string; the string itself if it is not one.
    static func featureNames(_ bits: String, device: Device) -> String {
        guard bits.count == 64, bits.allSatisfy({ $0 == "0" || $0 == "1" }) else { return bits }
        return device.list(FeatureSet(bits: bits.enumerated().filter { $0.element == "1" }.map(\.offset)))
    }

    private func shown(_ row: GuestRow, _ value: String) -> String {
        let key = String(row.device.prefix { $0 != " " })
        guard row.name == "features", let device = devices[key] ?? devices[""] ?? devices.values.first else { return value }
        return Self.featureNames(value, device: device)
    }

    public func document() -> ReportDocument {
        var document = ReportDocument()
        document.title("\(title)")
        document.facts(facts.map { ($0.0, .init($0.1)) })
        document.gap()
        let several = Set(rows.map(\.device)).count > 1
        var table = ReportDocument.Table((several ? [.init("Device")] : []) + [.init("Value"), .init("Model", .right, wraps: true),
                                                                             .init("Guest", .right, wraps: true), .init(""),
                                                                             .init("From", wraps: true)])
        for row in rows where row.name != "features" && row.name != "kernel log" {
            let cells: [ReportDocument.Inline] = [.init(row.name), .init(row.predicted), .init(row.guest),
                                                  row.agrees ? "" : .init("DIFFERS", tone: .bad), .init(row.source)]
            table.add((several ? [.init(row.device)] : []) + cells)
        }
        document.table(table)
        document.gap()
        for row in rows where row.name == "features" || row.name == "kernel log" {
            let mark: ReportDocument.Inline = row.agrees ? .init("same", tone: .good) : .init("DIFFERS", tone: .bad)
            document.line(.init("\(several ? row.device + " " : "")\(row.name) (") + mark + ")")
            document.line(.init("model  \(shown(row, row.predicted))"), indent: "    ")
            if !row.agrees { document.line(.init("guest  \(shown(row, row.guest))"), indent: "    ") }
        }
        let differing = rows.filter { !$0.agrees }.count
        document.gap()
        document.paragraph(agrees ? .init("The guest's driver saw exactly what cfgspace predicted.", tone: .good)
                           : .init("\(differing) of \(rows.count) values differ from the prediction.", tone: .bad), indent: "")
        if !console.isEmpty { GuestConsole.append(console, to: &document) }
        return document
    }

    public func json() -> JSON {
        .object([
            ("title", .string(title)),
            ("facts", .object(facts.map { ($0.0, .string($0.1)) })),
            ("agrees", .bool(agrees)),
            ("rows", .array(rows.map { row in
                .object([("device", .string(row.device)), ("name", .string(row.name)), ("predicted", .string(row.predicted)),
                         ("guest", .string(row.guest)),
                         ("agrees", .bool(row.agrees)), ("source", .string(row.source))])
            })),
            ("console", .array(console.map { .string($0) })),
        ])
    }
}
