/// `selector u by select, subsel sized by size { NAME = VALUE MEMBER [per subsel] ... }`.
extension Parser {
    mutating func parseSelector(doc: DocSyntax?, keyword: Token) throws -> SelectorSyntax {
        var union = [try expectIdentifier("the union after 'selector', such as 'selector u by select'")]
        while consume(.dot) != nil {
            union.append(try expectIdentifier("a member name after '.'"))
        }
        guard isKeyword("by") else { throw error(at: current, "expected 'by' and the selector field after the union") }
        advance()
        let select = try expectIdentifier("the field whose value selects, after 'by'")
        var subselect: Identifier?
        if consume(.comma) != nil {
            subselect = try expectIdentifier("the subselector field after ','")
        }
        var size: Identifier?
        if isKeyword("sized") {
            advance()
            guard isKeyword("by") else { throw error(at: current, "expected 'by' after 'sized'") }
            advance()
            size = try expectIdentifier("the field that holds the size, after 'sized by'")
        }
        skipLineBreaks()
        let open = try expect(.leftBrace, "'{' to open the selector's cases")
        var cases: [SelectorCaseSyntax] = []
        while true {
            skipLineBreaks()
            if current.kind == .rightBrace {
                let close = advance()
                return SelectorSyntax(doc: doc, union: union, select: select, subselect: subselect, size: size,
                                      cases: cases, span: keyword.span.merged(with: close.span))
            }
            if current.kind == .endOfFile {
                throw error(at: current, "expected '}' to close the selector", notes: [.init("it opens here", at: open.span)])
            }
            let start = index
            do {
                cases.append(try parseSelectorCase())
                try expectEndOfLine(after: "the selector case")
            } catch {
                recover(from: error, startedAt: start)
            }
        }
    }

    private mutating func parseSelectorCase() throws -> SelectorCaseSyntax {
        let name = try expectIdentifier("a case name, such as 'ID_NAME = 0x01 string'")
        try expect(.equals, "'=' and the selector value after '\(name.value)'")
        let value = try expectInteger("the selector value after '='")
        let member = try expectIdentifier("the union member the value fills, after the value")
        var perSubselect = false
        var end = member.span
        if isKeyword("per") {
            advance()
            guard isKeyword("subsel") else { throw error(at: current, "expected 'subsel' after 'per'") }
            end = advance().span
            perSubselect = true
        }
        return SelectorCaseSyntax(name: name, value: value, member: member, perSubselect: perSubselect,
                                  span: name.span.merged(with: end))
    }
}
