/// The members of a struct or union body, as CDeclarations reads them: nested aggregates, scalar
/// and array members, several declarators to a declaration, attributes skipped.
extension CDeclarations {
    mutating func parseBody(isUnion: Bool, line: Int, _ tokens: inout ArraySlice<CSource.Token>) -> Aggregate? {
        var members: [Member] = []
        while let token = tokens.first, token.text != "}" {
            if token.text == "struct" || token.text == "union" {
                tokens.removeFirst()
                let heading = Self.heading(&tokens)
                let innerName: String?
                if let heading { innerName = heading.name } else { innerName = takeTag(&tokens) }
                if heading != nil {
                    tokens.removeFirst()
                    guard let inner = parseBody(isUnion: token.text == "union", line: token.line, &tokens) else { return nil }
                    if let innerName { aggregates[innerName] = inner }
                    let declarators = declaratorNames(&tokens)
                    if declarators.isEmpty { members.append(Member(name: nil, type: .aggregate(inner), line: token.line)) }
                    for name in declarators {
                        let type: MemberType = name.count.map { .array("\(token.text) \(innerName ?? "")", count: $0, isFlexible: false) }
                            ?? .aggregate(inner)
                        members.append(Member(name: name.token.text, type: type, line: name.token.line))
                    }
                } else if let innerName {
                    for name in declaratorNames(&tokens) {
                        let type = "\(token.text) \(innerName)"
                        members.append(Member(name: name.token.text, type: name.count.map { .array(type, count: $0, isFlexible: false) }
                                              ?? .named(type), line: name.token.line))
                    }
                }
                continue
            }
            members += parseDeclaration(&tokens)
        }
        guard tokens.first?.text == "}" else { return nil }
        tokens.removeFirst()
        var attributes: [String] = []
        while tokens.first?.text.hasPrefix("__attribute") == true {
            tokens.removeFirst()
            attributes.append(takeBalancedText(&tokens))
        }
        return Aggregate(isUnion: isUnion, members: members, line: line, attributes: attributes)
    }

    /// `type a, b[4], c;` as members; a bit-field or anything unreadable is skipped.
    func parseDeclaration(_ tokens: inout ArraySlice<CSource.Token>) -> [Member] {
        var typeWords: [String] = []
        var members: [Member] = []
        var pending: CSource.Token?
        while let token = tokens.first {
            tokens.removeFirst()
            switch token.text {
            case ";":
                if let name = pending { members.append(Member(name: name.text, type: .named(join(typeWords)), line: name.line)) }
                return members
            case ",":
                if let name = pending { members.append(Member(name: name.text, type: .named(join(typeWords)), line: name.line)) }
                pending = nil
            case "[":
                guard let name = pending else { skip(through: ";", &tokens); return members }
                let isFlexible = tokens.first?.text == "]"
                var inside: [String] = []
                while let next = tokens.first, next.text != "]" { inside.append(next.text); tokens.removeFirst() }
                if !tokens.isEmpty { tokens.removeFirst() }
                let count = inside.count == 1 ? Self.number(inside[0]) : nil
                members.append(Member(name: name.text, type: .array(join(typeWords), count: count, isFlexible: isFlexible),
                                      line: name.line))
                pending = nil
            case ":", "(":
                // A bit-field or a function pointer: not a config field cfgspace can hold.
                skip(through: ";", &tokens)
                return members
            case "*":
                typeWords.append("*")
            default:
                if token.text.hasPrefix("__attribute") { _ = takeBalancedText(&tokens); continue }
                if let name = pending { typeWords.append(name.text) }
                if token.text != "const" && token.text != "volatile" { pending = token } else { pending = nil }
            }
        }
        return members
    }

    func join(_ words: [String]) -> String { words.filter { $0 != "const" && $0 != "volatile" }.joined(separator: " ") }

    /// Declarator names up to ';' (for `struct {...} a, b[2];`): the last identifier of each, so an
    /// attribute macro before a name (`} PACKED u;`) is not taken for one.
    func declaratorNames(_ tokens: inout ArraySlice<CSource.Token>) -> [(token: CSource.Token, count: Int?)] {
        var names: [(CSource.Token, Int?)] = []
        var current: CSource.Token?
        var count: Int?
        while let token = tokens.first {
            tokens.removeFirst()
            if token.text == ";" || token.text == "," {
                if let name = current { names.append((name, count)) }
                current = nil
                count = nil
                if token.text == ";" { break }
                continue
            }
            if token.text == "[" {
                var inside: [String] = []
                while let next = tokens.first, next.text != "]" { inside.append(next.text); tokens.removeFirst() }
                if !tokens.isEmpty { tokens.removeFirst() }
                count = inside.count == 1 ? Self.number(inside[0]) : nil
                continue
            }
            if token.text.hasPrefix("__attribute") { _ = takeBalancedText(&tokens); continue }
            // A macro's arguments (`ALIGNED(8)`): not a name.
            if token.text == "(" { _ = takeBalancedText(&tokens, opened: true); continue }
            if Self.isIdentifier(token.text) { current = token }
        }
        return names
    }

    /// A parenthesised group as text: `((packed, aligned(4)))`.
    func takeBalancedText(_ tokens: inout ArraySlice<CSource.Token>, opened: Bool = false) -> String {
        var depth = opened ? 1 : 0
        var text = opened ? "(" : ""
        if !opened, tokens.first?.text != "(" { return "" }
        while let token = tokens.first {
            tokens.removeFirst()
            text += token.text
            if token.text == "(" { depth += 1 }
            if token.text == ")" { depth -= 1; if depth == 0 { break } }
        }
        return text
    }

    func skip(through terminator: String, _ tokens: inout ArraySlice<CSource.Token>) {
        while let token = tokens.first {
            tokens.removeFirst()
            if token.text == terminator { return }
        }
    }
}
