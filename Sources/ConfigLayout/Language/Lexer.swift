/// Turns a source file into tokens. Newlines are tokens because a declaration ends at the end of
/// its line; a line may end in LF, CRLF or a lone CR. Comments (`// ...`) vanish; doc comments (`/// ...`) are kept for the declaration
/// that follows. Every byte sequence lexes: what cannot be a token becomes `.invalid` and a
/// diagnostic, and lexing goes on.
public struct Lexer {
    public private(set) var diagnostics: [Diagnostic] = []
    private let file: SourceFile
    private let bytes: [UInt8]
    private var position = 0

    public init(file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
    }

    public static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(file: file)
        var tokens: [Token] = []
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .endOfFile { break }
        }
        return (tokens, lexer.diagnostics)
    }

    public mutating func next() -> Token {
        skipSpacesAndComments()
        let start = position
        guard let byte = peek() else { return token(.endOfFile, from: start) }

        if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
            return docComment()
        }
        position += 1
        switch byte {
        // A CR before an LF was skipped as space; a lone CR ends a line.
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return token(.newline, from: start)
        case UInt8(ascii: "{"): return token(.leftBrace, from: start)
        case UInt8(ascii: "}"): return token(.rightBrace, from: start)
        case UInt8(ascii: "("): return token(.leftParen, from: start)
        case UInt8(ascii: ")"): return token(.rightParen, from: start)
        case UInt8(ascii: "["): return token(.leftBracket, from: start)
        case UInt8(ascii: "]"): return token(.rightBracket, from: start)
        case UInt8(ascii: ","): return token(.comma, from: start)
        case UInt8(ascii: ";"): return token(.semicolon, from: start)
        case UInt8(ascii: "="): return token(.equals, from: start)
        case UInt8(ascii: "!"): return token(.bang, from: start)
        case UInt8(ascii: "."):
            if peek() == UInt8(ascii: "."), peek(1) == UInt8(ascii: ".") {
                position += 2
                return token(.ellipsis, from: start)
            }
            return token(.dot, from: start)
        case UInt8(ascii: "&"):
            if peek() == UInt8(ascii: "&") { position += 1; return token(.andAnd, from: start) }
            return invalid(from: start, "unexpected character '&'; did you mean '&&'?")
        case UInt8(ascii: "|"):
            if peek() == UInt8(ascii: "|") { position += 1; return token(.orOr, from: start) }
            return invalid(from: start, "unexpected character '|'; did you mean '||'?")
        case UInt8(ascii: "\""): return string(from: start)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return number(from: start)
        default:
            if Self.isIdentifierStart(byte) {
                while let next = peek(), Self.isIdentifierContinue(next) { position += 1 }
                return token(.identifier, from: start)
            }
            return unexpectedCharacters(from: start)
        }
    }

    // MARK: - Pieces

    private mutating func skipSpacesAndComments() {
        while let byte = peek() {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
                || (byte == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n")) {
                position += 1
            } else if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/"), !atDocComment {
                skipToEndOfLine()
            } else {
                return
            }
        }
    }

    /// `///` starts a doc comment; `////` and longer are ordinary comments (dividers).
    private var atDocComment: Bool {
        peek(2) == UInt8(ascii: "/") && peek(3) != UInt8(ascii: "/")
    }

    private mutating func docComment() -> Token {
        let start = position
        position += 3
        if peek() == UInt8(ascii: " ") { position += 1 }
        let textStart = position
        skipToEndOfLine()
        var textEnd = position
        if textEnd > textStart, bytes[textEnd - 1] == UInt8(ascii: "\r") { textEnd -= 1 }
        let text = String(decoding: bytes[textStart..<textEnd], as: UTF8.self)
        return token(.docComment(text), from: start)
    }

    private mutating func skipToEndOfLine() {
        while let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") { position += 1 }
    }

    private mutating func string(from start: Int) -> Token {
        var scalars = String.UnicodeScalarView()
        var valid = true
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else {
                report(.unterminatedString, "unterminated string literal", from: start, to: position)
                return token(.invalid, from: start)
            }
            if byte == UInt8(ascii: "\"") {
                position += 1
                break
            }
            if byte == UInt8(ascii: "\\") {
                let escapeStart = position
                position += 1
                switch peek() {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "t"): scalars.append("\t")
                default:
                    valid = false
                    report(.invalidEscape, "invalid escape sequence in string; use \\\", \\\\, \\n or \\t",
                           from: escapeStart, to: min(position + 1, bytes.count))
                }
                if peek() != nil, peek() != UInt8(ascii: "\n") { position += 1 }
                continue
            }
            if let (scalar, length) = UTF8Scalar.decode(bytes[...], at: position) {
                scalars.append(scalar)
                position += length
            } else {
                scalars.append("\u{FFFD}")
                position += 1
            }
        }
        return token(valid ? .string(String(scalars)) : .invalid, from: start)
    }

    private mutating func number(from start: Int) -> Token {
        var radix: UInt64 = 10
        var digitsStart = start
        if bytes[start] == UInt8(ascii: "0"), let prefix = peek() {
            if prefix == UInt8(ascii: "x") || prefix == UInt8(ascii: "X") { radix = 16 }
            if prefix == UInt8(ascii: "b") || prefix == UInt8(ascii: "B") { radix = 2 }
            if radix != 10 {
                position += 1
                digitsStart = position
            }
        }
        while let byte = peek(), Self.isIdentifierContinue(byte) { position += 1 }

        // A version: digits, a dot, digits (but not the '...' of a range).
        if radix == 10, peek() == UInt8(ascii: "."), let after = peek(1), Self.isDigit(after) {
            return version(from: start)
        }

        var value: UInt64 = 0
        var overflow = false
        var digitCount = 0
        for byte in bytes[digitsStart..<position] where byte != UInt8(ascii: "_") {
            guard let digit = Self.digitValue(byte), UInt64(digit) < radix else {
                report(.malformedNumber, "'\(String(decoding: bytes[start..<position], as: UTF8.self))' is not a valid number",
                       from: start, to: position)
                return token(.invalid, from: start)
            }
            digitCount += 1
            let (shifted, o1) = value.multipliedReportingOverflow(by: radix)
            let (sum, o2) = shifted.addingReportingOverflow(UInt64(digit))
            overflow = overflow || o1 || o2
            value = sum
        }
        if digitCount == 0 {
            report(.malformedNumber, "'\(String(decoding: bytes[start..<position], as: UTF8.self))' has no digits",
                   from: start, to: position)
            return token(.invalid, from: start)
        }
        if overflow {
            report(.numberTooLarge, "integer literal does not fit in 64 bits", from: start, to: position)
            return token(.invalid, from: start)
        }
        return token(.integer(value), from: start)
    }

    private mutating func version(from start: Int) -> Token {
        position += 1  // the dot
        while let byte = peek(), Self.isIdentifierContinue(byte) { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let version = SpecVersion(text) else {
            report(.malformedNumber, "'\(text)' is not a valid version; write MAJOR.MINOR, such as 1.4",
                   from: start, to: position)
            return token(.invalid, from: start)
        }
        return token(.version(version), from: start)
    }

    private mutating func unexpectedCharacters(from start: Int) -> Token {
        // One diagnostic for a whole run of garbage, not one per byte.
        while let byte = peek(), !Self.startsToken(byte) { position += 1 }
        let count = DisplayLine.decode(bytes[start..<position]).count
        return invalid(from: start, count == 1 ? "unexpected character" : "unexpected characters")
    }

    private mutating func invalid(from start: Int, _ message: String) -> Token {
        report(.unexpectedCharacter, message, from: start, to: position)
        return token(.invalid, from: start)
    }

    private mutating func report(_ kind: Diagnostic.Kind, _ message: String, from start: Int, to end: Int) {
        diagnostics.append(Diagnostic(kind, message, at: SourceSpan(file: file, start: start, end: end)))
    }

    private func token(_ kind: TokenKind, from start: Int) -> Token {
        Token(kind: kind, span: SourceSpan(file: file, start: start, end: position))
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        position + ahead < bytes.count ? bytes[position + ahead] : nil
    }

    // MARK: - Character classes

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "_")
    }

    static func isIdentifierContinue(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }

    /// Bytes that begin some token or separate tokens; garbage runs stop before them.
    static func startsToken(_ byte: UInt8) -> Bool {
        isIdentifierContinue(byte) || "{}()[],;=!.&|\"/ \t\r\n".utf8.contains(byte)
    }

    static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
