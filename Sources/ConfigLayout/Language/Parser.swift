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
    private let tokens: [Token]
    private var index = 0
    private var nesting = 0
    private var parenthesisDepth = 0
    private var diagnostics: [Diagnostic]

    private struct ParseError: Error {
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

    // MARK: - Declarations

    private mutating func parseFile() -> [DeclarationSyntax] {
        var declarations: [DeclarationSyntax] = []
        while true {
            skipLineBreaks()
            if current.kind == .endOfFile { break }
            let start = index
            do {
                declarations.append(try parseDeclaration())
            } catch {
                recover(from: error, startedAt: start)
            }
        }
        return declarations
    }

    private mutating func parseDeclaration() throws -> DeclarationSyntax {
        let doc = parseDocComments()
        if doc != nil, current.kind == .endOfFile || current.kind == .rightBrace { try unattachedDoc(doc) }
        guard current.kind == .identifier else {
            throw error(at: current, "expected 'device', 'transport' or 'import', found \(current.quoted)")
        }
        let keyword = advance()
        switch keyword.text {
        case "import":
            let name = try expectIdentifier("a layout name after 'import', such as 'import transport'")
            try expectEndOfLine(after: "import")
            return .importDecl(ImportSyntax(name: name, span: keyword.span.merged(with: name.span)))
        case "device":
            return .device(try parseDevice(doc: doc, keyword: keyword))
        case "transport":
            return .transport(try parseTransport(doc: doc, keyword: keyword))
        default:
            throw error(at: keyword, "expected 'device', 'transport' or 'import', found \(keyword.quoted)")
        }
    }

    /// A `///` comment with nothing after it: harmless, but say so rather than drop it silently.
    private func unattachedDoc(_ doc: DocSyntax?) throws -> Never {
        let span = doc?.span ?? current.span
        throw ParseError(diagnostic: Diagnostic(.syntax, "doc comment is not followed by a declaration", at: span))
    }

    private mutating func parseDevice(doc: DocSyntax?, keyword: Token) throws -> DeviceSyntax {
        let name = try expectIdentifier("a device name after 'device', such as 'device net = 1'")
        try expect(.equals, "'=' and the device ID after the device name '\(name.value)'")
        let idToken = current
        let id = try expectInteger("the device ID after '='")
        let title = parseOptionalString()
        var since: Located<SpecVersion>?
        if isKeyword("since") {
            advance()
            since = try expectVersion(after: "since")
        }
        let head = keyword.span.merged(with: idToken.span)
        let (body, bodySpan) = try parseBody(allowed: .device, owner: "device '\(name.value)'")
        return DeviceSyntax(doc: doc, name: name, id: id, title: title, since: since, body: body,
                            headSpan: head, span: keyword.span.merged(with: bodySpan))
    }

    private mutating func parseTransport(doc: DocSyntax?, keyword: Token) throws -> TransportSyntax {
        let title = parseOptionalString()
        let (body, bodySpan) = try parseBody(allowed: .transport, owner: "transport")
        return TransportSyntax(doc: doc, title: title, body: body, headSpan: keyword.span,
                               span: keyword.span.merged(with: bodySpan))
    }

    private enum BodyKind {
        case device, transport

        var keywords: [String] {
            switch self {
            case .device: ["spec", "feature", "config", "struct", "union", "qemu"]
            case .transport: ["spec", "feature", "device_bits"]
            }
        }
    }

    /// `{ item* }`. A missing `}` is reported but keeps the items already parsed.
    private mutating func parseBody(allowed: BodyKind, owner: String) throws -> ([BodyItemSyntax], SourceSpan) {
        skipLineBreaks()
        let open = try expect(.leftBrace, "'{' to open the body of \(owner)")
        var items: [BodyItemSyntax] = []
        while true {
            skipLineBreaks()
            if current.kind == .rightBrace {
                return (items, open.span.merged(with: advance().span))
            }
            if current.kind == .endOfFile {
                report(Diagnostic(.syntax, "expected '}' to close the body of \(owner)", at: current.span,
                                  notes: [.init("the body opens here", at: open.span)]))
                return (items, open.span.merged(with: current.span))
            }
            let start = index
            do {
                items.append(try parseBodyItem(allowed, owner: owner))
            } catch {
                recover(from: error, startedAt: start)
            }
        }
    }

    private mutating func parseBodyItem(_ kind: BodyKind, owner: String) throws -> BodyItemSyntax {
        let doc = parseDocComments()
        if current.kind == .rightBrace || current.kind == .endOfFile { try unattachedDoc(doc) }
        let expected = Self.list(kind.keywords.map { "'\($0)'" })
        guard current.kind == .identifier, kind.keywords.contains(current.text) else {
            throw error(at: current, "expected \(expected) in the body of \(owner), found \(current.quoted)")
        }
        let keyword = advance()
        let item: BodyItemSyntax
        switch keyword.text {
        case "spec":
            guard case .string(let text) = current.kind else {
                throw error(at: current, "expected a string after 'spec', such as spec \"virtio 1.4, 5.1.4\"")
            }
            item = .spec(Located(text, advance().span), keyword: keyword.span)
        case "feature":
            item = .feature(try parseFeature(doc: doc, keyword: keyword))
        case "config":
            if isKeyword("none") {
                item = .noConfig(keyword.span.merged(with: advance().span))
            } else {
                item = .config(try parseAggregate(doc: doc, kind: Located(.struct, keyword.span), requireName: true))
            }
        case "struct", "union":
            let aggregateKind: AggregateKind = keyword.text == "struct" ? .struct : .union
            item = .typeDeclaration(try parseAggregate(doc: doc, kind: Located(aggregateKind, keyword.span),
                                                       requireName: true))
        case "qemu":
            if isKeyword("min_size") {
                advance()
                item = .qemuMinimumSize(try parseSizeAnchor(), keyword: keyword.span)
            } else if isKeyword("feature_size") {
                advance()
                let condition = try parseExpression()
                item = .qemuFeatureSize(condition, try parseSizeAnchor(), keyword: keyword.span)
            } else {
                throw error(at: current, "expected 'min_size' or 'feature_size' after 'qemu', such as "
                            + "qemu min_size end(mac) or qemu feature_size MTU end(mtu)")
            }
        default: // "device_bits"
            var ranges = [try parseRange(after: "'device_bits'")]
            while consume(.comma) != nil {
                ranges.append(try parseRange(after: "','"))
            }
            item = .deviceBits(ranges, keyword: keyword.span)
        }
        try expectEndOfLine(after: keyword.text == "config" || keyword.text == "struct" || keyword.text == "union"
                                ? "'}'" : "the \(keyword.text) declaration")
        return item
    }

    private mutating func parseFeature(doc: DocSyntax?, keyword: Token) throws -> FeatureSyntax {
        let name = try expectIdentifier("a feature name after 'feature', such as 'feature MTU = 3'")
        try expect(.equals, "'=' and the bit number after the feature name '\(name.value)'")
        let bit = try expectInteger("the feature's bit number after '='")
        var clauses: [FeatureClauseSyntax] = []
        var end = bit.span
        while current.kind == .identifier {
            let word = advance()
            let clause: FeatureClauseSyntax
            switch word.text {
            case "requires": clause = .requires(try parseExpression(), keyword: word.span)
            case "since": clause = .since(try expectVersion(after: "since"), keyword: word.span)
            case "until": clause = .until(try expectVersion(after: "until"), keyword: word.span)
            case "legacy": clause = .legacy(word.span)
            default:
                throw error(at: word, "unexpected \(word.quoted) in feature '\(name.value)'; expected "
                            + "'requires', 'since', 'until' or 'legacy'")
            }
            clauses.append(clause)
            end = previous.span
        }
        return FeatureSyntax(doc: doc, name: name, bit: bit, clauses: clauses, span: keyword.span.merged(with: end))
    }

    // MARK: - Structs, unions and fields

    private mutating func parseAggregate(doc: DocSyntax?, kind: Located<AggregateKind>,
                                         requireName: Bool) throws -> AggregateSyntax {
        var name: Identifier?
        if current.kind == .identifier {
            name = Located(current.text, advance().span)
        } else if requireName {
            throw error(at: current, "expected a name after '\(kind.span.text)', found \(current.quoted)")
        }
        skipLineBreaks()
        let open = try expect(.leftBrace, "'{' to open the fields of \(name.map { "'\($0.value)'" } ?? "the \(kind.value.rawValue)")")
        try enterNesting(at: open)
        defer { nesting -= 1 }
        var fields: [FieldSyntax] = []
        var hasErrors = false
        while true {
            skipLineBreaks()
            if current.kind == .rightBrace {
                let close = advance()
                return AggregateSyntax(doc: doc, kind: kind, name: name, fields: fields, hasErrors: hasErrors,
                                       span: kind.span.merged(with: close.span))
            }
            if current.kind == .endOfFile {
                report(Diagnostic(.syntax, "expected '}' to close the fields of '\(name?.value ?? kind.value.rawValue)'",
                                  at: current.span, notes: [.init("the fields open here", at: open.span)]))
                return AggregateSyntax(doc: doc, kind: kind, name: name, fields: fields, hasErrors: true,
                                       span: kind.span.merged(with: current.span))
            }
            let start = index
            do {
                fields.append(try parseField())
            } catch {
                hasErrors = true
                recover(from: error, startedAt: start)
            }
        }
    }

    private mutating func parseField() throws -> FieldSyntax {
        let doc = parseDocComments()
        if current.kind == .rightBrace || current.kind == .endOfFile { try unattachedDoc(doc) }
        let name = try expectIdentifier("a field name")
        guard current.kind == .identifier else {
            throw error(at: current, "expected the type of field '\(name.value)', such as le16 or u8[6], found \(current.quoted)")
        }
        let type = try parseType()
        var clauses: [FieldClauseSyntax] = []
        while current.kind == .identifier {
            clauses.append(try parseFieldClause(field: name.value))
        }
        let end = clauses.last?.span ?? type.span
        try expectEndOfLine(after: "field '\(name.value)'")
        return FieldSyntax(doc: doc, name: name, type: type, clauses: clauses, span: name.span.merged(with: end))
    }

    private mutating func parseType() throws -> TypeSyntax {
        let name = try expectIdentifier("a type")
        var type: TypeSyntax
        if name.value == "struct" || name.value == "union" {
            let kind = Located(name.value == "struct" ? AggregateKind.struct : .union, name.span)
            type = .aggregate(try parseAggregate(doc: nil, kind: kind, requireName: false))
        } else {
            type = .named(name)
        }
        while current.kind == .leftBracket {
            advance()
            let count = try expectInteger("the array length")
            let close = try expect(.rightBracket, "']' after the array length")
            type = .array(element: type, count: count, span: type.span.merged(with: close.span))
        }
        return type
    }

    private mutating func parseFieldClause(field: String) throws -> FieldClauseSyntax {
        let word = advance()
        switch word.text {
        case "if":
            return .existsIf(try parseConditionClause(keyword: word.span))
        case "valid":
            guard isKeyword("if") else { throw error(at: current, "expected 'if' after 'valid'") }
            advance()
            return .validIf(try parseConditionClause(keyword: word.span))
        case "range":
            return .range(try parseRange(after: "'range'"), keyword: word.span)
        case "writable":
            if isKeyword("legacy") { return .writableLegacy(word.span.merged(with: advance().span)) }
            guard isKeyword("before") else { return .writable(word.span, before: nil) }
            advance()
            return .writable(word.span, before: try expectIdentifier("a status bit after 'writable before', such as DRIVER_OK"))
        case "readable":
            guard isKeyword("after") else {
                throw error(at: current, "expected 'after' and a status bit, such as readable after FEATURES_OK")
            }
            advance()
            return .readableAfter(try expectIdentifier("a status bit after 'readable after', such as FEATURES_OK"),
                                  keyword: word.span)
        case "reserved", "padding":
            return .reserved(word.span)
        case "since":
            return .since(try expectVersion(after: "since"), keyword: word.span)
        case "until":
            return .until(try expectVersion(after: "until"), keyword: word.span)
        default:
            throw error(at: word, "unexpected \(word.quoted) after the type of field '\(field)'; expected "
                        + "'if', 'valid if', 'range', 'writable', 'readable after', 'reserved', 'since' or 'until'")
        }
    }

    private mutating func parseConditionClause(keyword: SourceSpan) throws -> ConditionClauseSyntax {
        let expression = try parseExpression()
        var negotiated: SourceSpan?
        var implied: SourceSpan?
        while isKeyword("negotiated") || isKeyword("implied") {
            let word = advance()
            if word.text == "negotiated" { negotiated = word.span } else { implied = word.span }
        }
        return ConditionClauseSyntax(expression: expression, negotiated: negotiated, implied: implied,
                                     span: keyword.merged(with: previous.span))
    }

    private mutating func parseRange(after context: String) throws -> RangeSyntax {
        let lower = try expectInteger("a number after \(context)")
        guard consume(.ellipsis) != nil else {
            return RangeSyntax(lower: lower, upper: lower, span: lower.span)
        }
        let upper = try expectInteger("the upper bound after '...'")
        return RangeSyntax(lower: lower, upper: upper, span: lower.span.merged(with: upper.span))
    }

    private mutating func parseSizeAnchor() throws -> SizeAnchorSyntax {
        if case .integer(let value) = current.kind {
            return .bytes(Located(value, advance().span))
        }
        guard isKeyword("end") || isKeyword("offset") else {
            throw error(at: current, "expected end(FIELD), offset(FIELD) or a byte count, found \(current.quoted)")
        }
        let word = advance()
        try expect(.leftParen, "'(' after '\(word.text)'")
        var path = [try expectIdentifier("a field name")]
        while consume(.dot) != nil {
            path.append(try expectIdentifier("a member name after '.'"))
        }
        let close = try expect(.rightParen, "')' after the field name")
        let span = word.span.merged(with: close.span)
        return word.text == "end" ? .end(path: path, span: span) : .offset(path: path, span: span)
    }

    // MARK: - Conditions

    private mutating func parseExpression() throws -> ExpressionSyntax {
        try parseChain(.orOr, operand: { try $0.parseConjunction() }, build: ExpressionSyntax.or)
    }

    private mutating func parseConjunction() throws -> ExpressionSyntax {
        try parseChain(.andAnd, operand: { try $0.parseUnary() }, build: ExpressionSyntax.and)
    }

    /// `a op b op c` as one n-ary node. A line may break after an operator.
    private mutating func parseChain(_ op: TokenKind, operand: (inout Parser) throws -> ExpressionSyntax,
                                     build: ([ExpressionSyntax], SourceSpan) -> ExpressionSyntax) throws -> ExpressionSyntax {
        var operands = [try operand(&self)]
        while true {
            if parenthesisDepth > 0 { skipLineBreaks() }
            guard consume(op) != nil else { break }
            skipLineBreaks()
            operands.append(try operand(&self))
        }
        guard operands.count > 1, let first = operands.first, let last = operands.last else { return operands[0] }
        return build(operands, first.span.merged(with: last.span))
    }

    private mutating func parseUnary() throws -> ExpressionSyntax {
        guard current.kind == .bang else { return try parsePrimary() }
        let bang = advance()
        try enterNesting(at: bang)
        defer { nesting -= 1 }
        let operand = try parseUnary()
        return .not(operand, span: bang.span.merged(with: operand.span))
    }

    private mutating func parsePrimary() throws -> ExpressionSyntax {
        switch current.kind {
        case .identifier:
            return .feature(Located(current.text, advance().span))
        case .leftParen:
            let open = advance()
            try enterNesting(at: open)
            parenthesisDepth += 1
            defer { nesting -= 1; parenthesisDepth -= 1 }
            skipLineBreaks()
            let inner = try parseExpression()
            skipLineBreaks()
            guard current.kind == .rightParen else {
                throw error(at: current, "expected ')' to close '(', found \(current.quoted)",
                            notes: [.init("'(' opens here", at: open.span)])
            }
            return .group(inner, span: open.span.merged(with: advance().span))
        default:
            throw error(at: current, "expected a feature name, '!' or '(' in a condition, found \(current.quoted)")
        }
    }

    // MARK: - Tokens

    private var current: Token { tokens[index] }

    private var previous: Token { tokens[max(0, index - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func consume(_ kind: TokenKind) -> Token? {
        current.kind == kind ? advance() : nil
    }

    private func isKeyword(_ word: String) -> Bool {
        current.kind == .identifier && current.text == word
    }

    @discardableResult
    private mutating func expect(_ kind: TokenKind, _ what: String) throws -> Token {
        if let token = consume(kind) { return token }
        throw error(at: current, "expected \(what), found \(current.quoted)")
    }

    private mutating func expectIdentifier(_ what: String) throws -> Identifier {
        let token = try expect(.identifier, what)
        return Located(token.text, token.span)
    }

    private mutating func expectInteger(_ what: String) throws -> Located<UInt64> {
        guard case .integer(let value) = current.kind else {
            throw error(at: current, "expected \(what), found \(current.quoted)")
        }
        return Located(value, advance().span)
    }

    private mutating func expectVersion(after keyword: String) throws -> Located<SpecVersion> {
        guard case .version(let version) = current.kind else {
            throw error(at: current, "expected a spec version after '\(keyword)', such as 1.2, found \(current.quoted)")
        }
        return Located(version, advance().span)
    }

    private mutating func parseOptionalString() -> Located<String>? {
        guard case .string(let text) = current.kind else { return nil }
        return Located(text, advance().span)
    }

    private mutating func parseDocComments() -> DocSyntax? {
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

    private mutating func expectEndOfLine(after what: String) throws {
        switch current.kind {
        case .newline, .semicolon: advance()
        case .rightBrace, .endOfFile: break
        default: throw error(at: current, "expected the end of the line after \(what), found \(current.quoted)")
        }
    }

    private mutating func skipLineBreaks() {
        while current.kind == .newline || current.kind == .semicolon { advance() }
    }

    private mutating func enterNesting(at token: Token) throws {
        nesting += 1
        if nesting > Self.maximumNesting {
            nesting -= 1
            throw ParseError(diagnostic: Diagnostic(
                .nestingTooDeep, "nesting is deeper than \(Self.maximumNesting) levels", at: token.span))
        }
    }

    // MARK: - Errors

    private func error(at token: Token, _ message: String, notes: [Diagnostic.Note] = []) -> ParseError {
        // The lexer has already explained an invalid token; don't pile a second error on it.
        token.kind == .invalid ? ParseError(diagnostic: nil)
            : ParseError(diagnostic: Diagnostic(.syntax, message, at: token.span, notes: notes))
    }

    private mutating func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Reports the error and skips the rest of the line, stepping over any block it opened, but
    /// never past the `}` that closes the enclosing block.
    private mutating func recover(from error: Error, startedAt start: Int) {
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

    private static func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + last
    }
}
