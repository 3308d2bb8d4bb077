/// Text inside SVG and HTML: the characters markup gives meaning to, escaped.
enum Markup {
    /// `&`, `<`, `>` and `"` as entities, so the text is safe in an element or a quoted attribute.
    static func escape(_ text: String) -> String {
        // Most text has nothing to escape.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
                                          || $0 == UInt8(ascii: "\"") }) else { return text }
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
