import Rendering
import ConfigLayout

/// `cfgspace simulate`: one scenario's outcome, for people (text, Markdown) and programs (JSON).
public struct ScenarioReport: DocumentedReport {
    public let outcome: Outcome
    /// Include the full trace.
    public let showsTrace: Bool

    public init(outcome: Outcome, showsTrace: Bool) {
        self.outcome = outcome
        self.showsTrace = showsTrace
    }

    private var device: Device { outcome.deviceType }

    var title: String {
        "\(outcome.driver.name) probing \(outcome.device.name) over \(outcome.bus.rawValue), "
            + OutcomeText.host(outcome.hostIsLittleEndian)
    }

    /// Key facts, in the order a reader asks for them.
    private var facts: [(String, String)] {
        var facts: [(String, String)] = [
            ("driver", outcome.driver.summary),
            ("device", outcome.device.summary),
            ("bus", outcome.bus.summary),
            ("offered", device.list(outcome.offered)),
            ("negotiated", device.list(outcome.negotiated)),
        ]
        if outcome.deviceHolds != outcome.negotiated {
            facts.append(("device holds", device.list(outcome.deviceHolds)))
        }
        if !outcome.unsupported.isEmpty { facts.append(("not known", device.list(outcome.unsupported))) }
        for dropped in outcome.dropped { facts.append(("dropped", "\(dropped.feature): \(dropped.reason)")) }
        facts.append(("probe", outcome.probeFailure.map { "FAILED: \($0)" } ?? "succeeded"))
        facts.append(("status", "\(outcome.finalStatus)"))
        facts.append(("config", "\(outcome.configSize) bytes; past the end: \(outcome.pastEnd.rawValue)"))
        return facts
    }

    /// Each value the driver ended with beside what the device was given for the fields it follows
    /// from (`mtu`, or `speed=10000, duplex=1` for several).
    private var valueRows: [[String]] {
        outcome.view.entries.map { entry in
            let configured = entry.fields.map { field in
                (field, outcome.configuredValue(field).map { value in
                    if case .bytes(let bytes) = value { return Self.bytesText(bytes) }
                    return value.description
                } ?? "—")
            }
            let text = configured.isEmpty ? "—" : configured.count == 1 ? configured[0].1
                : configured.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
            return [entry.name, entry.value.description, text]
        }
    }

    private var readRows: [[String]] {
        outcome.reads.map { read in
            [read.stage, read.field, "\(read.offset)", hexBytes(read.bytes),
             read.value.map { "\($0)" + ($0 > 9 ? " (\(hex($0)))" : "") } ?? Self.bytesText(read.bytes)]
        }
    }

    /// A byte array as read: text when it is printable, else colon-separated bytes, or only their
    /// count when they are too many for a line (the bytes column has them all).
    static func bytesText(_ bytes: [UInt8]) -> String {
        let text = bytes.prefix { $0 != 0 }
        if text.count >= 2, text.allSatisfy({ (0x20..<0x7f).contains($0) }) { return "\"" + String(decoding: text, as: UTF8.self) + "\"" }
        return bytes.count > 8 ? "\(bytes.count) bytes" : OutcomeText.mac(bytes)
    }

    // MARK: - Document

    public func document() -> ReportDocument {
        var document = ReportDocument()
        document.title("\(title)")
        document.facts(facts.map { key, value in
            (key, .init(value, tone: key == "probe" && outcome.probeFailure != nil ? .bad : key == "dropped" ? .notice : .plain))
        })
        document.gap()
        document.section("Values")
        var values = ReportDocument.Table([.init("value"), .init("driver", .right, wraps: true),
                                           .init("configured", .right, wraps: true)])
        valueRows.forEach { values.add($0.map { .init($0) }) }
        document.table(values)
        if !outcome.view.log.isEmpty {
            document.gap()
            document.section("Kernel log")
            document.verbatim(outcome.view.log, indent: "  ", continuation: "    ")
        }
        if !outcome.reads.isEmpty {
            document.gap()
            document.section("Config reads")
            var reads = ReportDocument.Table([.init("stage"), .init("field"), .init("offset", .right),
                                              .init("bytes", wraps: true), .init("value", wraps: true)])
            readRows.forEach { reads.add($0.map { .init($0) }) }
            document.table(reads)
        }
        document.gap()
        document.section("Violations" + (outcome.violations.isEmpty ? ": none" : " (\(outcome.violations.count))"))
        for violation in outcome.violations {
            let tag = ReportDocument.Inline("\(violation.party.rawValue) \(violation.strength.rawValue)",
                                            tone: violation.strength == .must ? .bad : .notice)
            document.item(tag + " " + .code(violation.rule.rawValue) + ": \(violation.detail)",
                          details: [.init(violation.rule.text, tone: .quiet)], layout: Self.violationLayout)
        }
        if showsTrace {
            document.gap()
            document.section("Trace")
            var trace = ReportDocument.Table([.init("#", .right), .init("who"), .init("event", wraps: true)])
            for (index, entry) in outcome.trace.enumerated() {
                let text = OutcomeText.event(entry.event, of: device)
                let tone: ReportDocument.Tone = switch entry.event {
                case .violation: .bad
                case .note: .quiet
                default: .plain
                }
                trace.add(["\(index + 1)", .init(entry.party.rawValue), .init(text, tone: tone)])
            }
            document.table(trace)
        }
        return document
    }

    /// A violation's detail under its tag, the spec's words for the rule under both.
    private static let violationLayout = ReportDocument.ItemLayout(indent: "  ", continuation: "      ",
                                                                   detailIndent: "    ", detailContinuation: "    ")

    // MARK: - JSON

    /// The contract for programs: names, not prose, wherever a value has a name.
    public func json() -> JSON {
        let names = { (set: FeatureSet) in JSON.array(device.names(of: set).map { .string($0) }) }
        var object: [(key: String, value: JSON)] = [
            ("layout", .string(device.name)),
            ("driver", .string(outcome.driver.name)),
            ("device", .string(outcome.device.name)),
            ("bus", .string(outcome.bus.rawValue)),
            ("host_endian", .string(outcome.hostIsLittleEndian ? "little" : "big")),
            ("offered", names(outcome.offered)),
            ("negotiated", names(outcome.negotiated)),
            ("device_holds", names(outcome.deviceHolds)),
            ("not_known", names(outcome.unsupported)),
            ("dropped", .array(outcome.dropped.map { .object([("feature", .string($0.feature)), ("reason", .string($0.reason))]) })),
            ("probe_failed", .bool(outcome.probeFailure != nil)),
            ("probe_failure", .string(outcome.probeFailure)),
            ("status", .string("\(outcome.finalStatus)")),
            ("values", outcome.probeFailure == nil || !outcome.view.entries.isEmpty ? OutcomeText.json(outcome.view) : .null),
            ("log", .array(outcome.view.log.map { .string($0) })),
            ("configured", .object(outcome.configured.map { ($0.field, Self.json($0.value)) })),
            ("config_size", .int(outcome.configSize)),
            ("past_end", .string(outcome.pastEnd.rawValue)),
            ("reads", .array(outcome.reads.map { read in
                .object([("stage", .string(read.stage)), ("field", .string(read.field)), ("offset", .int(read.offset)),
                         ("bytes", .string(hexBytes(read.bytes))), ("value", .int(read.value.map { Int(truncatingIfNeeded: $0) }))])
            })),
            ("violations", .array(outcome.violations.map { violation in
                .object([("party", .string(violation.party.rawValue)), ("rule", .string(violation.rule.rawValue)),
                         ("strength", .string(violation.strength.rawValue)), ("detail", .string(violation.detail)),
                         ("spec", .string(violation.rule.text))])
            })),
        ]
        if showsTrace {
            object.append(("trace", .array(outcome.trace.map { Self.json($0, of: device) })))
        }
        return .object(object)
    }

    static func json(_ value: FieldValue) -> JSON {
        switch value {
        case .integer(let number): number <= UInt64(Int.max) ? .int(Int(number)) : .string(String(number))
        case .bytes: .string(value.description)
        case .integers(let numbers): .array(numbers.map { .int(Int(truncatingIfNeeded: $0)) })
        }
    }

    /// A trace entry with its facts as fields, and the sentence people read.
    static func json(_ entry: TraceEntry, of device: Device) -> JSON {
        var fields: [(key: String, value: JSON)] = [("party", .string(entry.party.rawValue))]
        switch entry.event {
        case .reset: fields.append(("event", .string("reset")))
        case .statusWrite(let status):
            fields += [("event", .string("status_write")), ("value", .int(Int(status.rawValue)))]
        case .statusRead(let status):
            fields += [("event", .string("status_read")), ("value", .int(Int(status.rawValue)))]
        case .deviceFeaturesRead(let select, let value):
            fields += [("event", .string("device_features_read")), ("select", .int(select)), ("value", .int(Int(value)))]
        case .driverFeaturesWrite(let select, let value):
            fields += [("event", .string("driver_features_write")), ("select", .int(select)), ("value", .int(Int(value)))]
        case .deviceFeatures(let set):
            fields += [("event", .string("get_device_features")), ("features", .array(device.names(of: set).map { .string($0) }))]
        case .setFeatures(let set, let result):
            fields += [("event", .string("set_driver_features")), ("features", .array(device.names(of: set).map { .string($0) })),
                       ("result", .int(Int(result)))]
        case .configRead(let offset, let width, let bytes, let field, let outcome):
            fields += [("event", .string("config_read")), ("field", .string(field)), ("offset", .int(offset)),
                       ("width", .int(width)), ("bytes", .string(hexBytes(bytes))), ("outcome", .string(outcome.rawValue))]
        case .configWrite(let offset, let bytes, let field):
            fields += [("event", .string("config_write")), ("field", .string(field)), ("offset", .int(offset)),
                       ("bytes", .string(hexBytes(bytes)))]
        case .generationRead(let value):
            fields += [("event", .string("generation_read")), ("value", .int(Int(value)))]
        case .note: fields.append(("event", .string("note")))
        case .violation(let violation):
            fields += [("event", .string("violation")), ("rule", .string(violation.rule.rawValue))]
        }
        fields.append(("text", .string(OutcomeText.event(entry.event, of: device))))
        return .object(fields)
    }
}
