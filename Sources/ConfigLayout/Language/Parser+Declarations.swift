/// Files, devices, transports, their bodies and features.
extension Parser {
    // MARK: - Declarations

    mutating func parseFile() -> [DeclarationSyntax] {
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

    mutating func parseDeclaration() throws -> DeclarationSyntax {
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
    func unattachedDoc(_ doc: DocSyntax?) throws -> Never {
        let span = doc?.span ?? current.span
        throw ParseError(diagnostic: Diagnostic(.syntax, "doc comment is not followed by a declaration", at: span))
    }

    mutating func parseDevice(doc: DocSyntax?, keyword: Token) throws -> DeviceSyntax {
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

    mutating func parseTransport(doc: DocSyntax?, keyword: Token) throws -> TransportSyntax {
        let title = parseOptionalString()
        let (body, bodySpan) = try parseBody(allowed: .transport, owner: "transport")
        return TransportSyntax(doc: doc, title: title, body: body, headSpan: keyword.span,
                               span: keyword.span.merged(with: bodySpan))
    }

    enum BodyKind {
        case device, transport

        var keywords: [String] {
            switch self {
            case .device: ["spec", "feature", "config", "struct", "union", "qemu", "selector"]
            case .transport: ["spec", "feature", "device_bits"]
            }
        }
    }

    /// `{ item* }`. A missing `}` is reported but keeps the items already parsed.
    mutating func parseBody(allowed: BodyKind, owner: String) throws -> ([BodyItemSyntax], SourceSpan) {
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

    mutating func parseBodyItem(_ kind: BodyKind, owner: String) throws -> BodyItemSyntax {
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
        case "selector":
            item = .selector(try parseSelector(doc: doc, keyword: keyword))
        case "qemu":
            if isKeyword("min_size") {
                advance()
                item = .qemuMinimumSize(try parseSizeAnchor(), keyword: keyword.span)
            } else if isKeyword("feature_size") {
                advance()
                let condition = try parseExpression()
                item = .qemuFeatureSize(condition, try parseSizeAnchor(), keyword: keyword.span)
            } else if isKeyword("property_size") {
                advance()
                guard case .string(let property) = current.kind, !property.isEmpty else {
                    throw error(at: current, "expected a QEMU property in quotes after 'property_size', such as "
                                + "qemu property_size \"qemu-4-0-config-size\" end(poison_val)")
                }
                let name = Located(property, advance().span)
                item = .qemuPropertySize(name, try parseSizeAnchor(), keyword: keyword.span)
            } else {
                throw error(at: current, "expected 'min_size', 'feature_size' or 'property_size' after 'qemu', such "
                            + "as qemu min_size end(mac) or qemu feature_size MTU end(mtu)")
            }
        default: // "device_bits"
            var ranges = [try parseRange(after: "'device_bits'")]
            while consume(.comma) != nil {
                ranges.append(try parseRange(after: "','"))
            }
            item = .deviceBits(ranges, keyword: keyword.span)
        }
        try expectEndOfLine(after: ["config", "struct", "union", "selector"].contains(keyword.text)
                                ? "'}'" : "the \(keyword.text) declaration")
        return item
    }

    mutating func parseFeature(doc: DocSyntax?, keyword: Token) throws -> FeatureSyntax {
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
}
