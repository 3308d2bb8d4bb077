import Rendering
import ConfigLayout

/// `cfgspace conform`: a user's struct, as their compiler measured it, against the spec's layout:
/// the facts, the field table, the differences (each cause with its consequences under it), what
/// cannot be said, the notes, how the struct was read, and the verdict.
public struct ConformReport: DocumentedReport {
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
            + "\(result.deviceName), virtio \(result.specVersion)"
    }

    /// `1.2 without SECURE_ERASE`, `1.4 with every feature`.
    public var fit: String {
        "\(result.specVersion) " + (result.without.isEmpty ? "with every feature of \(result.deviceName)"
                                    : "without " + result.without.joined(separator: ", "))
    }

    private var facts: [(String, String)] {
        var facts = [("size", "\(result.measured.size) bytes; virtio \(result.specVersion)'s whole struct is \(result.fixedSize), "
                      + "QEMU's config for these features \(result.qemuSize)")]
        if result.featuresWereGiven {
            facts.append(("features", result.offered.isEmpty ? "none" : result.offered.joined(separator: ", ")))
        } else {
            facts.append(("features", "none given: judged for the most the struct serves (--features says what the device offers)"))
        }
        if result.specWasChosen { facts.append(("closest", result.featuresWereGiven ? "\(result.specVersion)" : fit)) }
        if let shift = result.firstShift {
            var text = "\(shift.field) is \(abs(shift.by)) bytes \(shift.by > 0 ? "late" : "early")"
            if shift.following > 0 { text += ", and \(shift.following) fields after it by as much" }
            facts.append(("first moved", text))
        }
        return facts
    }

    private func located(_ finding: ConformResult.Finding) -> String {
        (finding.line.map { "\(file):\($0): " } ?? "\(file): ") + "\(finding.kind.rawValue): \(finding.message)"
    }

    /// Each field beside its member, and what differs about it (notes stay out of the table).
    private var tableRows: [[String]] {
        let marked = result.allFindings.filter { $0.severity != .note || $0.kind == .ends }
        return result.rows.map { row in
            let theirs = row.theirs.map { "\($0.offset) +\($0.size) \($0.kind ?? "?")" } ?? "—"
            // A group's finding names its first member's field; its members speak for themselves.
            let kinds = marked.filter { finding in
                finding.field == row.field && !(!finding.consequences.isEmpty && [.byteOrder, .unresolved].contains(finding.kind))
            }.map(\.kind.rawValue)
            let remark = Array(Set(kinds)).sorted().joined(separator: ", ")
            return [row.field, "\(row.offset) +\(row.size) \(row.kind)", row.theirs?.path ?? "—", theirs, remark]
        }
    }

    private static let columns: [ReportDocument.Column] = [.init("Field"), .init("Spec"), .init("Theirs"), .init("At"),
                                                           .init("", wraps: true)]

    public var verdictLine: String {
        switch result.verdict {
        case .conforms:
            let scope = result.featuresWereGiven
                ? (result.offered.isEmpty ? "for a device that offers none of its features"
                   : "for a device that offers " + ShiftAnalysis.list(result.offered))
                : (result.without.isEmpty ? "with every feature" : "for a device without " + ShiftAnalysis.list(result.without))
            return "The struct conforms to virtio \(result.specVersion) \(scope)."
        case .differs:
            let count = result.findings.filter(\.isDifference).count
            return "\(count) difference\(count == 1 ? "" : "s") from virtio \(result.specVersion)."
        case .unknown:
            return "Offsets and sizes agree, but the byte order of some members cannot be read: cfgspace cannot say it conforms."
        }
    }

    public func document() -> ReportDocument {
        var document = ReportDocument()
        document.title("\(title)")
        document.facts(facts.map { ($0.0, .init($0.1)) })
        document.gap()
        var table = ReportDocument.Table(Self.columns)
        for row in tableRows {
            table.add(row.enumerated().map { index, cell in
                .init(cell, tone: index == 4 && cell != "ends" ? .bad : .plain)
            })
        }
        document.table(table)
        document.gap()
        for (heading, severity) in [("Differences", ConformResult.Severity.difference), ("Cannot say", .unknown), ("Notes", .note)] {
            let findings = result.findings.filter { $0.severity == severity }
            guard !findings.isEmpty else { continue }
            document.section(heading)
            for finding in findings { document.item(.init(located(finding)), details: details(of: finding), layout: Self.findingLayout) }
        }
        let notes = result.measured.notes
        if !notes.isEmpty {
            document.section("How it was read")
            for note in notes {
                let text = (note.line.map { "\(file):\($0): " } ?? "") + "\(note.isWarning ? "warning" : note.kind.rawValue): \(note.message)"
                document.item(.init(text, tone: note.isWarning ? .notice : .plain), layout: Self.noteLayout)
            }
        }
        document.gap()
        document.paragraph(.init(verdictLine, tone: result.verdict == .conforms ? .good : .bad), indent: "", continuation: "  ")
        return document
    }

    /// What follows from a finding: its first consequences, or the members whose byte order it names.
    private func details(of finding: ConformResult.Finding) -> [ReportDocument.Inline] {
        if finding.kind == .byteOrder {
            return finding.consequences.isEmpty ? [] : [.init(finding.consequences.map(\.field).joined(separator: ", "))]
        }
        let shown = finding.consequences.prefix(8)
        let more = finding.consequences.count - shown.count
        return shown.map { .init(located($0)) } + (more > 0 ? ["... and \(more) more"] : [])
    }

    /// A cause, its consequences nested under it.
    private static let findingLayout = ReportDocument.ItemLayout(indent: "  ", continuation: "    ", detailIndent: "      ",
                                                                 detailContinuation: "        ", nestsDetails: true)
    private static let noteLayout = ReportDocument.ItemLayout(indent: "  ", continuation: "    ")

    public func json() -> JSON {
        .object([
            ("struct", .string(result.measured.declared.name)), ("file", .string(file)), ("language", .string(language.rawValue)),
            ("device", .string(result.deviceName)), ("spec", .string(result.specVersion.description)),
            ("spec_chosen", .bool(result.specWasChosen)), ("verdict", .string(result.verdict.rawValue)),
            ("agrees", .bool(result.agrees)),
            ("features", .array(result.offered.map { .string($0) })), ("features_given", .bool(result.featuresWereGiven)),
            ("without", .array(result.without.map { .string($0) })),
            ("size", .int(result.measured.size)), ("alignment", .int(result.measured.alignment)),
            ("fixed_size", .int(result.fixedSize)), ("qemu_size", .int(result.qemuSize)),
            ("first_shift", result.firstShift.map { shift in
                .object([("field", .string(shift.field)), ("by", .int(shift.by)), ("following", .int(shift.following)),
                         ("cause", .string(shift.cause))])
            } ?? .null),
            ("fields", .array(result.rows.map(Self.json))),
            ("findings", .array(result.findings.map(Self.json))),
            ("read", .array(result.measured.notes.map { note in
                .object([("kind", .string(note.kind.rawValue)), ("message", .string(note.message)), ("line", .int(note.line)),
                         ("warning", .bool(note.isWarning))])
            })),
        ])
    }

    private static func json(_ row: ConformResult.Row) -> JSON {
        .object([("field", .string(row.field)), ("offset", .int(row.offset)), ("size", .int(row.size)), ("kind", .string(row.kind)),
                 ("required", .bool(row.isRequired)), ("reserved", .bool(row.isReserved)),
                 ("theirs", row.theirs.map { theirs in
                     .object([("member", .string(theirs.path)), ("offset", .int(theirs.offset)), ("size", .int(theirs.size)),
                              ("kind", .string(theirs.kind)), ("line", .int(theirs.line))])
                 } ?? .null)])
    }

    private static func json(_ finding: ConformResult.Finding) -> JSON {
        .object([("kind", .string(finding.kind.rawValue)), ("severity", .string(finding.severity.rawValue)),
                 ("field", .string(finding.field)), ("message", .string(finding.message)), ("line", .int(finding.line)),
                 ("difference", .bool(finding.isDifference)), ("signature", .string(finding.signature)),
                 ("consequences", .array(finding.consequences.map(json)))])
    }
}

/// A struct that could not be measured, as JSON: what was asked, and an error object saying why and
/// what is missing.
public struct ConformFailureReport: Sendable {
    public let file: String
    public let structName: String
    public let failure: ConformProbe.Failure

    public init(file: String, structName: String, failure: ConformProbe.Failure) {
        self.file = file
        self.structName = structName
        self.failure = failure
    }

    public func json() -> JSON {
        let kind: String
        switch failure {
        case .unreadable: kind = "unreadable"
        case .noSuchStruct: kind = "no-such-struct"
        case .ambiguous: kind = "ambiguous"
        case .compiler: kind = "compiler"
        case .host: kind = "host"
        }
        return .object([
            ("struct", .string(structName)), ("file", .string(file)), ("verdict", .string("unmeasurable")), ("agrees", .bool(false)),
            ("error", .object([("kind", .string(kind)), ("message", .string(failure.description)),
                               ("missing", .array(failure.missing.map { .string($0) }))])),
        ])
    }
}
