/// Builds the parse tree from tokens. A declaration ends at the end of its line (or at `;`), except
/// inside parentheses and after `&&` or `||`, where a condition may continue on the next line.
///
/// On an error the parser reports it, skips to the end of the offending line (or past the block it
/// opened), and goes on, so that one run reports every error in a file. Every recovery consumes at
/// least one token, so no input can make it loop.
public struct Parser {
    /// Parentheses, `!` and nested struct types deeper than this are rejected rather than recursed
    /// into, so no input can exhaust the stack.
    public static let maximumNesting = 64

    private let file: SourceFile
    let tokens: [Token]
    private(set) var index = 0
    var nesting = 0
    var parenthesisDepth = 0
    private var diagnostics: [Diagnostic]

    struct ParseError: Error {
        /// Nil when the problem was already reported (the lexer's `.invalid` tokens).
        let diagnostic: Diagnostic?
    }

    public static func parse(_ file: SourceFile) -> (syntax: LayoutFileSyntax, diagnostics: [Diagnostic]) {
        let (tokens, lexerDiagnostics) = Lexer.tokenize(file)
        var parser = Parser(file: file, tokens: tokens, diagnostics: lexerDiagnostics)
        let declarations = parser.parseFile()
        return (LayoutFileSyntax(file: file, declarations: declarations), parser.diagnostics.sortedBySource())
    }

    private init(file: SourceFile, tokens: [Token], diagnostics: [Diagnostic]) {
        self.file = file
        self.tokens = tokens
        self.diagnostics = diagnostics
    }

    // MARK: - Tokens

    var current: Token { tokens[index] }

    var previous: Token { tokens[max(0, index - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    mutating func consume(_ kind: TokenKind) -> Token? {
        current.kind == kind ? advance() : nil
    }

    func isKeyword(_ word: String) -> Bool {
        current.kind == .identifier && current.text == word
    }

    @discardableResult
    mutating func expect(_ kind: TokenKind, _ what: String) throws -> Token {
        if let token = consume(kind) { return token }
        throw error(at: current, "expected \(what), found \(current.quoted)")
    }

    mutating func expectIdentifier(_ what: String) throws -> Identifier {
        let token = try expect(.identifier, what)
        return Located(token.text, token.span)
    }

    mutating func expectInteger(_ what: String) throws -> Located<UInt64> {
        guard case .integer(let value) = current.kind else {
            throw error(at: current, "expected \(what), found \(current.quoted)")
        }
        return Located(value, advance().span)
    }

    mutating func expectVersion(after keyword: String) throws -> Located<SpecVersion> {
        // `next`: the draft after the newest published version, for what a proposal adds.
        if isKeyword("next") { return Located(SpecVersion.next, advance().span) }
        guard case .version(let version) = current.kind else {
            throw error(at: current, "expected a spec version after '\(keyword)', such as 1.2 or next, found \(current.quoted)")
        }
        return Located(version, advance().span)
    }

    mutating func parseOptionalString() -> Located<String>? {
        guard case .string(let text) = current.kind else { return nil }
        return Located(text, advance().span)
    }

    mutating func parseDocComments() -> DocSyntax? {
        var lines: [String] = []
        var span: SourceSpan?
        while case .docComment(let text) = current.kind {
            lines.append(text)
            span = span.map { $0.merged(with: current.span) } ?? current.span
            advance()
            skipLineBreaks()
        }
        guard let span else { return nil }
        return Located(lines.joined(separator: "\n"), span)
    }

    mutating func expectEndOfLine(after what: String) throws {
        switch current.kind {
        case .newline, .semicolon: advance()
        case .rightBrace, .endOfFile: break
        default: throw error(at: current, "expected the end of the line after \(what), found \(current.quoted)")
        }
    }

    mutating func skipLineBreaks() {
        while current.kind == .newline || current.kind == .semicolon { advance() }
    }

    mutating func enterNesting(at token: Token) throws {
        nesting += 1
        if nesting > Self.maximumNesting {
            nesting -= 1
            throw ParseError(diagnostic: Diagnostic(
                .nestingTooDeep, "nesting is deeper than \(Self.maximumNesting) levels", at: token.span))
        }
    }

    // MARK: - Errors

    func error(at token: Token, _ message: String, notes: [Diagnostic.Note] = []) -> ParseError {
        // The lexer has already explained an invalid token; don't pile a second error on it.
        token.kind == .invalid ? ParseError(diagnostic: nil)
            : ParseError(diagnostic: Diagnostic(.syntax, message, at: token.span, notes: notes))
    }

    mutating func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Reports the error and skips the rest of the line, stepping over any block it opened, but
    /// never past the `}` that closes the enclosing block.
    mutating func recover(from error: Error, startedAt start: Int) {
        if let parseError = error as? ParseError, let diagnostic = parseError.diagnostic {
            report(diagnostic)
        }
        // Nesting counters need no reset: the throw unwound their `defer`s.
        var depth = 0
        while current.kind != .endOfFile {
            switch current.kind {
            case .newline, .semicolon:
                if depth == 0 {
                    advance()
                    return
                }
            case .leftBrace:
                depth += 1
            case .rightBrace:
                if depth == 0 {
                    if index == start { advance() }  // a stray '}' that started the item
                    return
                }
                depth -= 1
            default: break
            }
            advance()
        }
    }

    static func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + last
    }
}
