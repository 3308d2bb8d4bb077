extension ReportDocument {
    /// The document for a terminal: a bold title, `key  value` facts, aligned tables that fit 100
    /// columns, paragraphs indented under them; tones painted only when the style has colours.
    public func text(style: TextStyle) -> String {
        var out = ""
        for block in blocks {
            switch block {
            case .title(let text):
                out += Self.laidOut(text.toned(.strong), indent: "", continuation: "  ", style: style)
            case .section(let title):
                out += style.bold(title) + "\n"
            case .facts(let pairs, let indent):
                let plain = TextTable.keyValues(pairs.map { ($0.key, $0.value.plainText) }, indent: indent)
                out += Self.paint(plain, pairs.flatMap(\.value.spans), style: style)
            case .table(let table):
                var grid = TextTable(table.columns.map {
                    .init($0.title.uppercased(), $0.alignment, wraps: $0.wraps, movesBelow: $0.movesBelow)
                })
                grid.gap = table.gap
                for row in table.rows { grid.add(row.map { Self.cell($0, style: style) }) }
                out += grid.rendered(style: style)
            case .paragraph(let text, let indent, let continuation):
                out += Self.laidOut(text, indent: indent, continuation: continuation, style: style)
            case .item(let text, let details, let layout):
                out += Self.laidOut(text, indent: layout.indent, continuation: layout.continuation, style: style)
                for detail in details {
                    out += Self.laidOut(detail, indent: layout.detailIndent, continuation: layout.detailContinuation,
                                        style: style)
                }
            case .line(let text, let indent):
                out += indent + Self.cell(text, style: style) + "\n"
            case .verbatim(let lines, let indent, let continuation):
                out += lines.map { line in
                    continuation.map { TextTable.paragraph(line, indent: indent, continuation: $0) } ?? indent + line + "\n"
                }.joined()
            case .gap:
                out += "\n"
            }
        }
        return out
    }

    /// A table cell: each span painted in its tone (a cell of one tone is painted whole, so it keeps
    /// its paint when it wraps).
    private static func cell(_ text: Inline, style: TextStyle) -> String {
        text.spans.map { paint($0.text, $0.tone, style: style) }.joined()
    }

    static func paint(_ text: String, _ tone: Tone, style: TextStyle) -> String {
        switch tone {
        case .plain: text
        case .strong: style.bold(text)
        case .quiet: style.dim(text)
        case .good: style.green(text)
        case .notice: style.yellow(text)
        case .bad: style.red(text)
        }
    }

    /// Prose wrapped to fit after its indents. Text of one tone is painted line by line, so it keeps
    /// its paint however it wraps; text of several is painted span by span.
    private static func laidOut(_ text: Inline, indent: String, continuation: String, style: TextStyle) -> String {
        if let tone = text.spans.first?.tone, tone != .plain, text.spans.allSatisfy({ $0.tone == tone }) {
            return TextTable.paragraph(text.plainText, indent: indent, continuation: continuation,
                                       paint: { paint($0, tone, style: style) })
        }
        return paint(TextTable.paragraph(text.plainText, indent: indent, continuation: continuation), text.spans,
                     style: style)
    }

    /// Text laid out plain, then each toned span painted where it stands, in order; a span broken
    /// across lines by wrapping stays plain.
    private static func paint(_ rendered: String, _ spans: [Span], style: TextStyle) -> String {
        guard style.colors, spans.contains(where: { $0.tone != .plain }) else { return rendered }
        var out = ""
        var rest = Substring(rendered)
        for span in spans where !span.text.isEmpty {
            guard let found = rest.firstRange(of: span.text) else { continue }
            out += rest[..<found.lowerBound]
            out += span.tone == .plain ? String(rest[found]) : paint(span.text, span.tone, style: style)
            rest = rest[found.upperBound...]
        }
        return out + rest
    }
}
