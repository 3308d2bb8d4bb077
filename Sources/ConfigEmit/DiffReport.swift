import ConfigLayout
import Rendering

/// `cfgspace diff` over the whole feature space: which fields move, when, by how much, with an
/// example each; when the sizes differ; and which placements break natural alignment.
public struct DiffReport: DocumentedReport {
    public let diff: InterpretationDiff

    public init(diff: InterpretationDiff) {
        self.diff = diff
    }

    private var device: Device { diff.device }

    private func example(_ example: InterpretationDiff.Example?) -> String {
        guard let example else { return "" }
        return "\(Format.features(example.features, of: device)): \(example.from) → \(example.to)"
    }

    private var spaceDescription: String {
        var text = "\(diff.space.features.count) feature\(diff.space.features.count == 1 ? "" : "s") in field conditions"
        if !diff.space.features.isEmpty { text += " (" + diff.space.features.joined(separator: ", ") + ")" }
        return text
    }

    private var validDescription: String {
        let total = Format.count(diff.validSetCount)
        guard diff.space.honorsRequires else { return "\(total) feature sets (requires ignored)" }
        var text = "\(total) valid feature sets (every requires honoured"
        if !diff.space.supporting.isEmpty {
            text += "; \(diff.space.supporting.joined(separator: ", ")) completes the examples"
        }
        return text + ")"
    }

    private var moving: [InterpretationDiff.FieldChange] { diff.fields.filter(\.moves) }

    // MARK: - Document

    public func document() -> ReportDocument {
        let from = diff.from.rawValue
        let to = diff.to.rawValue
        var document = ReportDocument()
        document.title("\(Format.title(of: device)): \(from) vs \(to)")
        document.facts([("over", "\(spaceDescription)"), ("counting", "\(validDescription)"),
                        ("sizing", "\(diff.sizing.rawValue)")])
        document.gap()

        var table = ReportDocument.Table([.init("Field"), .init(from.capitalized, .right), .init(to.capitalized, .right),
                                          .init("Moves when", movesBelow: true), .init("Sets", .right), .init("By", .right),
                                          .init("Example", wraps: true)])
        for change in diff.fields {
            let exact = change.rangesAreExact
            let row: [ReportDocument.Inline] = [.code(change.path), "\(offsets(change.fromOffsets, change.from.offset, exact: exact))",
                                                "\(offsets(change.toOffsets, change.to.offset, exact: exact))"]
            if change.moves {
                table.add(row.map { $0.toned(.notice) } + [.code(Self.written(change.movesWhen)), "\(Format.count(change.movedSetCount))",
                                                           "\(bounded(change.shift, exact: exact))", "\(example(change.example))"])
            } else {
                table.add(row + [ReportDocument.Inline("never", tone: .quiet), "", "", ""])
            }
        }
        let size = diff.size
        let sizeCells: [ReportDocument.Inline] = ["(size)", "\(bounded(size.fromRange, exact: size.fromRangeIsExact))",
                                                  "\(bounded(size.toRange, exact: size.toRangeIsExact))"]
        if size.differs {
            table.add(sizeCells.map { $0.toned(.notice) } + [.code(Self.written(size.differsWhen)),
                                                             "\(Format.count(size.differingSetCount))", "", "\(example(size.example))"])
        } else {
            table.add(sizeCells + [ReportDocument.Inline("never", tone: .quiet), "", "", ""])
        }
        document.table(table)
        if !diff.rangesAreExact { document.paragraph("\(Self.boundsNote)") }

        let symbolic = moving.filter { $0.from.offset != $0.to.offset }
        if !symbolic.isEmpty || size.from != size.to {
            document.gap()
            document.section("Offsets and sizes as functions of the features")
            var offsets = ReportDocument.Table([.init("Field"), .init(from.capitalized, wraps: true),
                                                .init(to.capitalized, wraps: true)])
            for change in symbolic {
                offsets.add([.code(change.path), .code(Self.abridged(change.from.offset)), .code(Self.abridged(change.to.offset))])
            }
            document.table(offsets)
            document.facts([("(size, \(from))", .code(Self.abridged(size.from))), ("(size, \(to))", .code(Self.abridged(size.to)))])
        }

        document.gap()
        document.section("Alignment hazards")
        if diff.hazards.isEmpty && diff.undecidedAlignment.isEmpty {
            document.paragraph("none: every placement keeps natural alignment.")
        }
        for hazard in diff.hazards {
            var line = " (\(hazard.field.type.name)) in \(hazard.interpretation.rawValue): "
            if hazard.setCount.isNaN {
                line += "off its \(hazard.alignment)-byte alignment in some sets (too many to count exactly)"
            } else {
                line += "off its \(hazard.alignment)-byte alignment in \(Format.count(hazard.setCount)) of "
                line += "\(Format.count(diff.validSetCount)) sets"
            }
            if let example = hazard.example {
                line += ", e.g. \(Format.features(example.features, of: device)) puts it at \(example.from)"
            }
            document.item(.code(hazard.path, tone: .bad) + "\(line)", details: ["when \(Self.describe(hazard))"])
        }
        if !diff.undecidedAlignment.isEmpty {
            let undecided = diff.undecidedAlignment.map { "\($0.path) in \($0.interpretation.rawValue)" }
            document.paragraph(.init("not decided (too large to answer exactly, and no misaligned example found): "
                                     + undecided.joined(separator: ", ")), continuation: "    ")
        }
        if !diff.hazards.isEmpty {
            document.paragraph("PCI and MMIO drivers must read 16-, 32- and 64-bit fields with aligned accesses.")
        }
        return document
    }

    /// The hazard's exact condition when it is short; otherwise what it means, since parity over
    /// several features has no short boolean form.
    static func describe(_ hazard: InterpretationDiff.AlignmentHazard) -> String {
        if let when = hazard.when, when.literalCount <= 6 { return when.description }
        return "it is present and its offset, \(abridged(hazard.offset)), is not a multiple of \(hazard.alignment)"
    }

    /// A symbolic value for a terminal: whole if it fits a few lines, else its start and its size.
    /// JSON always has it whole.
    static func abridged(_ value: SymbolicValue) -> String {
        let text = value.description
        guard text.count > 400 else { return text }
        return String(text.prefix(200)) + "… (\(value.termCount) terms; --format json has it whole)"
    }

    /// A condition, or a note that it has no short form (the counts and example still hold).
    static func written(_ condition: Condition?) -> String {
        condition?.description ?? "(no short form; see the example)"
    }

    static let boundsNote = "~ marks a bound: the layout is too large for exact ranges, and the true range lies "
        + "within. Conditions, counts and examples are exact."

    /// `10` when constant, `6..10` when it varies; `6..10~` when the range is only a bound.
    private func offsets(_ range: ClosedRange<Int>?, _ symbolic: SymbolicValue, exact: Bool) -> String {
        range.map { bounded($0, exact: exact) } ?? symbolic.description
    }

    /// A range, marked `~` when the diff could only bound it (a constant is always exact).
    private func bounded(_ range: ClosedRange<Int>?, exact: Bool) -> String {
        guard let range else { return "" }
        return Format.range(range) + (exact || range.lowerBound == range.upperBound ? "" : "~")
    }

    // MARK: - JSON

    public func json() -> JSON {
        func example(_ example: InterpretationDiff.Example?) -> JSON {
            guard let example else { return .null }
            return .object([("features", .array(device.names(of: example.features).map { .string($0) })),
                            ("from", .int(example.from)), ("to", .int(example.to))])
        }
        func range(_ range: ClosedRange<Int>?) -> JSON {
            guard let range else { return .null }
            return .object([("min", .int(range.lowerBound)), ("max", .int(range.upperBound))])
        }
        func placement(_ field: SymbolicField, _ offsets: ClosedRange<Int>?) -> JSON {
            .object([("offset", .string(field.offset.description)), ("range", range(offsets)),
                     ("placed_when", .string(field.placed.description))])
        }
        return .object([
            ("device", .string(device.name)),
            ("from", .string(diff.from.rawValue)),
            ("to", .string(diff.to.rawValue)),
            ("sizing", .string(diff.sizing.rawValue)),
            ("feature_space", .array(diff.space.features.map { .string($0) })),
            ("supporting_features", .array(diff.space.supporting.map { .string($0) })),
            ("honours_requires", .bool(diff.space.honorsRequires)),
            ("valid_sets", .count(diff.validSetCount)),
            ("ranges_exact", .bool(diff.rangesAreExact)),
            ("undecided_alignment", .array(diff.undecidedAlignment.map { entry in
                .object([("field", .string(entry.path)), ("interpretation", .string(entry.interpretation.rawValue))])
            })),
            ("fields", .array(diff.fields.map { change in
                .object([
                    ("name", .string(change.path)),
                    ("moves", .bool(change.moves)),
                    ("moves_when", .string(change.movesWhen?.description)),
                    ("moves_when_tree", change.movesWhen.map(Format.tree) ?? .null),
                    ("moved_sets", .count(change.movedSetCount)),
                    ("shift", range(change.shift)),
                    ("from", placement(change.from, change.fromOffsets)),
                    ("to", placement(change.to, change.toOffsets)),
                    ("example", example(change.example)),
                ])
            })),
            ("size", .object([
                ("from", .string(diff.size.from.description)),
                ("to", .string(diff.size.to.description)),
                ("from_range", range(diff.size.fromRange)),
                ("to_range", range(diff.size.toRange)),
                ("differs", .bool(diff.size.differs)),
                ("differs_when", .string(diff.size.differsWhen?.description)),
                ("differing_sets", .count(diff.size.differingSetCount)),
                ("example", example(diff.size.example)),
            ])),
            ("alignment_hazards", .array(diff.hazards.map { hazard in
                .object([
                    ("name", .string(hazard.path)),
                    ("interpretation", .string(hazard.interpretation.rawValue)),
                    ("type", .string(hazard.field.type.name)),
                    ("alignment", .int(hazard.alignment)),
                    ("offset", .string(hazard.offset.description)),
                    ("when", .string(hazard.when?.description)),
                    ("sets", hazard.setCount.isNaN ? .null : .count(hazard.setCount)),
                    ("example", example(hazard.example)),
                ])
            })),
        ])
    }

    // MARK: - Markdown

    /// The report without its heading, for pages that give their own.
    public func markdownBody() -> String {
        document().body.markdown()
    }
}

extension String {
    var capitalized: String { prefix(1).uppercased() + dropFirst() }
}
