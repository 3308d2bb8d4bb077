/// Renders diagnostics the way compilers do:
///
///     Layouts/net.layout:12:11: error: duplicate feature name 'MTU'
///        12 |   feature MTU = 4
///           |           ^^^
///     Layouts/net.layout:5:11: note: 'MTU' was first declared here
///         5 |   feature MTU = 3
///           |           ^^^
public struct DiagnosticRenderer: Sendable {
    public var colors: Bool

    public init(colors: Bool = false) {
        self.colors = colors
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        var out = headline(diagnostic.span, label: diagnostic.severity.rawValue,
                           labelColor: diagnostic.severity == .error ? .red : .magenta,
                           message: diagnostic.message)
        out += excerpt(diagnostic.span)
        for note in diagnostic.notes {
            if let span = note.span {
                out += headline(span, label: "note", labelColor: .cyan, message: note.message)
                out += excerpt(span)
            } else {
                out += paint("note", .cyan, bold: true) + ": " + note.message + "\n"
            }
        }
        return out
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    /// "1 error and 2 warnings generated." — nil when there is nothing to count.
    public static func summary(of diagnostics: [Diagnostic]) -> String? {
        let errors = diagnostics.errorCount
        let warnings = diagnostics.warningCount
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        switch (errors, warnings) {
        case (0, 0): return nil
        case (_, 0): return count(errors, "error") + " generated."
        case (0, _): return count(warnings, "warning") + " generated."
        default: return count(errors, "error") + " and " + count(warnings, "warning") + " generated."
        }
    }

    /// Past this many characters a source line is shown as a window around the span, and a
    /// message (which may quote an enormous name) is cut short.
    static let lineLimit = 160
    static let messageLimit = 400

    private func headline(_ span: SourceSpan, label: String, labelColor: Color, message: String) -> String {
        let location = span.location
        var shown = message
        if message.count > Self.messageLimit {
            shown = String(message.prefix(Self.messageLimit)) + "… (\(message.count - Self.messageLimit) more characters)"
        }
        return paint("\(span.file.path):\(location.line):\(location.column):", nil, bold: true) + " "
            + paint(label + ":", labelColor, bold: true) + " "
            + paint(shown, nil, bold: true) + "\n"
    }

    /// The source line and a caret run under the span. A span that runs past the end of its first
    /// line is underlined to the end of that line; an empty span gets a single caret. A line too
    /// long for a terminal shows the part around the span, with "…" where it is cut.
    private func excerpt(_ span: SourceSpan) -> String {
        let start = span.file.location(of: span.start)
        let characters = span.file.displayLine(start.line).characters
        let end = span.file.location(of: span.end)
        let lastColumn = end.line == start.line ? end.column : characters.count + 1

        // The shown window: the whole line, or lineLimit characters from a little before the span.
        let first = characters.count > Self.lineLimit ? max(0, min(start.column - 1 - 40, characters.count - Self.lineLimit)) : 0
        let last = min(characters.count, first + Self.lineLimit)
        var text = String(String.UnicodeScalarView(characters[first..<last]))
        if first > 0 { text = "…" + text }
        if last < characters.count { text += "…" }
        let width = max(1, min(lastColumn, last + 1) - start.column)

        let number = String(start.line)
        let gutter = String(repeating: " ", count: max(4, number.count))
        let paddedNumber = String(repeating: " ", count: gutter.count - number.count) + number
        // Keep tabs so the caret lines up with tab-indented source.
        let lead = (first > 0 ? " " : "") + characters[first..<max(first, start.column - 1)].map { $0 == "\t" ? "\t" : " " }.joined()
        let carets = paint(String(repeating: "^", count: width), .green, bold: true)
        return "\(paddedNumber) | \(sanitized(text))\n\(gutter) | \(lead)\(carets)\n"
    }

    /// Control characters would corrupt a terminal; show them as U+FFFD.
    private func sanitized(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F ? "\u{FFFD}" : $0
        }))
    }

    enum Color: String {
        case red = "31", green = "32", magenta = "35", cyan = "36"
    }

    private func paint(_ text: String, _ color: Color?, bold: Bool) -> String {
        guard colors else { return text }
        var codes: [String] = []
        if bold { codes.append("1") }
        if let color { codes.append(color.rawValue) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }
}
