import ConfigLayout
import Rendering

/// `cfgspace table`: a layout under one feature set, for people (text, Markdown) and programs (JSON).
public struct TableReport: DocumentedReport {
    public let layout: Layout

    public init(layout: Layout) {
        self.layout = layout
    }

    // MARK: - JSON

    /// The stable contract other tools read:
    ///
    ///     {"device": "net", "interpretation": "packed", "sizing": "full", "features": ["MTU", "STATUS"],
    ///      "size": 10, "fields": [{"name": "mac", "offset": 0, "size": 6, "present": true, "valid": false}, ...]}
    ///
    /// One entry per leaf field in declaration order; `offset` is null for a field a packed layout
    /// leaves out. Keys after `valid` are additions that readers may ignore.
    public func json() -> JSON {
        let device = layout.device
        return .object([
            ("device", .string(device.name)),
            ("interpretation", .string(layout.interpretation.rawValue)),
            ("sizing", .string(layout.sizing.rawValue)),
            ("features", .array(device.names(of: layout.features).map { .string($0) })),
            ("size", .int(layout.size)),
            ("fields", .array(layout.fields.map { field in
                .object([
                    ("name", .string(field.path)),
                    ("offset", .int(field.offset)),
                    ("size", .int(field.size)),
                    ("present", .bool(field.exists)),
                    ("valid", .bool(field.isValid)),
                    ("type", .string(field.field.type.name)),
                    ("condition", .string(device.conditionText(ofPath: field.path).nilIfEmpty)),
                    ("inside", .bool(field.isInside)),
                ])
            })),
        ])
    }

    // MARK: - Text

    public func document() -> ReportDocument {
        let device = layout.device
        var document = ReportDocument()
        document.title("\(Format.title(of: device))")
        let features = layout.features.isEmpty ? "none"
            : device.names(of: layout.features).enumerated().map { index, name in
                "\(name) (\(layout.features.bits[index]))"
            }.joined(separator: ", ")
        var facts: [(String, ReportDocument.Inline)] = [
            ("features", .init(features)),
            ("interpretation", .init(layout.interpretation.rawValue + " — " + Self.explain(layout.interpretation))),
            ("size", "\(layout.size) bytes (\(Format.hex(layout.size))), \(layout.sizing.rawValue) sizing"),
        ]
        if layout.sizing == .qemu, let dependence = QemuSizeTable(device: device).valueDependence(of: device) {
            facts.append(("", .init(dependence)))
        }
        document.facts(facts)
        document.gap()

        var table = ReportDocument.Table([.init("Offset", .right), .init("Hex"), .init("Size", .right), .init("Field"),
                                          .init("Type"), .init("Condition", wraps: true), .init("Note", movesBelow: true)])
        for field in layout.fields {
            let note = notes(for: field)
            let tone: ReportDocument.Tone = field.offset == nil || !field.exists ? .quiet : .plain
            let condition = layout.device.conditionText(ofPath: field.path)
            table.add([.init(field.offset.map { String($0) } ?? "-", tone: tone),
                       .init(field.offset.map { Format.hex($0) } ?? "", tone: tone), .init(String(field.size), tone: tone),
                       .code(field.path, tone: tone), .code(field.field.type.name, tone: tone), .code(condition, tone: tone),
                       .init(note, tone: field.exists && field.isInside ? .notice : .quiet)])
        }
        document.table(table)
        return document
    }

    /// What the reader should know about a field beyond its place.
    func notes(for field: PlacedField) -> String {
        var notes: [String] = []
        if field.offset == nil {
            notes.append("absent: takes no space")
        } else if !field.exists {
            notes.append("absent: bytes reserved")
        } else if !field.isValid {
            notes.append("not valid")
        }
        if field.offset != nil, !field.isInside { notes.append("beyond the config size") }
        switch field.field.access {
        case .readOnly: break
        case .driverWritable: notes.append("driver-writable")
        case .legacyWritable: notes.append("writable on legacy")
        }
        if field.field.isReserved { notes.append("reserved") }
        return notes.joined(separator: "; ")
    }

    static func explain(_ interpretation: Interpretation) -> String {
        switch interpretation {
        case .fixed: "every field at its C offset"
        case .packed: "absent fields take no space"
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
