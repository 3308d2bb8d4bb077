import Rendering
import ConfigLayout
import VirtioModel

/// `cfgspace probe vhost-user`: what a back-end said, held against the layout.
public struct VhostUserProbeReport: DocumentedReport {
    public let result: VhostUserProbe.Result

    public init(result: VhostUserProbe.Result) {
        self.result = result
    }

    private var protocolNames: [String] {
        VhostUserPayload.ProtocolFeature.allCases.filter { result.protocolFeatures & $0.mask != 0 }.map(\.name)
    }

    private var facts: [(String, String)] {
        [("layout", "\(result.layoutPath): \(result.device.name) (ID \(result.device.id))"),
         ("offered", result.device.list(result.offered)),
         ("vhost bits", result.vhostBits.isEmpty ? "none" : result.vhostBits.joined(separator: ", ")),
         ("protocol", protocolNames.joined(separator: ", ")),
         ("queues", result.queues.map(String.init) ?? "not said (no MQ protocol feature)"),
         ("config", "\(result.configSize) bytes answered by GET_CONFIG")]
    }

    private var rows: [[String]] {
        result.fields.map { field in
            [field.path, "\(field.offset)", field.bytes.map(hexBytes) ?? "—",
             field.isInside ? QEMUProbeReport.value(field.value, type: field.type) : "—",
             !field.exists ? "not offered" : !field.isInside ? "past the end" : ""]
        }
    }

    private static let columns: [ReportDocument.Column] = [.init("Field"), .init("Offset", .right), .init("Bytes"),
                                                           .init("Value", wraps: true), .init("Note", wraps: true)]

    public func document() -> ReportDocument {
        var document = ReportDocument()
        document.title("vhost-user back-end at " + .code(result.socket))
        document.facts(facts.map { ($0.0, .init($0.1)) })
        document.gap()
        var table = ReportDocument.Table(Self.columns)
        rows.forEach { row in table.add(row.enumerated().map { $0 == 0 ? .code($1) : .init($1) }) }
        document.table(table)
        document.gap()
        document.section("Verdict")
        for check in result.checks {
            let mark: ReportDocument.Inline = check.verdict == .agrees ? .init("ok", tone: .good)
                : check.verdict == .departs ? .init("DEPARTS", tone: .bad) : .init("undecided", tone: .notice)
            document.line(mark + "  \(check.name): \(check.summary)")
            if check.verdict != .agrees { check.details.forEach { document.line(.init($0), indent: "        ") } }
        }
        return document
    }

    public func json() -> JSON {
        .object([
            ("socket", .string(result.socket)),
            ("layout", .string(result.layoutPath)),
            ("layout_device", .string(result.device.name)),
            ("offered", .array(result.device.names(of: result.offered).map { .string($0) })),
            ("unknown_bits", .array(result.unknownBits.map { .int($0) })),
            ("protocol_features", .array(protocolNames.map { .string($0) })),
            ("queues", .int(result.queues.map { Int(clamping: $0) })),
            ("config_size", .int(result.configSize)),
            ("bytes", .string(hexBytes(result.bytes))),
            ("fields", .array(result.fields.map { field in
                .object([("name", .string(field.path)), ("offset", .int(field.offset)), ("size", .int(field.size)),
                         ("bytes", .string(field.bytes.map(hexBytes))), ("value", .string(field.value?.description)),
                         ("exists", .bool(field.exists)), ("inside", .bool(field.isInside))])
            })),
            ("checks", .array(result.checks.map { check in
                .object([("name", .string(check.name)), ("verdict", .string(check.verdict.rawValue)), ("summary", .string(check.summary))])
            })),
            ("agrees", .bool(result.agrees)),
        ])
    }
}
