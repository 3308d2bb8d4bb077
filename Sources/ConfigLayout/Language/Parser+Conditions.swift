/// Feature conditions: `!`, `&&`, `||` and parentheses, with n-ary chains.
extension Parser {
    // MARK: - Conditions

    mutating func parseExpression() throws -> ExpressionSyntax {
        try parseChain(.orOr, operand: { try $0.parseConjunction() }, build: ExpressionSyntax.or)
    }

    mutating func parseConjunction() throws -> ExpressionSyntax {
        try parseChain(.andAnd, operand: { try $0.parseUnary() }, build: ExpressionSyntax.and)
    }

    /// `a op b op c` as one n-ary node. A line may break after an operator.
    mutating func parseChain(_ op: TokenKind, operand: (inout Parser) throws -> ExpressionSyntax,
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

    mutating func parseUnary() throws -> ExpressionSyntax {
        guard current.kind == .bang else { return try parsePrimary() }
        let bang = advance()
        try enterNesting(at: bang)
        defer { nesting -= 1 }
        let operand = try parseUnary()
        return .not(operand, span: bang.span.merged(with: operand.span))
    }

    mutating func parsePrimary() throws -> ExpressionSyntax {
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
}
