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
/// ignored when measuring, trailing spaces trimmed.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public let title: String
        public let alignment: Alignment

        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public let columns: [Column]
    public private(set) var rows: [[String]] = []
    public var indent = "  "

    public init(_ columns: [Column]) {
        self.columns = columns
    }

    public mutating func add(_ cells: [String]) {
        rows.append(cells)
    }

    public func rendered(style: TextStyle) -> String {
        let all = [columns.map(\.title)] + rows
        var widths = [Int](repeating: 0, count: columns.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], Self.visibleWidth(cell))
            }
        }
        var out = ""
        for (rowIndex, row) in all.enumerated() {
            // No padding after the last cell with text, so no line ends in spaces.
            guard let last = row.indices.last(where: { $0 < columns.count && !row[$0].isEmpty }) else {
                out += "\n"
                continue
            }
            var line = indent
            for (index, column) in columns.enumerated() where index <= last {
                let cell = row[index]
                let text = rowIndex == 0 ? style.bold(cell) : cell
                let padding = String(repeating: " ", count: widths[index] - Self.visibleWidth(cell))
                switch column.alignment {
                case .right: line += padding + text
                case .left: line += index == last ? text : text + padding
                }
                if index < last { line += "  " }
            }
            out += line + "\n"
        }
        return out
    }

    /// `key   value` lines with the values aligned.
    public static func keyValues(_ pairs: [(String, String)], indent: String = "  ") -> String {
        let width = pairs.map { visibleWidth($0.0) }.max() ?? 0
        return pairs.map { key, value in
            indent + key + String(repeating: " ", count: width - visibleWidth(key) + 2) + value + "\n"
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
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingPipes() }.joined(separator: " | ") + " |\n"
        }
        let rule = "|" + alignments.map { $0 == .right ? " ---: |" : " --- |" }.joined() + "\n"
        return line(header) + rule + rows.map(line).joined()
    }
}

extension String {
    fileprivate func replacingPipes() -> String {
        var out = ""
        for character in self {
            switch character {
            case "|": out += "\\|"
            case "\n": out += "<br>"
            default: out.append(character)
            }
        }
        return out
    }
}
