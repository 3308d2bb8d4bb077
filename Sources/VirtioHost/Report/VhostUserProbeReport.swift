import Rendering
import ConfigLayout
import VirtioModel

/// `cfgspace probe vhost-user`: what a back-end said, held against the layout.
public struct VhostUserProbeReport: Report {
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

    private static let columns: [TextTable.Column] = [.init("FIELD"), .init("OFFSET", .right), .init("BYTES"), .init("VALUE", wraps: true), .init("NOTE", wraps: true)]

    public func text(style: TextStyle) -> String {
        var out = style.bold("vhost-user back-end at \(result.socket)") + "\n" + TextTable.keyValues(facts) + "\n"
        var table = TextTable(Self.columns)
        rows.forEach { table.add($0) }
        out += table.rendered(style: style) + "\n" + style.bold("Verdict") + "\n"
        for check in result.checks {
            let mark = check.verdict == .agrees ? style.green("ok") : check.verdict == .departs ? style.red("DEPARTS") : style.yellow("undecided")
            out += "  \(mark)  \(check.name): \(check.summary)\n"
            if check.verdict != .agrees { check.details.forEach { out += "        \($0)\n" } }
        }
        return out
    }

    public func markdown() -> String {
        var out = "## vhost-user back-end at `\(result.socket)`\n\n" + facts.map { "- **\($0.0)**: \($0.1)" }.joined(separator: "\n") + "\n\n"
        var table = MarkdownTable(Self.columns)
        rows.forEach { table.add($0) }
        out += table.rendered() + "\n"
        var verdict = MarkdownTable([.init("Check"), .init("Verdict"), .init("Summary")])
        result.checks.forEach { verdict.add([$0.name, $0.verdict.rawValue, $0.summary]) }
        return out + verdict.rendered()
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
