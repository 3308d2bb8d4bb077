import ConfigLayout
import Rendering

/// `cfgspace table`: a layout under one feature set, for people (text, Markdown) and programs (JSON).
public struct TableReport: Report {
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

    public func text(style: TextStyle) -> String {
        let device = layout.device
        var out = style.bold(Format.title(of: device)) + "\n"
        let features = layout.features.isEmpty ? "none"
            : device.names(of: layout.features).enumerated().map { index, name in
                "\(name) (\(layout.features.bits[index]))"
            }.joined(separator: ", ")
        var facts = [
            ("features", features),
            ("interpretation", layout.interpretation.rawValue + " — " + Self.explain(layout.interpretation)),
            ("size", "\(layout.size) bytes (\(Format.hex(layout.size))), \(layout.sizing.rawValue) sizing"),
        ]
        if layout.sizing == .qemu, let dependence = QemuSizeTable(device: device).valueDependence(of: device) {
            facts.append(("", dependence))
        }
        out += TextTable.keyValues(facts) + "\n"

        var table = TextTable([.init("OFFSET", .right), .init("HEX"), .init("SIZE", .right), .init("FIELD"),
                               .init("TYPE"), .init("CONDITION", wraps: true), .init("NOTE", movesBelow: true)])
        for field in layout.fields {
            let note = notes(for: field)
            let offset = field.offset.map { String($0) } ?? "-"
            let hex = field.offset.map { Format.hex($0) } ?? ""
            let quiet = field.offset == nil || !field.exists
            func paint(_ text: String) -> String { quiet ? style.dim(text) : text }
            let noteCell = note.isEmpty ? "" : field.exists && field.isInside ? style.yellow(note) : style.dim(note)
            table.add([paint(offset), paint(hex), paint(String(field.size)), paint(field.path),
                       paint(field.field.type.name), paint(layout.device.conditionText(ofPath: field.path)), noteCell])
        }
        return out + table.rendered(style: style)
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

    // MARK: - Markdown

    public func markdown() -> String {
        let device = layout.device
        var out = "## \(Format.title(of: device))\n\n"
        out += "Features: " + (layout.features.isEmpty ? "none" : device.names(of: layout.features).map { "`\($0)`" }
            .joined(separator: ", ")) + ". "
        out += "Interpretation: \(layout.interpretation.rawValue). Size: \(layout.size) bytes (\(layout.sizing.rawValue) sizing).\n\n"
        var table = MarkdownTable([.init("Offset", .right), .init("Size", .right), .init("Field"), .init("Type"),
                                   .init("Condition"), .init("Note")])
        for field in layout.fields {
            table.add([field.offset.map { "\($0) (\(Format.hex($0)))" } ?? "—", "\(field.size)", "`\(field.path)`",
                       "`\(field.field.type.name)`", layout.device.conditionText(ofPath: field.path).nilIfEmpty.map { "`\($0)`" } ?? "",
                       notes(for: field)])
        }
        return out + table.rendered()
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
