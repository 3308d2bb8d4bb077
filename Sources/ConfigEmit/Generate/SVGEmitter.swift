import ConfigLayout

/// A byte map per device: the fixed layout and the packed layout side by side, four bytes to a
/// row, a box per field to byte scale, fields that moved shaded with an arrow from their fixed place
/// to their packed one. The packed lane shows the features `generate --features` chooses, or else
/// the set under which the most fields move, of the examples the diff gives. Every label is whole:
/// fitted to its box by size and lines, or, where even that fails, a numbered note under the legend.
struct SVGEmitter: Emitter {
    let generator: Generator

    var sharedFiles: [GeneratedFile] { [] }

    static let name = "svg"
    static let summary = "SVG"
    static let column = "Byte map"
    static let phase = EmitterPhase.reusesDiffs

    static func path(of device: Device) -> String { "svg/\(device.name).svg" }

    func contents(for input: GenerationInput) -> String { picture(for: input) }

    // Geometry, in pixels.
    private static let bytesPerRow = 4
    private static let byteWidth = 64
    private static let rowHeight = 30
    private static let columnWidth = bytesPerRow * byteWidth
    private static let fixedX = 60
    private static let gap = 170
    private static var packedX: Int { fixedX + columnWidth + gap }
    private static var width: Int { packedX + columnWidth + 60 }
    private static let top = 104

    private enum Style {
        case present, moved, absent, reserved

        var fill: String {
            switch self {
            case .present: "#d6e6f7"
            case .moved: "#ffd9a8"
            case .absent: "url(#hatch)"
            case .reserved: "#e4e4e4"
            }
        }

        var stroke: String {
            switch self {
            case .present: "#3b6ea5"
            case .moved: "#c05f00"
            case .absent: "#9a9a9a"
            case .reserved: "#8c8c8c"
            }
        }

        var text: String { self == .absent ? "#6d6d6d" : "#1d1d1d" }
    }

    private func picture(for input: GenerationInput) -> String {
        let device = input.device
        var out = "<!-- \(generator.banner(input.layoutName)) -->\n"
        guard device.config != nil else {
            out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"560\" height=\"70\" viewBox=\"0 0 560 70\" "
            out += "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
            out += "<rect width=\"560\" height=\"70\" fill=\"#ffffff\"/>\n"
            out += text(20, 30, "\(Format.title(of: device))", size: 16, weight: "bold")
            out += text(20, 54, "The specification defines no configuration for this device.", size: 13)
            return out + "</svg>\n"
        }

        let diff = generator.fixedVersusPacked(device)
        let features = Self.pictured(device, generator: generator)
        let comparison = FeatureSetComparison(device: device, features: features, from: .fixed, to: .packed)
        let rows = max(1, (comparison.from.size + Self.bytesPerRow - 1) / Self.bytesPerRow)
        let legendTop = Self.top + rows * Self.rowHeight + 46
        // The boxes first: a label that fits nowhere becomes a note, and the notes set the height.
        var notes: [String] = []
        let drawn = boxes(comparison, device: device, notes: &notes)
        let moved = comparison.rows.filter { $0.delta.map { $0 != 0 } ?? false }.count
        let moving = diff.fields.filter(\.moves).count
        let named = Format.features(features, of: device)
        let outcome = ": \(moved) field\(moved == 1 ? " moves" : "s move") (\(moving) can move under some feature set)."
        var subtitle = moving == 0 ? ["No field ever moves: the packed reading equals the fixed one."]
            : SVGLabel.prose("Packed under \(named)" + outcome, size: 12, width: Self.width - 40)
        // A set too long for two lines is listed under the legend, after the numbered notes.
        var listed: [String] = []
        if subtitle.count > 2 {
            subtitle = ["Packed under the \(device.names(of: features).count) features listed below" + outcome]
            listed = SVGLabel.prose("Packed under \(named).", size: 11, width: Self.width - Self.fixedX - 20)
        }
        let below = notes.enumerated().map { "[\($0.offset + 1)] \($0.element)" } + listed
        let height = legendTop + 64 + (below.isEmpty ? 0 : 12 + below.count * Self.noteHeight)

        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.width)\" height=\"\(height)\" "
        out += "viewBox=\"0 0 \(Self.width) \(height)\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        out += """
            <defs>
            <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#f4f4f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c8c8c8" stroke-width="2"/>
            </pattern>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#c05f00"/>
            </marker>
            </defs>
            <rect width="\(Self.width)" height="\(height)" fill="#ffffff"/>

            """
        out += text(20, 28, "\(Format.title(of: device))", size: 17, weight: "bold")
        for (index, line) in subtitle.enumerated() {
            out += text(20, 50 + index * 15, line, size: 12, color: "#444444")
        }
        out += text(Self.fixedX, 84, "fixed: C offsets (Linux, QEMU, VMMs)", size: 13, weight: "bold")
        out += text(Self.packedX, 84, "packed: absent fields take no space", size: 13, weight: "bold")

        out += grid(x: Self.fixedX, rows: rows, labelsOnLeft: true)
        out += grid(x: Self.packedX, rows: rows, labelsOnLeft: false)

        out += drawn
        out += text(Self.fixedX, Self.top + rows * Self.rowHeight + 22, "\(comparison.from.size) bytes", size: 12,
                    color: "#444444")
        out += text(Self.packedX, Self.top + rows * Self.rowHeight + 22, "\(comparison.to.size) bytes", size: 12,
                    color: "#444444")
        out += legend(top: legendTop)
        for (index, line) in below.enumerated() {
            out += text(Self.fixedX, legendTop + 64 + 12 + index * Self.noteHeight, line, size: 11)
        }
        return out + "</svg>\n"
    }

    private static let noteHeight = 16

    /// The features the byte map shows packed: the user's choice, or the set that moves the most.
    static func pictured(_ device: Device, generator: Generator) -> FeatureSet {
        generator.options.pictured[device.name] ?? illustration(generator.fixedVersusPacked(device))
    }

    /// Every field's boxes in both lanes, and the arrows of the fields that move.
    private func boxes(_ comparison: FeatureSetComparison, device: Device, notes: inout [String]) -> String {
        var out = ""
        // A union's members share their bytes; the union is drawn once, over its extent.
        let unions = device.unions
        var drawnUnions = Set<String>()
        var arrows = ""
        for row in comparison.rows {
            let isMoved = row.delta.map { $0 != 0 } ?? false
            let union = unions.first { row.path.hasPrefix($0.path + ".") }
            if let union {
                guard drawnUnions.insert(union.path).inserted else { continue }
                let anchor = union.path.split(separator: ".").map(String.init)
                let members = "union of " + union.members.joined(separator: ", ")
                let size = comparison.from.measure(.end(of: anchor)) - comparison.from.measure(.offset(of: anchor))
                let from = comparison.from.measure(.offset(of: anchor))
                let to = comparison.to.measure(.offset(of: anchor))
                let style: Style = from == to ? .present : .moved
                out += box(notes: &notes, label: "\(union.path) @\(from): \(members)", title: "\(union.path): \(members), \(size) bytes",
                           offset: from, size: size, x: Self.fixedX, style: style)
                if row.to.offset != nil {
                    out += box(notes: &notes, label: "\(union.path) @\(to): \(members)", title: "\(union.path): \(members), \(size) bytes",
                               offset: to, size: size, x: Self.packedX, style: style)
                    if from != to { arrows += arrow(from: from, to: to) }
                }
                continue
            }
            let fixedStyle: Style = row.from.field.isReserved ? .reserved : !row.from.exists ? .absent : isMoved ? .moved : .present
            if let offset = row.from.offset {
                out += boxes(notes: &notes, field: row.from, offset: offset, x: Self.fixedX, style: fixedStyle)
            }
            if let offset = row.to.offset {
                let style: Style = row.to.field.isReserved ? .reserved : isMoved ? .moved : .present
                out += boxes(notes: &notes, field: row.to, offset: offset, x: Self.packedX, style: style)
            }
            if isMoved, let from = row.from.offset, let to = row.to.offset {
                arrows += arrow(from: from, to: to)
            }
        }
        return out + arrows
    }

    /// Of the feature sets the diff gives as examples, the one under which the most fields move
    /// (then the most are present); with no divergence, every feature of the device.
    static func illustration(_ diff: InterpretationDiff) -> FeatureSet {
        var best: (set: FeatureSet, moved: Int, present: Int)?
        for example in diff.fields.compactMap(\.example) {
            let comparison = FeatureSetComparison(device: diff.device, features: example.features, from: .fixed, to: .packed)
            let moved = comparison.rows.filter { $0.delta.map { $0 != 0 } ?? false }.count
            let present = comparison.rows.filter { $0.to.offset != nil }.count
            if best.map({ (moved, present) > ($0.moved, $0.present) }) ?? true {
                best = (example.features, moved, present)
            }
        }
        return best?.set ?? FeatureSet(bits: diff.device.features.filter { !$0.isLegacyOnly }.map(\.bit))
    }

    /// Faint byte cells and the offset of each row.
    private func grid(x: Int, rows: Int, labelsOnLeft: Bool) -> String {
        var out = ""
        for row in 0..<rows {
            let y = Self.top + row * Self.rowHeight
            let offset = row * Self.bytesPerRow
            let label = "\(offset) \(Format.hex(offset))"
            out += labelsOnLeft
                ? text(x - 6, y + 19, label, size: 9, color: "#888888", anchor: "end")
                : text(x + Self.columnWidth + 6, y + 19, label, size: 9, color: "#888888")
            out += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(Self.columnWidth)\" height=\"\(Self.rowHeight)\" fill=\"none\" stroke=\"#eeeeee\"/>\n"
        }
        return out
    }

    private func boxes(notes: inout [String], field: PlacedField, offset: Int, x: Int, style: Style) -> String {
        box(notes: &notes, label: "\(field.path) @\(offset)",
            title: "\(field.path) (\(field.field.type.name)) at \(offset), \(field.size) byte\(field.size == 1 ? "" : "s")",
            offset: offset, size: field.size, x: x, style: style)
    }

    /// One box per row a span of bytes touches, the label in the widest.
    private func box(notes: inout [String], label: String, title: String, offset: Int, size: Int, x: Int, style: Style) -> String {
        var segments: [(row: Int, start: Int, count: Int)] = []
        var byte = offset
        let end = offset + size
        while byte < end {
            let row = byte / Self.bytesPerRow
            let count = min(end, (row + 1) * Self.bytesPerRow) - byte
            segments.append((row, byte % Self.bytesPerRow, count))
            byte += count
        }
        let widest = segments.indices.max { segments[$0].count < segments[$1].count } ?? 0
        var out = "<g>\n<title>\(Markup.escape(title))</title>\n"
        for (index, segment) in segments.enumerated() {
            let boxX = x + segment.start * Self.byteWidth + 1
            let boxY = Self.top + segment.row * Self.rowHeight + 1
            let boxWidth = segment.count * Self.byteWidth - 2
            out += "<rect x=\"\(boxX)\" y=\"\(boxY)\" width=\"\(boxWidth)\" height=\"\(Self.rowHeight - 2)\" rx=\"3\" "
            out += "fill=\"\(style.fill)\" stroke=\"\(style.stroke)\"/>\n"
            if index == widest {
                out += self.label(label, x: boxX + 4, y: boxY, width: boxWidth - 8, color: style.text, notes: &notes)
            }
        }
        return out + "</g>\n"
    }

    /// From the right edge of the fixed column to the left edge of the packed one, at a height set by
    /// the field's byte within its row, so that arrows from one row do not share a point.
    private func arrow(from: Int, to: Int) -> String {
        func y(_ offset: Int) -> Int {
            Self.top + (offset / Self.bytesPerRow) * Self.rowHeight + 7 + (offset % Self.bytesPerRow) * 5
        }
        let x1 = Self.fixedX + Self.columnWidth + 2
        let y1 = y(from)
        let x2 = Self.packedX - 4
        let y2 = y(to)
        return "<path d=\"M \(x1) \(y1) C \(x1 + 70) \(y1), \(x2 - 70) \(y2), \(x2) \(y2)\" fill=\"none\" "
            + "stroke=\"#c05f00\" stroke-width=\"1.5\" stroke-opacity=\"0.8\" marker-end=\"url(#arrow)\"/>\n"
    }

    private func legend(top: Int) -> String {
        let items: [(Style, String)] = [(.present, "present, same offset"), (.moved, "present, moved"),
                                        (.absent, "absent: bytes kept, reserved"), (.reserved, "padding or reserved")]
        var out = ""
        var x = Self.fixedX
        for (style, label) in items {
            out += "<rect x=\"\(x)\" y=\"\(top)\" width=\"22\" height=\"14\" rx=\"3\" fill=\"\(style.fill)\" stroke=\"\(style.stroke)\"/>\n"
            out += text(x + 28, top + 11, label, size: 11)
            x += 30 + label.count * 7
        }
        out += "<path d=\"M \(Self.fixedX) \(top + 34) L \(Self.fixedX + 40) \(top + 34)\" stroke=\"#c05f00\" "
        out += "stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n"
        out += text(Self.fixedX + 48, top + 38, "a field's move from its fixed offset to its packed one; one row is 4 bytes",
                    size: 11)
        return out
    }

    private func text(_ x: Int, _ y: Int, _ content: String, size: Int, weight: String = "normal",
                      color: String = "#1d1d1d", anchor: String = "start") -> String {
        "<text x=\"\(x)\" y=\"\(y)\" font-size=\"\(size)\" font-weight=\"\(weight)\" fill=\"\(color)\" "
            + "text-anchor=\"\(anchor)\">\(Markup.escape(content))</text>\n"
    }

    /// A box's label, whole: fitted by size and lines, else a note's number with the label under the
    /// legend.
    private func label(_ label: String, x: Int, y: Int, width: Int, color: String, notes: inout [String]) -> String {
        let height = Self.rowHeight - 6
        let fitted = SVGLabel.fit(label, width: width, height: height) ?? {
            notes.append(label)
            return SVGLabel.fit("[\(notes.count)]", width: width, height: height) ?? SVGLabel(lines: ["[\(notes.count)]"], size: 7)
        }()
        let lineHeight = SVGLabel.lineHeight(fitted.size)
        // The lines centred in the box, each baseline a font size below its line's top.
        let top = y + 1 + (Self.rowHeight - 2 - fitted.lines.count * lineHeight) / 2
        guard fitted.lines.count > 1 else {
            return text(x, top + fitted.size, fitted.lines.joined(), size: fitted.size, color: color)
        }
        var out = "<text x=\"\(x)\" y=\"\(top + fitted.size)\" font-size=\"\(fitted.size)\" font-weight=\"normal\" "
        out += "fill=\"\(color)\" text-anchor=\"start\">"
        for (index, line) in fitted.lines.enumerated() {
            out += "<tspan x=\"\(x)\" dy=\"\(index == 0 ? 0 : lineHeight)\">\(Markup.escape(line))</tspan>"
        }
        return out + "</text>\n"
    }
}
