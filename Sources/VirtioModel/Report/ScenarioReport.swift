import Rendering
import ConfigLayout

/// `cfgspace simulate`: one scenario's outcome, for people (text, Markdown) and programs (JSON).
public struct ScenarioReport: Report {
    public let outcome: Outcome
    /// Include the full trace.
    public let showsTrace: Bool

    public init(outcome: Outcome, showsTrace: Bool) {
        self.outcome = outcome
        self.showsTrace = showsTrace
    }

    private var device: Device { outcome.netDevice }

    var title: String {
        "\(outcome.driver.rawValue) probing \(outcome.device.rawValue) over \(outcome.bus.rawValue), "
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

    /// Each value the driver ended with beside what the device was given.
    private var valueRows: [[String]] {
        let values = outcome.values
        let configured = { (field: String) in outcome.configuredValue(field)?.description ?? "—" }
        let number = { (field: String) -> UInt64? in
            if case .integer(let value)? = outcome.configuredValue(field) { return value }
            return nil
        }
        let link = number("status").map { OutcomeText.link($0 & 1 != 0) } ?? "—"
        var settings = NetValues.assumed
        settings.settings(speed: number("speed") ?? UInt64.max, duplex: number("duplex") ?? UInt64.max)
        return [
            ["mtu", values.map { "\($0.mtu)" } ?? "—", configured("mtu")],
            ["max queue pairs", values.map { "\($0.maxQueuePairs)" } ?? "—", configured("max_virtqueue_pairs")],
            ["mac", values.map { OutcomeText.mac($0.mac) } ?? "—", configured("mac")],
            ["link", OutcomeText.link(values?.linkUp), link],
            ["speed/duplex", OutcomeText.speed(values), OutcomeText.speed(settings)],
        ]
    }

    private var readRows: [[String]] {
        outcome.reads.map { read in
            [read.stage, read.field, "\(read.offset)", hexBytes(read.bytes),
             read.value.map { "\($0)" + ($0 > 9 ? " (\(hex($0)))" : "") } ?? OutcomeText.mac(read.bytes)]
        }
    }

    // MARK: - Text

    public func text(style: TextStyle) -> String {
        var out = style.bold(title) + "\n" + TextTable.keyValues(facts.map { key, value in
            (key, key == "probe" && outcome.probeFailure != nil ? style.red(value)
                : key == "dropped" ? style.yellow(value) : value)
        })
        var values = TextTable([.init("VALUE"), .init("DRIVER", .right), .init("CONFIGURED", .right)])
        valueRows.forEach { values.add($0) }
        out += "\n" + style.bold("Values") + "\n" + values.rendered(style: style)
        if !outcome.reads.isEmpty {
            var reads = TextTable([.init("STAGE"), .init("FIELD"), .init("OFFSET", .right), .init("BYTES"), .init("VALUE", wraps: true)])
            readRows.forEach { reads.add($0) }
            out += "\n" + style.bold("Config reads") + "\n" + reads.rendered(style: style)
        }
        out += "\n" + style.bold("Violations") + (outcome.violations.isEmpty ? ": none\n" : " (\(outcome.violations.count))\n")
        for violation in outcome.violations {
            let tag = "\(violation.party.rawValue) \(violation.strength.rawValue)"
            out += "  " + (violation.strength == .must ? style.red(tag) : style.yellow(tag))
                + " \(violation.rule.rawValue): \(violation.detail)\n"
                + "    " + style.dim(violation.rule.text) + "\n"
        }
        if showsTrace {
            var trace = TextTable([.init("#", .right), .init("WHO"), .init("EVENT", wraps: true)])
            for (index, entry) in outcome.trace.enumerated() {
                let text = OutcomeText.event(entry.event, of: device)
                let shown: String = switch entry.event {
                case .violation: style.red(text)
                case .note: style.dim(text)
                default: text
                }
                trace.add(["\(index + 1)", entry.party.rawValue, shown])
            }
            out += "\n" + style.bold("Trace") + "\n" + trace.rendered(style: style)
        }
        return out
    }

    // MARK: - Markdown

    public func markdown() -> String {
        var out = "# \(title)\n\n"
        var facts = MarkdownTable([.init("fact"), .init("value")])
        self.facts.forEach { facts.add([$0.0, $0.1]) }
        out += facts.rendered() + "\n## Values\n\n"
        var values = MarkdownTable([.init("value"), .init("driver", .right), .init("configured", .right)])
        valueRows.forEach { values.add($0) }
        out += values.rendered()
        if !outcome.reads.isEmpty {
            var reads = MarkdownTable([.init("stage"), .init("field"), .init("offset", .right), .init("bytes"), .init("value")])
            readRows.forEach { reads.add($0) }
            out += "\n## Config reads\n\n" + reads.rendered()
        }
        out += "\n## Violations\n\n"
        if outcome.violations.isEmpty { out += "None.\n" }
        for violation in outcome.violations {
            out += "- **\(violation.party.rawValue) \(violation.strength.rawValue)** `\(violation.rule.rawValue)`: "
                + "\(violation.detail). \(violation.rule.text)\n"
        }
        if showsTrace {
            var trace = MarkdownTable([.init("#", .right), .init("who"), .init("event")])
            for (index, entry) in outcome.trace.enumerated() {
                trace.add(["\(index + 1)", entry.party.rawValue, OutcomeText.event(entry.event, of: device)])
            }
            out += "\n## Trace\n\n" + trace.rendered()
        }
        return out
    }

    // MARK: - JSON

    /// The contract for programs: names, not prose, wherever a value has a name.
    public func json() -> JSON {
        let names = { (set: FeatureSet) in JSON.array(device.names(of: set).map { .string($0) }) }
        let values: JSON = outcome.values.map { values in
            .object([
                ("mtu", .int(values.mtu)),
                ("max_virtqueue_pairs", .int(values.maxQueuePairs)),
                ("mac", .string(values.mac.map { OutcomeText.mac($0) })),
                ("link_up", .bool(values.linkUp)),
                ("speed", .int(values.speed.map { Int($0) })),
                ("duplex", .int(values.duplex.map { Int($0) })),
            ])
        } ?? .null
        var object: [(key: String, value: JSON)] = [
            ("driver", .string(outcome.driver.rawValue)),
            ("device", .string(outcome.device.rawValue)),
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
            ("values", values),
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
