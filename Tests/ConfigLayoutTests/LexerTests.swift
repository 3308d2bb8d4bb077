import Testing
@testable import ConfigLayout

@Suite struct LexerTests {
    private func kinds(_ text: String) -> [TokenKind] {
        Lexer.tokenize(SourceFile(path: "t.layout", text: text)).tokens.map(\.kind)
    }

    @Test func numbersInEveryBase() {
        #expect(kinds("3 0x8000 0b101 65_535") == [.integer(3), .integer(0x8000), .integer(5), .integer(65535), .endOfFile])
    }

    @Test func versionsAndRangesAreToldApart() {
        #expect(kinds("1.4") == [.version(SpecVersion(major: 1, minor: 4)), .endOfFile])
        #expect(kinds("1...0x8000") == [.integer(1), .ellipsis, .integer(0x8000), .endOfFile])
    }

    @Test func operatorsAndPunctuation() {
        #expect(kinds("!a && (b || c)") == [.bang, .identifier, .andAnd, .leftParen, .identifier, .orOr, .identifier,
                                             .rightParen, .endOfFile])
        #expect(kinds("{ } [ ] , ; = .") == [.leftBrace, .rightBrace, .leftBracket, .rightBracket, .comma, .semicolon,
                                             .equals, .dot, .endOfFile])
    }

    @Test func commentsVanishButDocCommentsStay() {
        #expect(kinds("a // note\n/// doc\n//// rule\nb") == [.identifier, .newline, .docComment("doc"), .newline,
                                                              .newline, .identifier, .endOfFile])
    }

    @Test func stringEscapes() {
        #expect(kinds(#""a\"b\\c\nd""#) == [.string("a\"b\\c\nd"), .endOfFile])
    }

    @Test func garbageBecomesOneDiagnosticPerRun() {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(path: "t.layout", bytes: [0x61, 0xFF, 0xFE, 0x24, 0x20, 0x62]))
        #expect(tokens.map(\.kind) == [.identifier, .invalid, .identifier, .endOfFile])
        #expect(diagnostics.map(\.kind) == [.unexpectedCharacter])
        #expect(diagnostics.first?.message == "unexpected characters")
    }

    @Test func numbersThatAreNotNumbers() {
        let (_, diagnostics) = Lexer.tokenize(SourceFile(path: "t.layout", text: "0x 12ab 0b102 184467440737095516160"))
        #expect(diagnostics.map(\.kind) == [.malformedNumber, .malformedNumber, .malformedNumber, .numberTooLarge])
    }

    @Test func columnsCountCharactersNotBytes() {
        let file = SourceFile(path: "t.layout", text: "/// é\nfeature ÿ")
        #expect(file.location(of: 6) == SourceLocation(line: 1, column: 6))
        let (_, diagnostics) = Lexer.tokenize(file)
        #expect(diagnostics.first?.span.location == SourceLocation(line: 2, column: 9))
    }
}
