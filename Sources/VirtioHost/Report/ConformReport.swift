import Rendering
import ConfigLayout

/// `cfgspace conform`: a user's struct, as their compiler measured it, against the spec's layout.
public struct ConformReport: Report {
    public let result: ConformResult
    public let file: String
    public let language: ConformProbe.Language

    public init(result: ConformResult, file: String, language: ConformProbe.Language) {
        self.result = result
        self.file = file
        self.language = language
    }

    private var title: String {
        "\(result.measured.declared.name) (\(file), compiled by \(language == .c ? "gcc" : "rustc")) against "
            + "\(result.deviceName) (virtio \(result.specVersion))"
    }

    private var facts: [(String, String)] {
        var facts = [("size", "\(result.measured.size) bytes; the spec's whole struct is \(result.fixedSize), "
                      + "QEMU's largest config \(result.qemuLargest)")]
        if let shift = result.firstShift {
            var text = "\(shift.field) is \(abs(shift.by)) bytes \(shift.by > 0 ? "late" : "early")"
            if shift.following > 0 { text += ", and \(shift.following) fields after it by as much" }
            if let cause = shift.cause { text += ": \(cause)" }
            facts.append(("first moved", text))
        }
        return facts
    }

    private func located(_ finding: ConformResult.Finding) -> String {
        (finding.line.map { "\(file):\($0): " } ?? "\(file): ") + "\(finding.kind.rawValue): \(finding.message)"
    }

    private var tableRows: [[String]] {
        result.rows.map { row in
            let theirs = row.theirs.map { "\($0.offset) +\($0.size) \($0.kind ?? "?")" } ?? "—"
            let findings = result.findings.filter { $0.field == row.field }.map(\.kind.rawValue)
            return [row.field, "\(row.offset) +\(row.size) \(row.kind)", row.theirs?.path ?? "—", theirs,
                    findings.isEmpty ? "" : findings.joined(separator: ", ")]
        }
    }

    private static let columns: [TextTable.Column] = [.init("FIELD"), .init("SPEC"), .init("THEIRS"), .init("AT"), .init("", wraps: true)]

    public func text(style: TextStyle) -> String {
        var out = style.bold(title) + "\n" + TextTable.keyValues(facts) + "\n"
        var table = TextTable(Self.columns)
        for row in tableRows { table.add(row.enumerated().map { $0.offset == 4 && !$0.element.isEmpty ? style.red($0.element) : $0.element }) }
        out += table.rendered(style: style) + "\n"
        let differences = result.findings.filter(\.isDifference)
        let notes = result.findings.filter { !$0.isDifference }
        if !differences.isEmpty {
            out += style.bold("Differences") + "\n" + differences.map { "  " + located($0) + "\n" }.joined()
        }
        if !notes.isEmpty {
            out += style.bold("Notes") + "\n" + notes.map { "  " + located($0) + "\n" }.joined()
            out += "  (--map theirs=ours says which member is which field)\n"
        }
        out += "\n" + (result.agrees ? style.green("The struct conforms: every field at the spec's offset, size and byte order.")
                       : style.red("\(differences.count) difference\(differences.count == 1 ? "" : "s") from the spec.")) + "\n"
        return out
    }

    public func markdown() -> String {
        var out = "## \(title)\n\n" + facts.map { "- **\($0.0)**: \($0.1)" }.joined(separator: "\n") + "\n\n"
        var table = MarkdownTable(Self.columns)
        tableRows.forEach { table.add($0) }
        out += table.rendered()
        if !result.findings.isEmpty { out += "\n" + result.findings.map { "- " + located($0) }.joined(separator: "\n") + "\n" }
        return out
    }

    public func json() -> JSON {
        .object([
            ("struct", .string(result.measured.declared.name)), ("file", .string(file)), ("language", .string(language.rawValue)),
            ("device", .string(result.deviceName)), ("spec", .string(result.specVersion)),
            ("size", .int(result.measured.size)), ("fixed_size", .int(result.fixedSize)), ("qemu_largest", .int(result.qemuLargest)),
            ("agrees", .bool(result.agrees)),
            ("first_shift", result.firstShift.map { shift in
                .object([("field", .string(shift.field)), ("by", .int(shift.by)), ("following", .int(shift.following)),
                         ("cause", shift.cause.map { .string($0) } ?? .null)])
            } ?? .null),
            ("fields", .array(result.rows.map { row in
                .object([("field", .string(row.field)), ("offset", .int(row.offset)), ("size", .int(row.size)), ("kind", .string(row.kind)),
                         ("theirs", row.theirs.map { theirs in
                             .object([("member", .string(theirs.path)), ("offset", .int(theirs.offset)), ("size", .int(theirs.size)),
                                      ("kind", theirs.kind.map { .string($0) } ?? .null), ("line", .int(theirs.line))])
                         } ?? .null)])
            })),
            ("findings", .array(result.findings.map { finding in
                .object([("kind", .string(finding.kind.rawValue)), ("field", .string(finding.field)), ("message", .string(finding.message)),
                         ("line", finding.line.map { .int($0) } ?? .null), ("difference", .bool(finding.isDifference))])
            })),
        ])
    }
}
