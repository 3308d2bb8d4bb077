import Rendering

/// Whether a report's text and Markdown both show every piece of text its document holds.
public enum RenderingCheck {
    /// What is wrong with a report's two renderings: text or Markdown that is not its document's, a
    /// document that says nothing, or a piece of it that one rendering lacks; empty when none is.
    public static func problems(_ report: any DocumentedReport) -> [String] {
        let document = report.document()
        let text = report.render(.text), markdown = report.render(.markdown)
        var problems: [String] = []
        if text != document.text(style: .plain) { problems.append("the text is not its document's") }
        if markdown != document.markdown() { problems.append("the Markdown is not its document's") }
        if document.spans.isEmpty { problems.append("the document says nothing") }
        return problems + missing(document.spans.map(\.text), text: text, markdown: markdown)
    }

    /// The pieces (document spans' text) missing from `text` or from `markdown`, each named with
    /// the form that lacks it; empty when both carry them all.
    public static func missing(_ pieces: [String], text: String, markdown: String) -> [String] {
        let textLetters = squashed(text), markdownLetters = squashed(unmarked(markdown))
        var missing: [String] = []
        for piece in pieces {
            let words = piece.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
            if !holds(words, in: textLetters) { missing.append("text lacks \"\(piece)\"") }
            if !holds(words, in: markdownLetters) { missing.append("Markdown lacks \"\(piece)\"") }
        }
        return missing
    }

    /// Markdown's marks taken off: backticks, bold, escapes (`\|`, `\*`), line breaks in cells.
    private static func unmarked(_ markdown: String) -> String {
        var out = ""
        var rest = Substring(markdown)
        while let first = rest.first {
            if first == "\\", let next = rest.dropFirst().first, next.isPunctuation || next.isSymbol {
                out.append(next)
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("<br>") {
                out += " "
                rest = rest.dropFirst(4)
            } else if rest.hasPrefix("**") {
                rest = rest.dropFirst(2)
            } else {
                if first != "`" { out.append(first) }
                rest = rest.dropFirst()
            }
        }
        return out
    }

    /// The rendering without whitespace, so wrapping and column padding do not matter.
    private static func squashed(_ text: String) -> Substring {
        Substring(text.lowercased().filter { !$0.isWhitespace })
    }

    /// The words appear in the rendering in order (a wrapped table cell may have other cells' lines
    /// between its own).
    private static func holds(_ words: [String], in rendering: Substring) -> Bool {
        var rest = rendering
        for word in words {
            guard let found = rest.firstRange(of: word) else { return false }
            rest = rest[found.upperBound...]
        }
        return true
    }
}
