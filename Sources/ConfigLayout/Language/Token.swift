public enum TokenKind: Equatable, Sendable {
    case identifier
    case integer(UInt64)
    /// `1.4`: a spec version. `1...4` is an integer, an ellipsis and an integer.
    case version(SpecVersion)
    case string(String)
    /// `/// text`: documentation for the declaration that follows.
    case docComment(String)
    case leftBrace, rightBrace, leftParen, rightParen, leftBracket, rightBracket
    case comma, semicolon, equals, dot, ellipsis
    case bang, andAnd, orOr
    case newline
    case endOfFile
    /// Bytes the lexer could not make sense of; it has already reported them.
    case invalid

    /// How a token is named in "expected X, found Y".
    public var description: String {
        switch self {
        case .identifier: "identifier"
        case .integer: "integer"
        case .version: "version"
        case .string: "string"
        case .docComment: "doc comment"
        case .leftBrace: "'{'"
        case .rightBrace: "'}'"
        case .leftParen: "'('"
        case .rightParen: "')'"
        case .leftBracket: "'['"
        case .rightBracket: "']'"
        case .comma: "','"
        case .semicolon: "';'"
        case .equals: "'='"
        case .dot: "'.'"
        case .ellipsis: "'...'"
        case .bang: "'!'"
        case .andAnd: "'&&'"
        case .orOr: "'||'"
        case .newline: "end of line"
        case .endOfFile: "end of file"
        case .invalid: "invalid input"
        }
    }
}

public struct Token: Sendable, Equatable {
    public let kind: TokenKind
    public let span: SourceSpan

    public var text: String { span.text }

    /// "identifier 'foo'", "integer 3", "'{'": the token as a diagnostic quotes it.
    public var quoted: String {
        switch kind {
        case .identifier: "'\(text)'"
        case .integer, .version: text
        case .string: "string \(text)"
        default: kind.description
        }
    }
}
