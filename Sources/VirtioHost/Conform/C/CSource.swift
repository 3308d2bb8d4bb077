/// A C file as the reader sees it: comments gone, preprocessor lines set apart (its `#include`s,
/// and its `#define`s with the conditions around them), and the rest as tokens with their lines.
/// Nothing is expanded: the compiler does that.
struct CSource: Sendable {
    struct Token: Equatable, Sendable {
        let text: String
        let line: Int
    }

    struct Include: Sendable {
        let name: String
        let isSystem: Bool
        let line: Int
    }

    struct Define: Sendable {
        let name: String
        /// The whole directive, continuation lines joined.
        let text: String
        /// What follows the name (and its parameters).
        let body: String
        let line: Int
        /// The `#if`/`#ifdef`/`#ifndef` lines it sits inside, innermost last.
        let conditions: [String]
        /// `#define NAME 123`: the number.
        var number: Int? { Int(body.trimmingCharacters(in: .whitespaces)) }
    }

    let tokens: [Token]
    let includes: [Include]
    let defines: [Define]
    /// The source's lines, for copying a definition as it is written.
    let lines: [Substring]

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var includes: [Include] = []
        var defines: [Define] = []
        var conditions: [String] = []
        var code = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var line = 1
        var atLineStart = true
        func isAt(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Bool {
            index + 1 < scalars.count && scalars[index] == first && scalars[index + 1] == second
        }
        /// A block comment from its `/*`, its newlines kept so lines stay true.
        func skipBlockComment() {
            index += 2
            while index < scalars.count && !isAt("*", "/") {
                if scalars[index] == "\n" { code.append("\n"); line += 1 }
                index += 1
            }
            index += 2
        }
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : " "
            if scalar == "/" && next == "*" {
                skipBlockComment()
                code.append(" ")
                continue
            }
            if scalar == "/" && next == "/" {
                while index < scalars.count && scalars[index] != "\n" { index += 1 }
                continue
            }
            if scalar == "#" && atLineStart {
                // The directive to its end, continuation lines too; comments inside dropped.
                let start = line
                var directive = String.UnicodeScalarView()
                while index < scalars.count && scalars[index] != "\n" {
                    if isAt("\\", "\n") {
                        code.append("\n")
                        line += 1
                        index += 2
                        directive.append(" ")
                        continue
                    }
                    if isAt("/", "*") {
                        skipBlockComment()
                        directive.append(" ")
                        continue
                    }
                    if isAt("/", "/") {
                        while index < scalars.count && scalars[index] != "\n" { index += 1 }
                        break
                    }
                    directive.append(scalars[index])
                    index += 1
                }
                Self.record(String(directive), line: start, conditions: &conditions, includes: &includes, defines: &defines)
                continue
            }
            if scalar == "\n" { atLineStart = true; line += 1 } else if scalar != " " && scalar != "\t" && scalar != "\r" { atLineStart = false }
            code.append(scalar)
            index += 1
        }
        self.includes = includes
        self.defines = defines
        tokens = Self.tokenize(String(code))
    }

    private static func record(_ directive: String, line: Int, conditions: inout [String], includes: inout [Include],
                               defines: inout [Define]) {
        let body = directive.dropFirst().drop { $0 == " " || $0 == "\t" }
        let keyword = String(body.prefix { $0.isLetter })
        let rest = body.dropFirst(keyword.count).drop { $0 == " " || $0 == "\t" }
        switch keyword {
        case "if", "ifdef", "ifndef":
            conditions.append(keyword + " " + rest)
        case "elif", "else":
            if !conditions.isEmpty { conditions[conditions.count - 1] += " / " + keyword + " " + rest }
        case "endif":
            _ = conditions.popLast()
        case "include", "include_next":
            guard let open = rest.first, open == "<" || open == "\"" else { return }
            let name = rest.dropFirst().prefix { $0 != ">" && $0 != "\"" }
            includes.append(Include(name: String(name), isSystem: open == "<", line: line))
        case "define":
            let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            guard !name.isEmpty else { return }
            var after = rest.dropFirst(name.count)
            if after.first == "(" { after = after.drop { $0 != ")" }.dropFirst() }
            defines.append(Define(name: name, text: String(directive), body: String(after), line: line, conditions: conditions))
        default:
            break
        }
    }

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var word = ""
        var line = 1
        for character in text {
            if character.isLetter || character.isNumber || character == "_" {
                word.append(character)
                continue
            }
            if !word.isEmpty { tokens.append(Token(text: word, line: line)); word = "" }
            if "{}[]();,*:=".contains(character) { tokens.append(Token(text: String(character), line: line)) }
            if character == "\n" { line += 1 }
        }
        if !word.isEmpty { tokens.append(Token(text: word, line: line)) }
        return tokens
    }

    /// Identifiers in a piece of text: what a definition depends on.
    static func identifiers(in text: some StringProtocol) -> [String] {
        tokenize(String(text)).map(\.text).filter { CDeclarations.isIdentifier($0) }
    }
}
