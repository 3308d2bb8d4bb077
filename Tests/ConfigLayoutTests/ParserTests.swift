import Testing
@testable import ConfigLayout

@Suite struct ParserTests {
    private func parse(_ text: String) -> (LayoutFileSyntax, [Diagnostic]) {
        Parser.parse(SourceFile(path: "t.layout", text: text))
    }

    @Test func chainsAreWideNotDeep() {
        let (syntax, diagnostics) = parse("device d = 1 { config c { x u8 if A || B || C && D && E } }")
        #expect(diagnostics.isEmpty)
        guard case .device(let device) = syntax.declarations.first,
              case .config(let config) = device.body.first,
              case .existsIf(let clause) = config.fields.first?.clauses.first,
              case .or(let operands, _) = clause.expression else {
            Issue.record("unexpected tree")
            return
        }
        #expect(operands.count == 3)
        if case .and(let inner, _) = operands[2] { #expect(inner.count == 3) } else { Issue.record("expected &&") }
    }

    @Test func conditionsContinueAfterOperatorsAndInsideParentheses() {
        let (_, diagnostics) = parse("""
            device d = 1 {
              config c {
                x u8 if A &&
                        B
                y u8 if (A
                         || B)
              }
            }
            """)
        #expect(diagnostics.isEmpty)
    }

    @Test func recoveryGoesOnToTheNextLine() {
        let (syntax, diagnostics) = parse("""
            device d = 1 {
              feature = 3
              feature B = 4
              config c {
                x u8 if )
                y u8
              }
            }
            """)
        #expect(diagnostics.count == 2)
        guard case .device(let device) = syntax.declarations.first else {
            Issue.record("device lost")
            return
        }
        // The good feature and field survive.
        #expect(device.body.count == 2)
        if case .config(let config) = device.body.last { #expect(config.fields.map(\.name.value) == ["y"]) }
    }

    @Test func nestingHasALimit() {
        // The config block is one level; the parentheses bring it to one past the limit.
        let depth = Parser.maximumNesting
        let text = "device d = 1 { config c { x u8 if " + String(repeating: "(", count: depth) + "A"
            + String(repeating: ")", count: depth) + " } }"
        let (_, diagnostics) = parse(text)
        #expect(diagnostics.map(\.kind) == [.nestingTooDeep])
        let (_, fine) = parse("device d = 1 { config c { x u8 if " + String(repeating: "(", count: depth - 1) + "A"
            + String(repeating: ")", count: depth - 1) + " } }")
        #expect(fine.isEmpty)
    }

    @Test func aMissingBraceKeepsWhatWasParsed() {
        let (syntax, diagnostics) = parse("device d = 1 {\n  feature A = 1\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.notes.first?.message == "the body opens here")
        if case .device(let device) = syntax.declarations.first { #expect(device.body.count == 1) }
    }
}
