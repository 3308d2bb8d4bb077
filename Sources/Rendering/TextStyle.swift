/// Terminal styling that is on only when output goes to a terminal.
public struct TextStyle: Sendable {
    public var colors: Bool

    public init(colors: Bool) {
        self.colors = colors
    }

    public static let plain = TextStyle(colors: false)

    public func bold(_ text: String) -> String { paint(text, "1") }
    public func dim(_ text: String) -> String { paint(text, "2") }
    public func red(_ text: String) -> String { paint(text, "31") }
    public func green(_ text: String) -> String { paint(text, "32") }
    public func yellow(_ text: String) -> String { paint(text, "33") }
    public func cyan(_ text: String) -> String { paint(text, "36") }

    private func paint(_ text: String, _ code: String) -> String {
        colors && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Aligned columns for people: two spaces between columns, numbers right-aligned, escape codes
/// ignored when measuring, trailing spaces trimmed. A table wider than `maxWidth` wraps the cells of
/// its wrapping columns (formulas, notes) onto indented continuation lines, widest column first.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public let title: String
        public let alignment: Alignment
        /// The column's cells may wrap onto further lines when the table is too wide.
        public let wraps: Bool
        /// When the table is too wide, the column leaves the grid and each cell goes on a line of its
        /// own under its row, after the column's title: for long formulas.
        public let movesBelow: Bool

        public init(_ title: String, _ alignment: Alignment = .left, wraps: Bool = false, movesBelow: Bool = false) {
            self.title = title
            self.alignment = alignment
            self.wraps = wraps
            self.movesBelow = movesBelow
        }
    }

    /// What reports fit: a terminal's hundred columns.
    public static let defaultWidth = 100

    public let columns: [Column]
    public private(set) var rows: [[String]] = []
    public var indent = "  "
    /// Between columns.
    public var gap = "  "
    public var maxWidth = TextTable.defaultWidth

    public init(_ columns: [Column]) {
        self.columns = columns
    }

    public mutating func add(_ cells: [String]) {
        rows.append(cells)
    }

    public func rendered(style: TextStyle) -> String {
        let natural = naturalWidths()
        guard total(natural) > maxWidth else { return grid(style: style) }
        // Columns that say so leave the grid at once; then, while the rest cannot fit without
        // breaking a word, the wrapping columns leave it too, the rightmost first.
        var below = columns.indices.filter { columns[$0].movesBelow }
        for index in columns.indices.dropFirst().reversed() where columns[index].wraps && !below.contains(index) {
            guard !kept(without: below).fits else { break }
            below.append(index)
        }
        guard !below.isEmpty else { return grid(style: style) }
        // The grid without the moving columns, each of their cells on its own line under its row.
        let grid = kept(without: below)
        var out = grid.grid(style: style, rows: [])
        for (row, gridRow) in zip(rows, grid.rows) {
            out += grid.grid(style: style, rows: [gridRow], withHeader: false)
            for index in below.sorted() where index < row.count && !row[index].isEmpty {
                out += Self.paragraph(columns[index].title.lowercased() + " " + row[index], indent: indent + "    ",
                                      continuation: indent + "      ", width: maxWidth)
            }
        }
        return out
    }

    /// The table without the given columns.
    private func kept(without below: [Int]) -> TextTable {
        let kept = columns.indices.filter { !below.contains($0) }
        var grid = TextTable(kept.map { columns[$0] })
        grid.indent = indent
        grid.gap = gap
        grid.maxWidth = maxWidth
        grid.rows = rows.map { row in kept.map { $0 < row.count ? row[$0] : "" } }
        return grid
    }

    /// Whether the table fits its width with no word broken.
    private var fits: Bool { total(fitted(naturalWidths())) <= maxWidth }

    private func total(_ widths: [Int]) -> Int {
        indent.count + widths.reduce(0, +) + gap.count * max(0, widths.count - 1)
    }

    private func naturalWidths() -> [Int] {
        var widths = [Int](repeating: 0, count: columns.count)
        for row in [columns.map(\.title)] + rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], Self.visibleWidth(cell))
            }
        }
        return widths
    }

    private func grid(style: TextStyle) -> String { grid(style: style, rows: rows) }

    private func grid(style: TextStyle, rows: [[String]], withHeader: Bool = true) -> String {
        let all = [columns.map(\.title)] + self.rows
        var widths = [Int](repeating: 0, count: columns.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], Self.visibleWidth(cell))
            }
        }
        widths = fitted(widths)
        var out = ""
        let shown = (withHeader ? [columns.map(\.title)] : []) + rows
        for (position, row) in shown.enumerated() {
            let rowIndex = withHeader ? position : position + 1
            // Each cell as its lines: a wrapping cell may take several.
            let cells = columns.indices.map { index -> [String] in
                let cell = index < row.count ? row[index] : ""
                guard columns[index].wraps, Self.visibleWidth(cell) > widths[index] else { return [cell] }
                return Self.wrap(cell, width: widths[index])
            }
            for lineIndex in 0..<(cells.map(\.count).max() ?? 1) {
                let line = cells.map { lineIndex < $0.count ? $0[lineIndex] : "" }
                out += render(line, widths: widths, style: style, isTitle: rowIndex == 0)
            }
        }
        return out
    }

    /// The widths, the wrapping columns narrowed until the table fits: the rightmost first, down to
    /// 24 characters, then the widest of them, never below the narrowest that breaks no word.
    private func fitted(_ natural: [Int]) -> [Int] {
        var widths = natural
        guard total(widths) > maxWidth else { return widths }
        var least = natural
        for index in columns.indices where columns[index].wraps {
            least[index] = ([columns[index].title] + rows.map { index < $0.count ? $0[index] : "" })
                .map(Self.narrowest).max() ?? 0
        }
        for index in columns.indices.reversed() where columns[index].wraps {
            let excess = total(widths) - maxWidth
            guard excess > 0 else { return widths }
            widths[index] = max(least[index], min(widths[index], 24), widths[index] - excess)
        }
        while total(widths) > maxWidth {
            guard let widest = columns.indices.filter({ columns[$0].wraps && widths[$0] > least[$0] })
                .max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
        }
        return widths
    }

    private func render(_ row: [String], widths: [Int], style: TextStyle, isTitle: Bool) -> String {
        // No padding after the last cell with text, so no line ends in spaces.
        guard let last = row.indices.last(where: { !row[$0].isEmpty }) else { return "\n" }
        var line = indent
        for (index, column) in columns.enumerated() where index <= last {
            let cell = row[index]
            let text = isTitle ? style.bold(cell) : cell
            let padding = String(repeating: " ", count: max(0, widths[index] - Self.visibleWidth(cell)))
            switch column.alignment {
            case .right: line += padding + text
            case .left: line += index == last ? text : text + padding
            }
            if index < last { line += gap }
        }
        return line + "\n"
    }

    /// Prose in lines of at most `width` characters, the first after `indent`, the rest after
    /// `continuation`; each line ends in a newline.
    /// `paint` styles each line's text, not its indent.
    public static func paragraph(_ text: String, indent: String = "", continuation: String? = nil, width: Int = defaultWidth,
                                 paint: (String) -> String = { $0 }) -> String {
        let rest = continuation ?? indent
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { text in
            let text = String(text)
            guard visibleWidth(indent + text) > width else { return indent + paint(text) + "\n" }
            let lines = lines(text, first: width - indent.count, rest: width - rest.count)
            return lines.enumerated().map { index, line in (index == 0 ? indent : rest) + paint(line) + "\n" }.joined()
        }.joined()
    }

    /// `key   value` lines with the values aligned, a value too long for the width wrapped under
    /// itself.
    public static func keyValues(_ pairs: [(String, String)], indent: String = "  ", maxWidth: Int = defaultWidth) -> String {
        let width = pairs.map { visibleWidth($0.0) }.max() ?? 0
        let column = indent.count + width + 2
        return pairs.map { key, value in
            let lines = visibleWidth(value) > maxWidth - column ? wrap(value, width: max(24, maxWidth - column)) : [value]
            let first = indent + key + String(repeating: " ", count: width - visibleWidth(key) + 2) + (lines.first ?? "")
            return ([first] + lines.dropFirst().map { String(repeating: " ", count: column) + $0 }).joined(separator: "\n") + "\n"
        }.joined()
    }

    /// Characters a terminal shows, not counting ANSI escape sequences.
    static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if scalar == "m" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }
}

/// A Markdown pipe table with escaped cells.
public struct MarkdownTable: Sendable {
    public let header: [String]
    public let alignments: [TextTable.Alignment]
    public private(set) var rows: [[String]] = []

    public init(_ columns: [TextTable.Column]) {
        self.header = columns.map(\.title)
        self.alignments = columns.map(\.alignment)
    }

    public mutating func add(_ cells: [String]) {
        rows.append(cells)
    }

    public func rendered() -> String {
        var out = ""
        func line(_ cells: [String]) {
            out += "|"
            for cell in cells {
                out += " "
                cell.appendReplacingPipes(to: &out)
                out += " |"
            }
            out += "\n"
        }
        line(header)
        out += "|"
        for alignment in alignments { out += alignment == .right ? " ---: |" : " --- |" }
        out += "\n"
        for row in rows { line(row) }
        return out
    }
}

extension String {
    /// Appends the text with `|` escaped and line breaks as `<br>`; most cells have neither, and
    /// go in whole.
    fileprivate func appendReplacingPipes(to out: inout String) {
        guard utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "\n") }) else {
            out += self
            return
        }
        for character in self {
            switch character {
            case "|": out += "\\|"
            case "\n": out += "<br>"
            default: out.append(character)
            }
        }
    }
}
