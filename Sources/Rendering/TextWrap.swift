/// How text breaks into lines, the one rule every table cell, paragraph and key-value line follows:
/// only at spaces, never inside a word (a name, a hex value, a MAC, a range such as 12..15); an
/// operator (`&&`, `||`, `+`, `→`) starts a line with its operand; and a paragraph never ends with a
/// lone short word when the line before can give it company.
extension TextTable {
    /// The text's unbreakable pieces, each operator glued to the operand after it.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var spaces = ""
        // A run of spaces (`ok  length`) stays inside the line as it was written.
        for piece in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            guard !piece.isEmpty else {
                if !words.isEmpty { spaces += " " }
                continue
            }
            let word = spaces + piece
            spaces = ""
            // An operator keeps its operand, and a bracketed term (`5·[RSS || HASH_REPORT]`) stays whole.
            if let previous = words.last, ["&&", "||", "→", "+"].contains(previous)
                || previous.filter({ $0 == "[" }).count > previous.filter({ $0 == "]" }).count {
                words[words.count - 1] = previous + " " + word
            } else {
                words.append(word)
            }
        }
        return words
    }

    /// The narrowest a cell can be wrapped to without breaking a word: its longest word, plus the
    /// two-space indent of a continuation line for any word that is not first.
    static func narrowest(_ cell: String) -> Int {
        let pieces = words(unpainted(cell).text)
        guard let first = pieces.first else { return 0 }
        return pieces.dropFirst().map { visibleWidth($0) + 2 }.reduce(visibleWidth(first), max)
    }

    /// A cell's text in lines of at most `width` visible characters, broken at spaces,
    /// continuation lines indented by two. A cell painted as a whole keeps its paint on every line.
    static func wrap(_ cell: String, width: Int) -> [String] {
        let (text, prefix) = unpainted(cell)
        let suffix = prefix.isEmpty ? "" : "\u{1B}[0m"
        return lines(text, first: width, rest: width - 2).enumerated().map { index, line in
            prefix + (index == 0 ? "" : "  ") + line + suffix
        }
    }

    /// Text in lines of at most `first` visible characters for the first and `rest` for the others,
    /// broken at spaces. A word longer than its line keeps a line of its own rather than being cut.
    static func lines(_ text: String, first: Int, rest: Int) -> [String] {
        var lines: [[String]] = []
        var current: [String] = []
        var used = 0
        for word in words(text) {
            let size = visibleWidth(word)
            if current.isEmpty || used + 1 + size <= (lines.isEmpty ? first : rest) {
                used += (current.isEmpty ? 0 : 1) + size
                current.append(word)
            } else {
                lines.append(current)
                current = [word]
                used = size
            }
        }
        lines.append(current)
        // No widow: a last line of one short word takes the word before it, when that fits.
        if lines.count >= 2, let last = lines.last, last.count == 1, visibleWidth(last[0]) <= 6,
           lines[lines.count - 2].count >= 2, let moved = lines[lines.count - 2].last,
           visibleWidth(moved) + 1 + visibleWidth(last[0]) <= rest {
            lines[lines.count - 2].removeLast()
            lines[lines.count - 1].insert(moved, at: 0)
        }
        return lines.map { $0.joined(separator: " ") }
    }

    /// A cell painted as a whole, as its text and the paint's opening escape.
    private static func unpainted(_ cell: String) -> (text: String, prefix: String) {
        guard cell.hasPrefix("\u{1B}["), let end = cell.firstIndex(of: "m"), cell.hasSuffix("\u{1B}[0m") else {
            return (cell, "")
        }
        return (String(cell[cell.index(after: end)..<cell.index(cell.endIndex, offsetBy: -4)]), String(cell[...end]))
    }
}

extension TextTable {
    /// A bold title line, wrapped like a paragraph, each line painted.
    public static func heading(_ text: String, style: TextStyle, width: Int = defaultWidth) -> String {
        lines(text, first: width, rest: width - 2).enumerated().map { index, line in
            (index == 0 ? "" : "  ") + style.bold(line) + "\n"
        }.joined()
    }
}
