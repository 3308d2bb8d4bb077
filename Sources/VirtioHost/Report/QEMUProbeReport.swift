import Rendering
import ConfigLayout
import VirtioModel

/// `cfgspace probe qemu`: what QEMU served and how it measures against cfgspace, for people (text,
/// Markdown) and programs (JSON).
public struct QEMUProbeReport: Report {
    public let result: QEMUProbeResult
    /// Print each driver run's whole trace, not only where it parts from the model's.
    public let showsTrace: Bool

    public init(result: QEMUProbeResult, showsTrace: Bool = false) {
        self.result = result
        self.showsTrace = showsTrace
    }

    private var device: Device { result.device }

    private var lengthText: String {
        switch result.length {
        case .exact(let length): "\(length) bytes, exact (QEMU's migration stream, config_len)"
        case .atLeast(let length, _): "at least \(length) bytes (the exact length is not available)"
        }
    }

    private var facts: [(String, String)] {
        var facts: [(String, String)] = [
            ("device", result.location + (result.isTransitional ? ", transitional" : "")),
            ("read via", result.transport),
            ("layout", "\(result.layoutPath): \(device.name) (ID \(device.id))"),
            ("offered", device.list(result.offered)),
        ]
        for bit in result.unknownBits {
            facts.append(("unknown bit", "\(bit)" + (QEMUFindings.explainUnknownBit(bit, legacy: !result.transport.contains("modern")
                && !result.transport.contains("v2")).map { ": " + $0 } ?? "")))
        }
        facts.append(("FEATURES_OK", result.featuresAccepted.map { $0 ? "kept for the offered set" : "refused" }
                      ?? "none on the legacy interface"))
        facts.append(("config", lengthText + "; cfgspace predicts \(result.predictedLength)"))
        return facts
    }

    /// The bytes inside the config, 16 to a line, then what reads past it return.
    private var byteLines: [String] {
        let inside = Array(result.bytes.prefix(result.length.value))
        var lines = stride(from: 0, to: inside.count, by: 16).map { start in
            String(format: "%04x  ", start) + hexBytes(Array(inside[start..<min(start + 16, inside.count)]))
        }
        if lines.isEmpty { lines = ["(none)"] }
        let past = Set(result.pastEnd.flatMap(\.bytes))
        lines.append("past the end: " + (past == [0xff] ? "all ones (\(result.pastEnd.count) reads)" : "not all ones"))
        return lines
    }

    static func value(_ value: FieldValue?, type: String) -> String {
        guard let value else { return "—" }
        if type.hasPrefix("char"), case .bytes(let bytes) = value {
            return "\"" + String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) + "\""
        }
        return value.description
    }

    private var fieldRows: [[String]] {
        result.fields.map { field in
            let note = [!field.exists ? "not offered" : !field.isValid ? "not valid" : nil,
                        !field.isInside ? "past the end" : nil].compactMap { $0 }.joined(separator: ", ")
            let packed: String
            if !field.exists {
                packed = field.packedOffset == nil ? "absent" : "\(field.packedOffset ?? 0)"
            } else if let at = field.packedOffset, at != field.offset {
                let owners = field.packedReadsFrom.joined(separator: " and ")
                let what = owners.isEmpty ? "" : ", \(owners)\(owners.hasSuffix("s") ? "'" : "'s") bytes"
                packed = "@\(at) → \(Self.value(field.packedValue, type: field.type))\(what)"
                    + (field.isMisreadWhenPacked ? "  MISREAD" : "")
            } else {
                packed = "same"
            }
            return [field.path, "\(field.offset)", field.bytes.map(hexBytes) ?? "—",
                    field.isInside ? Self.value(field.value, type: field.type) : "—", note, packed]
        }
    }

    private static let fieldColumns: [TextTable.Column] = [
        .init("FIELD"), .init("OFFSET", .right), .init("BYTES"), .init("VALUE", wraps: true), .init("NOTE", wraps: true), .init("PACKED READING", wraps: true),
    ]

    private func mark(_ verdict: QEMUProbeResult.Check.Verdict, style: TextStyle) -> String {
        switch verdict {
        case .agrees: style.green("ok")
        case .departs: style.red("DEPARTS")
        case .undecided: style.yellow("undecided")
        }
    }

    public func text(style: TextStyle) -> String {
        var out = style.bold("QEMU \(result.qemuVersion): \(result.requested)") + "\n"
        out += TextTable.keyValues(facts) + "\n"
        out += TextTable.keyValues(byteLines.enumerated().map { ($0.offset == 0 ? "bytes" : "", $0.element) }) + "\n"

        out += style.bold("Fields, at their fixed offsets and as a packed reading over the offered features") + "\n"
        var table = TextTable(Self.fieldColumns)
        fieldRows.forEach { table.add($0) }
        out += table.rendered(style: style) + "\n"

        if !result.selections.isEmpty {
            out += style.bold("Selections (select, subsel → size and contents)") + "\n"
            var selections = TextTable([.init("SELECT"), .init("SUBSEL", .right), .init("SIZE", .right), .init("CONTENTS", wraps: true)])
            for selection in result.selections {
                let contents = selection.member == "string" ? Self.value(.bytes(selection.bytes), type: "char")
                    : hexBytes(Array(selection.bytes.prefix(24))) + (selection.bytes.count > 24 ? " …" : "")
                selections.add(["\(selection.name) (\(selection.select))", selection.subselect.map(String.init) ?? "",
                                "\(selection.size)", contents])
            }
            out += selections.rendered(style: style) + "\n"
        }

        out += style.bold("Verdict") + "\n"
        for check in result.checks {
            out += "  \(mark(check.verdict, style: style))  \(check.name): \(check.summary)\n"
            if check.verdict != .agrees { check.details.forEach { out += "        \($0)\n" } }
            if let finding = check.knownFinding { out += "        \(finding)\n" }
        }
        for run in result.driverRuns { out += "\n" + driverRunText(run, style: style) }
        if !result.warnings.isEmpty {
            out += "\n" + style.bold("QEMU said") + "\n" + result.warnings.map { line in
                "  " + (line.hasPrefix("qemu-system-x86_64: ") ? String(line.dropFirst("qemu-system-x86_64: ".count)) : line) + "\n"
            }.joined()
        }
        return out
    }

    private func driverRunText(_ run: QEMUProbeResult.DriverRun, style: TextStyle) -> String {
        var out = style.bold("\(run.driver.name) against the device, beside the qemu model") + "\n"
        let outcome = run.real
        out += TextTable.keyValues([
            ("negotiated", device.list(outcome.negotiated)),
            ("probe", outcome.probeFailure.map { "FAILED: \($0)" } ?? "succeeded"),
            ("violations", "\(outcome.violations.count)"),
            ("trace", run.differences.isEmpty ? "the same \(outcome.trace.count) steps as on the qemu model"
                : "\(run.differences.count) lines differ from the run on the qemu model"),
        ] + (outcome.realDeviceFailure.map { [("device", "stopped answering: \($0)")] } ?? [])) + "\n"
        if showsTrace {
            for (index, entry) in outcome.trace.enumerated() {
                out += String(format: "  %3d  ", index + 1) + TraceDiff.line(entry, device: device) + "\n"
            }
        }
        for difference in run.differences {
            let side = difference.side == .real ? style.red("- QEMU ") : style.green("+ model")
            out += "  \(side) #\(difference.step)  \(difference.line)\n"
        }
        return out
    }

    public func markdown() -> String {
        var out = "## QEMU \(result.qemuVersion): `\(result.requested)`\n\n"
        out += facts.map { "- **\($0.0)**: \($0.1)" }.joined(separator: "\n") + "\n\n"
        out += "```\n" + byteLines.joined(separator: "\n") + "\n```\n\n"
        var table = MarkdownTable(Self.fieldColumns)
        fieldRows.forEach { table.add($0) }
        out += table.rendered() + "\n"
        var verdict = MarkdownTable([.init("Check"), .init("Verdict"), .init("Summary")])
        for check in result.checks {
            verdict.add([check.name, check.verdict.rawValue, check.summary + (check.knownFinding.map { " " + $0 } ?? "")])
        }
        out += verdict.rendered()
        for run in result.driverRuns {
            out += "\n### \(run.driver.name)\n\n" + (run.differences.isEmpty ? "Same trace as on the qemu model.\n"
                : run.differences.map { "- \($0.side.rawValue) #\($0.step): `\($0.line)`" }.joined(separator: "\n") + "\n")
        }
        return out
    }

    public func json() -> JSON {
        let names = { (set: FeatureSet) in JSON.array(device.names(of: set).map { .string($0) }) }
        var length: [(key: String, value: JSON)] = [("bytes", .int(result.length.value))]
        switch result.length {
        case .exact: length.append(("exact", .bool(true)))
        case .atLeast(_, let reason): length += [("exact", .bool(false)), ("reason", .string(reason))]
        }
        return .object([
            ("qemu", .string(result.qemuVersion)),
            ("device", .string(result.requested.description)),
            ("started", .string(result.started.description)),
            ("machine", .string(result.machine)),
            ("location", .string(result.location)),
            ("transitional", .bool(result.isTransitional)),
            ("transport", .string(result.transport)),
            ("layout", .string(result.layoutPath)),
            ("layout_device", .string(device.name)),
            ("offered", names(result.offered)),
            ("unknown_bits", .array(result.unknownBits.map { .int($0) })),
            ("features_ok", result.featuresAccepted.map { .bool($0) } ?? .null),
            ("length", .object(length)),
            ("predicted_length", .int(result.predictedLength)),
            ("bytes", .string(hexBytes(Array(result.bytes.prefix(result.length.value))))),
            ("past_end", .array(result.pastEnd.map {
                .object([("offset", .int($0.offset)), ("width", .int($0.width)), ("bytes", .string(hexBytes($0.bytes)))])
            })),
            ("fields", .array(result.fields.map(Self.json))),
            ("selections", .array(result.selections.map { selection in
                .object([("name", .string(selection.name)), ("select", .int(Int(selection.select))),
                         ("subsel", .int(selection.subselect.map { Int($0) })), ("member", .string(selection.member)),
                         ("size", .int(selection.size)), ("bytes", .string(hexBytes(selection.bytes)))])
            })),
            ("legacy", .array(result.legacyViews.map { view in
                .object([("config_offset", .int(view.configOffset)), ("bytes", .string(hexBytes(view.bytes))),
                         ("offered", names(view.offered))])
            })),
            ("checks", .array(result.checks.map { check in
                .object([("name", .string(check.name)), ("verdict", .string(check.verdict.rawValue)),
                         ("summary", .string(check.summary)), ("details", .array(check.details.map { .string($0) })),
                         ("finding", .string(check.knownFinding))])
            })),
            ("driver_runs", .array(result.driverRuns.map { run in
                .object([("driver", .string(run.driver.name)), ("steps", .int(run.real.trace.count)),
                         ("probe_failed", .bool(run.real.probeFailure != nil)),
                         ("differences", .array(run.differences.map { difference in
                             .object([("side", .string(difference.side.rawValue)), ("step", .int(difference.step)),
                                      ("line", .string(difference.line))])
                         }))])
            })),
            ("warnings", .array(result.warnings.map { .string($0) })),
            ("agrees", .bool(result.agrees)),
        ])
    }

    private static func json(_ field: QEMUProbeResult.Field) -> JSON {
        .object([
            ("name", .string(field.path)), ("type", .string(field.type)), ("condition", .string(field.condition)),
            ("offset", .int(field.offset)), ("size", .int(field.size)), ("exists", .bool(field.exists)),
            ("valid", .bool(field.isValid)), ("inside", .bool(field.isInside)),
            ("bytes", .string(field.bytes.map(hexBytes))), ("value", .string(field.value?.description)),
            ("packed_offset", .int(field.packedOffset)), ("packed_bytes", .string(field.packedBytes.map(hexBytes))),
            ("packed_value", .string(field.packedValue?.description)),
            ("packed_reads_from", .array(field.packedReadsFrom.map { .string($0) })),
            ("misread_when_packed", .bool(field.isMisreadWhenPacked)),
        ])
    }
}
