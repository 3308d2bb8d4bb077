extension ReportDocument {
    /// The document as Markdown: the title a heading of `level`, sections one deeper, facts and
    /// items as lists, tables as pipe tables; names and formulas in backticks, what is bad or
    /// strong in bold. Blocks are separated by one blank line; items in a row form one list.
    public func markdown(level: Int = 2) -> String {
        var chunks: [String] = []
        var listOpen = false
        for block in blocks {
            var chunk: String
            var isItem = false
            switch block {
            case .title(let text):
                chunk = String(repeating: "#", count: level) + " " + Self.markdown(text) + "\n"
            case .section(let title):
                chunk = String(repeating: "#", count: level + 1) + " " + Self.escaped(title) + "\n"
            case .facts(let pairs, let indent):
                // Deeper than two, a list nested in the entry above.
                let nested = indent.count > 2 ? "  " : ""
                chunk = pairs.map { pair in
                    pair.key.isEmpty ? nested + "  " + Self.markdown(pair.value) + "\n"
                        : nested + "- \(pair.key): " + Self.markdown(pair.value) + "\n"
                }.joined()
                isItem = !nested.isEmpty && listOpen
            case .table(let table):
                var grid = MarkdownTable(table.columns.map { .init($0.title, $0.alignment) })
                for row in table.rows { grid.add(row.map(Self.markdown)) }
                chunk = grid.rendered()
            case .paragraph(let text, _, _):
                chunk = Self.markdown(text) + "\n"
            case .item(let text, let details, let layout):
                let lead = layout.nestsDetails ? "\n  - " : "\n  "
                chunk = "- " + Self.markdown(text) + details.map { lead + Self.markdown($0) }.joined() + "\n"
                isItem = true
            case .line(let text, let indent):
                chunk = (indent.count > 2 ? "  - " : "- ") + Self.markdown(text) + "\n"
                isItem = true
            case .verbatim(let lines, _, _):
                let fence = String(repeating: "`", count: max(3, Self.longestBacktickRun(lines) + 1))
                chunk = fence + "\n" + lines.map { $0 + "\n" }.joined() + fence + "\n"
            case .gap:
                continue
            }
            if isItem && listOpen, let last = chunks.popLast() { chunk = last + chunk }
            listOpen = isItem
            chunks.append(chunk)
        }
        return chunks.joined(separator: "\n")
    }

    static func markdown(_ text: Inline) -> String {
        text.spans.map { span in
            var piece = span.isCode ? span.text : escaped(span.text)
            if span.isCode { piece = piece.contains("`") ? "`` \(piece) ``" : "`\(piece)`" }
            if span.tone == .strong || span.tone == .bad { piece = "**\(piece)**" }
            return piece
        }.joined()
    }

    /// Plain text with the marks this renderer writes (emphasis, code) escaped, so that a `*` in a
    /// report stays a `*`.
    static func escaped(_ text: String) -> String {
        guard text.contains(where: { $0 == "*" || $0 == "`" }) else { return text }
        return text.reduce(into: "") { out, character in
            if character == "*" || character == "`" { out.append("\\") }
            out.append(character)
        }
    }

    /// The longest run of backticks in the lines: a fence must be longer.
    private static func longestBacktickRun(_ lines: [String]) -> Int {
        lines.map { line in
            line.split(whereSeparator: { $0 != "`" }).map(\.count).max() ?? 0
        }.max() ?? 0
    }
}
