/// Structs, unions and fields, with their clauses, ranges and size anchors.
extension Parser {
    // MARK: - Structs, unions and fields

    mutating func parseAggregate(doc: DocSyntax?, kind: Located<AggregateKind>,
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

    mutating func parseField() throws -> FieldSyntax {
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

    mutating func parseType() throws -> TypeSyntax {
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
            if current.kind == .identifier {
                let count = try expectIdentifier("the field that holds the array length")
                let close = try expect(.rightBracket, "']' after the length field")
                type = .flexibleArray(element: type, count: count, span: type.span.merged(with: close.span))
                continue
            }
            let count = try expectInteger("the array length, or the field that holds it")
            let close = try expect(.rightBracket, "']' after the array length")
            type = .array(element: type, count: count, span: type.span.merged(with: close.span))
        }
        return type
    }

    mutating func parseFieldClause(field: String) throws -> FieldClauseSyntax {
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

    mutating func parseConditionClause(keyword: SourceSpan) throws -> ConditionClauseSyntax {
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

    mutating func parseRange(after context: String) throws -> RangeSyntax {
        let lower = try expectInteger("a number after \(context)")
        guard consume(.ellipsis) != nil else {
            return RangeSyntax(lower: lower, upper: lower, span: lower.span)
        }
        let upper = try expectInteger("the upper bound after '...'")
        return RangeSyntax(lower: lower, upper: upper, span: lower.span.merged(with: upper.span))
    }

    mutating func parseSizeAnchor() throws -> SizeAnchorSyntax {
        if case .integer(let value) = current.kind {
            return .bytes(Located(value, advance().span))
        }
        guard isKeyword("end") || isKeyword("offset") || isKeyword("selected") else {
            throw error(at: current, "expected end(FIELD), offset(FIELD), selected(UNION) or a byte count, "
                        + "found \(current.quoted)")
        }
        let word = advance()
        try expect(.leftParen, "'(' after '\(word.text)'")
        var path = [try expectIdentifier("a field name")]
        while consume(.dot) != nil {
            path.append(try expectIdentifier("a member name after '.'"))
        }
        let close = try expect(.rightParen, "')' after the field name")
        let span = word.span.merged(with: close.span)
        switch word.text {
        case "end": return .end(path: path, span: span)
        case "offset": return .offset(path: path, span: span)
        default: return .selected(path: path, span: span)
        }
    }
}
