import Rendering
import ConfigLayout
import VirtioModel

/// `cfgspace probe qemu`: what QEMU served and how it measures against cfgspace, for people (text,
/// Markdown) and programs (JSON).
public struct QEMUProbeReport: DocumentedReport {
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
            ("device", result.target.location + (result.target.isTransitional ? ", transitional" : "")),
            ("machine", machineText),
            ("read via", result.target.transport),
            ("layout", "\(result.target.layoutPath): \(device.name) (ID \(device.id))"),
            ("offered", device.list(result.offered)),
        ]
        for bit in result.negotiation.unknownBits {
            facts.append(("unknown bit", "\(bit)" + (QEMUFindings.explainUnknownBit(bit, legacy: !result.target.isModern).map { ": " + $0 } ?? "")))
        }
        facts.append(("FEATURES_OK", result.negotiation.featuresAccepted.map { $0 ? "kept for the offered set" : "refused" }
                      ?? "none on the legacy interface"))
        facts.append(("config", lengthText + "; cfgspace predicts \(result.predictedLength)"))
        return facts
    }

    /// The machine type and the compat properties it applied to the device.
    private var machineText: String {
        let properties = result.qemu.properties
        guard properties.machineIsKnown else {
            return "\(result.qemu.type): not in cfgspace's table of QEMU 7.2's compat properties; none applied"
        }
        let applied = properties.settings.filter { if case .machine = $0.source { true } else { false } }
        guard !applied.isEmpty else { return result.qemu.type }
        return result.qemu.type + "; compat properties: " + applied.map {
            "\($0.type).\($0.name)=\($0.value) (\(Self.array(of: $0.source)))"
        }.joined(separator: ", ")
    }

    private static func array(of source: QEMUDeviceProperties.Source) -> String {
        if case .machine(_, let array) = source { array } else { source.description }
    }

    /// A check's cause, as its kind and words.
    static func causeText(_ cause: ProbeCheck.Cause) -> String {
        cause.kind == .finding ? cause.text : "\(cause.kind.rawValue): \(cause.text)"
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

    private static let fieldColumns: [ReportDocument.Column] = [
        .init("Field"), .init("Offset", .right), .init("Bytes", wraps: true), .init("Value", wraps: true),
        .init("Note", wraps: true), .init("Packed reading", wraps: true, movesBelow: true),
    ]

    private static func mark(_ verdict: ProbeCheck.Verdict) -> ReportDocument.Inline {
        switch verdict {
        case .agrees: .init("ok", tone: .good)
        case .departs: .init("DEPARTS", tone: .bad)
        case .undecided: .init("undecided", tone: .notice)
        }
    }

    public func document() -> ReportDocument {
        var document = ReportDocument()
        document.title("QEMU \(result.qemu.qemuVersion): " + .code(result.qemu.requested.description))
        document.facts(facts.map { ($0.0, .init($0.1)) })
        document.gap()
        document.facts(byteLines.enumerated().map { ($0.offset == 0 ? "bytes" : "", .init($0.element)) })
        document.gap()

        document.section("Fields, at their fixed offsets and as a packed reading over the offered features")
        var fields = ReportDocument.Table(Self.fieldColumns)
        fieldRows.forEach { row in fields.add(row.enumerated().map { $0 == 0 ? .code($1) : .init($1) }) }
        document.table(fields)
        document.gap()

        if !result.selections.isEmpty {
            document.section("Selections (select, subsel → size and contents)")
            var selections = ReportDocument.Table([.init("Select"), .init("Subsel", .right), .init("Size", .right),
                                                   .init("Contents", wraps: true)])
            for selection in result.selections {
                let contents = selection.member == "string" ? Self.value(.bytes(selection.bytes), type: "char")
                    : hexBytes(Array(selection.bytes.prefix(24))) + (selection.bytes.count > 24 ? " …" : "")
                selections.add(["\(selection.name) (\(selection.select))", .init(selection.subselect.map(String.init) ?? ""),
                                "\(selection.size)", .init(contents)])
            }
            document.table(selections)
            document.gap()
        }

        document.section("Verdict")
        let verdictLayout = ReportDocument.ItemLayout(indent: "  ", continuation: "      ", detailIndent: "        ",
                                                      detailContinuation: "          ", nestsDetails: true)
        for check in result.checks {
            let details = (check.verdict != .agrees ? check.details : []) + (check.cause.map { [Self.causeText($0)] } ?? [])
            document.item(Self.mark(check.verdict) + "  \(check.name): \(check.summary)", details: details.map { .init($0) },
                          layout: verdictLayout)
        }
        for run in result.driverRuns {
            document.gap()
            document.append(contentsOf: driverRun(run))
        }
        if !result.changeRuns.isEmpty {
            document.gap()
            document.append(contentsOf: changeRuns())
        }
        if !result.qemu.warnings.isEmpty {
            document.gap()
            document.section("QEMU said")
            document.verbatim(result.qemu.warnings.map { line in
                line.hasPrefix("qemu-system-x86_64: ") ? String(line.dropFirst("qemu-system-x86_64: ".count)) : line
            })
        }
        return document
    }

    private func driverRun(_ run: QEMUProbeResult.DriverRun) -> ReportDocument {
        var document = ReportDocument()
        document.section("\(run.driver.name) against the device, beside the qemu model")
        let outcome = run.real
        document.facts([
            ("negotiated", .init(device.list(outcome.negotiated))),
            ("probe", .init(outcome.probeFailure.map { "FAILED: \($0)" } ?? "succeeded")),
            ("violations", "\(outcome.violations.count)"),
            ("trace", .init(Self.traceSummary(steps: outcome.trace.count, differences: run.differences))),
        ] + (outcome.realDeviceFailure.map { [("device", .init("stopped answering: \($0)"))] } ?? []))
        document.append(contentsOf: trace(outcome.trace, differences: run.differences, indent: "  "))
        return document
    }

    private static func traceSummary(steps: Int, differences: [TraceDifference]) -> String {
        differences.isEmpty ? "the same \(steps) steps as on the qemu model"
            : "\(differences.count) lines differ from the run on the qemu model"
    }

    /// The real run's trace when asked for, then where it parts from the model's.
    private func trace(_ trace: [TraceEntry], differences: [TraceDifference], indent: String) -> ReportDocument {
        var document = ReportDocument()
        if showsTrace {
            document.verbatim(trace.enumerated().map { index, entry in
                String(format: "%3d  ", index + 1) + TraceDiff.line(entry, device: device)
            }, indent: indent)
        }
        for difference in differences {
            let side: ReportDocument.Inline = difference.side == .real ? .init("- QEMU ", tone: .bad) : .init("+ model", tone: .good)
            document.line(side + " #\(difference.step)  " + .code(difference.line), indent: indent)
        }
        return document
    }

    /// What the probe's own driver saw of config_generation while the config changed.
    private func changeRuns() -> ReportDocument {
        var document = ReportDocument()
        document.section("basic against the device: config changes, beside the qemu model")
        for run in result.changeRuns {
            let value = { (value: FieldValue?) in value?.description ?? "?" }
            document.line("\(run.name): \(run.change)")
            let facts: [(String, String)] = [
                (run.field, "\(value(run.valueBefore)) → \(value(run.valueAfter))"),
                ("generation", "\(run.generationBefore) → \(run.generationAfter)"
                    + (run.followsQEMU ? ", as QEMU's rule says" : ", NOT as QEMU's rule says")
                    + (run.expectsMove ? " (virtio_notify_config after DRIVER_OK)"
                        : run.afterDriverOK ? " (no virtio_notify_config)" : " (virtio_notify_config waits for DRIVER_OK)")),
                ("trace", Self.traceSummary(steps: run.real.count, differences: run.differences)),
                ("spec reading", run.specDifferences.isEmpty ? "the same steps on a device that moves it with every change"
                    : "a device that moves it with every change differs in \(run.specDifferences.count) lines, first at "
                        + (run.specDifferences.first.map { "step \($0.step): \($0.line.split(separator: " ").joined(separator: " "))" } ?? "")),
            ]
            document.facts(facts.map { ($0.0, .init($0.1)) }, indent: "    ")
            if let finding = QEMUFindings.explainGeneration(run) {
                document.paragraph(.init(finding), indent: "    ", continuation: "      ")
            }
            document.append(contentsOf: trace(run.real, differences: run.differences, indent: "    "))
        }
        return document
    }

    public func json() -> JSON {
        let names = { (set: FeatureSet) in JSON.array(device.names(of: set).map { .string($0) }) }
        var length: [(key: String, value: JSON)] = [("bytes", .int(result.length.value))]
        switch result.length {
        case .exact: length.append(("exact", .bool(true)))
        case .atLeast(_, let reason): length += [("exact", .bool(false)), ("reason", .string(reason))]
        }
        let properties = JSON.array(result.qemu.properties.settings.map { setting in
            .object([("type", .string(setting.type)), ("name", .string(setting.name)), ("value", .string(setting.value)),
                     ("source", .string(setting.source.description))])
        })
        let changeRuns = JSON.array(result.changeRuns.map(Self.json))
        return .object([
            ("qemu", .string(result.qemu.qemuVersion)),
            ("device", .string(result.qemu.requested.description)),
            ("started", .string(result.qemu.started.description)),
            ("machine", .string(result.qemu.type)),
            ("machine_known", .bool(result.qemu.properties.machineIsKnown)),
            ("properties", properties),
            ("location", .string(result.target.location)),
            ("transitional", .bool(result.target.isTransitional)),
            ("transport", .string(result.target.transport)),
            ("layout", .string(result.target.layoutPath)),
            ("layout_device", .string(device.name)),
            ("offered", names(result.offered)),
            ("unknown_bits", .array(result.negotiation.unknownBits.map { .int($0) })),
            ("features_ok", result.negotiation.featuresAccepted.map { .bool($0) } ?? .null),
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
                         ("finding", .string(check.knownFinding)),
                         ("cause", check.cause.map { .object([("kind", .string($0.kind.rawValue)), ("text", .string($0.text))]) } ?? .null)])
            })),
            ("driver_runs", .array(result.driverRuns.map { run in
                .object([("driver", .string(run.driver.name)), ("steps", .int(run.real.trace.count)),
                         ("probe_failed", .bool(run.real.probeFailure != nil)),
                         ("differences", .array(run.differences.map { difference in
                             .object([("side", .string(difference.side.rawValue)), ("step", .int(difference.step)),
                                      ("line", .string(difference.line))])
                         }))])
            })),
            ("change_runs", changeRuns),
            ("warnings", .array(result.qemu.warnings.map { .string($0) })),
            ("agrees", .bool(result.agrees)),
        ])
    }

    private static func json(_ run: QEMUProbeResult.ChangeRun) -> JSON {
        let differences = JSON.array(run.differences.map { .string("\($0.side.rawValue) #\($0.step) \($0.line)") })
        return .object([
            ("name", .string(run.name)), ("change", .string(run.change)), ("field", .string(run.field)),
            ("value_before", .string(run.valueBefore?.description)), ("value_after", .string(run.valueAfter?.description)),
            ("generation_before", .int(Int(run.generationBefore))), ("generation_after", .int(Int(run.generationAfter))),
            ("follows_qemu", .bool(run.followsQEMU)), ("steps", .int(run.real.count)), ("differences", differences),
            ("spec_differences", .int(run.specDifferences.count)),
        ])
    }

    private static func json(_ field: ObservedField) -> JSON {
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
