import ConfigLayout
import Foundation

/// What text output must be: no line wider than 100 columns, and no word or value broken across
/// lines (a field's or feature's name, a hex value, a MAC, a range such as 12..15).
public enum TextFit {
    public static let width = 100

    /// Every name a built-in layout declares: devices, features, fields by name and by path.
    public static let vocabulary: Set<String> = {
        var names = Set<String>()
        for name in BuiltinLayouts.names {
            guard let loaded = try? LayoutLoader().load(argument: name) else { continue }
            for device in loaded.devices {
                names.insert(device.name)
                device.allFeatures.forEach { names.insert($0.name) }
                for node in device.fieldTree.nodes {
                    names.insert(node.path)
                    names.insert(node.field.name)
                }
            }
        }
        return names.filter { $0.count >= 3 }
    }()

    /// Each problem as `line N: what`, empty when the text fits.
    public static func problems(in text: String) -> [String] {
        let lines = text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var problems: [String] = []
        for (index, line) in lines.enumerated() {
            if line.count > width { problems.append("line \(index + 1): \(line.count) columns: \(line)") }
            for token in tokens(line) where isFragment(token) {
                problems.append("line \(index + 1): '\(token)' is a broken word: \(line)")
            }
            guard index + 1 < lines.count else { continue }
            let next = lines[index + 1]
            // A word that ends one line and one that starts the next (or a cell of it) that make up
            // one name or value.
            for tail in cellEnds(line) {
                for head in cellStarts(next) where joins(tail, head) {
                    problems.append("line \(index + 1): '\(tail)' + '\(head)' is one word broken across lines")
                }
            }
            // A lone number left on a line of its own by a paragraph's wrap.
            let rest = next.trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty, rest.count <= 4, rest.allSatisfy(\.isNumber), line.count >= 60,
               tokens(line).last?.allSatisfy(\.isNumber) == false {
                problems.append("line \(index + 2): a lone number on its own line: '\(rest)'")
            }
        }
        return problems
    }

    /// A line's words, the punctuation around them trimmed.
    static func tokens(_ line: String) -> [String] {
        line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "{" || $0 == "}" || $0 == "(" || $0 == ")" || $0 == "[" || $0 == "]" || $0 == "\"" || $0 == "'" })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ";")) }.filter { !$0.isEmpty }
    }

    /// The last word of each cell (text followed by two spaces or the end of the line).
    static func cellEnds(_ line: String) -> [String] {
        cells(line).compactMap { tokens($0).last }
    }

    /// The first word of each cell.
    static func cellStarts(_ line: String) -> [String] {
        cells(line).compactMap { tokens($0).first }
    }

    private static func cells(_ line: String) -> [String] {
        line.components(separatedBy: "  ").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// A piece of a value: a range or MAC cut at its separator, or a name cut inside a word.
    static func isFragment(_ token: String) -> Bool {
        let word = token.trimmingCharacters(in: CharacterSet(charactersIn: ".:"))
        if token.hasSuffix("..") && !token.hasSuffix("...") && word.first?.isNumber == true { return true }
        if token.hasPrefix("..") && !token.hasPrefix("...") && word.first?.isNumber == true { return true }
        if token.range(of: #"^([0-9a-f]{2}:)+$|^:([0-9a-f]{2}:?)+$"#, options: .regularExpression) != nil { return true }
        if token == "0x" { return true }
        // A name cut between two letters: geometry.c (of geometry.cylinders), 's kept apart.
        guard token.count >= 4, token.contains(where: { $0 == "_" || $0 == "." }), !vocabulary.contains(token),
              let last = token.last, last.isLetter || last.isNumber else { return false }
        return vocabulary.contains { name in
            name.count > token.count && name.hasPrefix(token) && name[name.index(name.startIndex, offsetBy: token.count)].isLetter
        }
    }

    /// Two words that make one name or value when put together.
    static func joins(_ tail: String, _ head: String) -> Bool {
        let whole = tail + head
        if vocabulary.contains(whole), !(vocabulary.contains(tail) && vocabulary.contains(head)) {
            return tail.last?.isLetter == true && head.first?.isLetter == true
        }
        if whole.range(of: #"^([0-9a-f]{2}:){5}[0-9a-f]{2}$"#, options: .regularExpression) != nil { return true }
        return tail.hasSuffix("0x") || (tail.hasSuffix("..") && head.first?.isNumber == true)
    }
}
