/// Enough of C to read config structs as headers declare them: structs and unions (named,
/// anonymous, nested, referenced by tag or by typedef), scalar members, arrays with a number or a
/// macro between the brackets, several declarators in one declaration, and `__attribute__((...))`.
/// It does not compute offsets (the compiler does) and skips what it does not understand. It also
/// keeps `#define NAME NUMBER` lines, for feature bits.
public struct CDeclarations: Sendable {
    struct Token: Equatable, Sendable {
        let text: String
        let line: Int
    }

    indirect enum MemberType: Equatable, Sendable {
        case named(String)
        case array(String, count: Int?, isFlexible: Bool)
        case aggregate(Aggregate)
    }

    struct Member: Equatable, Sendable {
        /// Nil for an anonymous struct or union, whose members belong to the parent.
        let name: String?
        let type: MemberType
        let line: Int
    }

    struct Aggregate: Equatable, Sendable {
        let isUnion: Bool
        let members: [Member]
        let line: Int
    }

    /// Structs and unions by tag, and by typedef name.
    private(set) var aggregates: [String: Aggregate] = [:]
    /// The names that are typedefs, not tags.
    private(set) var typedefs: Set<String> = []
    /// `#define NAME NUMBER` lines.
    public private(set) var defines: [String: Int] = [:]

    public init(text: String) {
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count >= 3, words[0] == "#define", let value = Int(words[2]) { defines[String(words[1])] = value }
        }
        var tokens = Self.tokenize(Self.withoutCommentsAndDirectives(text))[...]
        while let token = tokens.first {
            tokens.removeFirst()
            switch token.text {
            case "typedef":
                parseTypedef(&tokens)
            case "struct", "union":
                guard let name = tokens.first, Self.isIdentifier(name.text), tokens.dropFirst().first?.text == "{" else { continue }
                tokens.removeFirst(2)
                if let body = parseBody(isUnion: token.text == "union", line: token.line, &tokens) {
                    aggregates[name.text] = body
                }
            default:
                continue
            }
        }
    }

    /// How C names the type: `struct virtio_blk_config`, `union u`, or a typedef's bare name.
    public func typeName(of name: String) -> String {
        let bare = name.hasPrefix("struct ") ? String(name.dropFirst(7)) : name.hasPrefix("union ") ? String(name.dropFirst(6)) : name
        if typedefs.contains(bare) { return bare }
        return (aggregates[bare]?.isUnion == true ? "union " : "struct ") + bare
    }

    /// The names of every struct and union this source defines (tags and typedefs).
    public var structNames: [String] { aggregates.keys.sorted() }

    /// A struct by tag or typedef name (`virtio_blk_config`, `struct virtio_blk_config`), flattened.
    public func declared(_ name: String) -> DeclaredStruct? {
        let bare = name.hasPrefix("struct ") ? String(name.dropFirst(7)) : name.hasPrefix("union ") ? String(name.dropFirst(6)) : name
        guard let aggregate = aggregates[bare] else { return nil }
        return DeclaredStruct(name: bare, line: aggregate.line, members: leaves(of: aggregate, prefix: "", depth: 0))
    }

    private func leaves(of aggregate: Aggregate, prefix: String, depth: Int) -> [DeclaredStruct.Member] {
        guard depth < 16 else { return [] }
        return aggregate.members.flatMap { member -> [DeclaredStruct.Member] in
            let path = member.name.map { prefix + $0 } ?? ""
            let childPrefix = member.name.map { prefix + $0 + "." } ?? prefix
            switch member.type {
            case .aggregate(let inner):
                return leaves(of: inner, prefix: childPrefix, depth: depth + 1)
            case .named(let type):
                let reference = type.split(separator: " ").last.map(String.init) ?? type
                if let inner = aggregates[reference], type.hasPrefix("struct ") || type.hasPrefix("union ") || !Self.isScalarName(type) {
                    return leaves(of: inner, prefix: childPrefix, depth: depth + 1)
                }
                return [.init(path: path, typeName: type, count: nil, isArray: false, isFlexible: false, line: member.line)]
            case .array(let type, let count, let isFlexible):
                return [.init(path: path, typeName: type, count: count, isArray: true, isFlexible: isFlexible, line: member.line)]
            }
        }
    }

    /// Names C itself gives scalars, which no typedef of the user's can shadow here.
    private static func isScalarName(_ type: String) -> Bool {
        DeclaredKind.c(type) != nil
    }

    // MARK: - Parsing

    /// `typedef struct [tag] { ... } name;` and `typedef struct tag name;`.
    private mutating func parseTypedef(_ tokens: inout ArraySlice<Token>) {
        guard let keyword = tokens.first, keyword.text == "struct" || keyword.text == "union" else {
            skip(through: ";", &tokens)
            return
        }
        tokens.removeFirst()
        var tag: String?
        if let name = tokens.first, Self.isIdentifier(name.text) {
            tag = name.text
            tokens.removeFirst()
        }
        var body: Aggregate?
        if tokens.first?.text == "{" {
            tokens.removeFirst()
            body = parseBody(isUnion: keyword.text == "union", line: keyword.line, &tokens)
            if let tag, let body { aggregates[tag] = body }
        } else if let tag {
            body = aggregates[tag]
        }
        skipAttributes(&tokens)
        if let alias = tokens.first, Self.isIdentifier(alias.text), let body {
            aggregates[alias.text] = body
            typedefs.insert(alias.text)
        }
        skip(through: ";", &tokens)
    }

    private mutating func parseBody(isUnion: Bool, line: Int, _ tokens: inout ArraySlice<Token>) -> Aggregate? {
        var members: [Member] = []
        while let token = tokens.first, token.text != "}" {
            if token.text == "struct" || token.text == "union" {
                tokens.removeFirst()
                var innerName: String?
                if let next = tokens.first, Self.isIdentifier(next.text) {
                    innerName = next.text
                    tokens.removeFirst()
                }
                if tokens.first?.text == "{" {
                    tokens.removeFirst()
                    guard let inner = parseBody(isUnion: token.text == "union", line: token.line, &tokens) else { return nil }
                    if let innerName { aggregates[innerName] = inner }
                    skipAttributes(&tokens)
                    let declarators = declaratorNames(&tokens)
                    if declarators.isEmpty { members.append(Member(name: nil, type: .aggregate(inner), line: token.line)) }
                    for name in declarators { members.append(Member(name: name.text, type: .aggregate(inner), line: name.line)) }
                } else if let innerName {
                    for name in declaratorNames(&tokens) {
                        members.append(Member(name: name.text, type: .named("\(token.text) \(innerName)"), line: name.line))
                    }
                }
                continue
            }
            members += parseDeclaration(&tokens)
        }
        guard tokens.first?.text == "}" else { return nil }
        tokens.removeFirst()
        skipAttributes(&tokens)
        return Aggregate(isUnion: isUnion, members: members, line: line)
    }

    /// `type a, b[4], c;` as members; a bit-field or anything unreadable is skipped.
    private func parseDeclaration(_ tokens: inout ArraySlice<Token>) -> [Member] {
        var typeWords: [String] = []
        var members: [Member] = []
        var pending: Token?
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
                let count = inside.count == 1 ? Int(inside[0]) : nil
                members.append(Member(name: name.text, type: .array(join(typeWords), count: count, isFlexible: isFlexible),
                                      line: name.line))
                pending = nil
            case ":", "(":
                // A bit-field or a function pointer: not a config field cfgspace can hold.
                skip(through: ";", &tokens)
                return members
            case "__attribute__":
                skipBalanced(&tokens)
            case "*":
                typeWords.append("*")
            default:
                if let name = pending { typeWords.append(name.text) }
                if token.text != "const" && token.text != "volatile" { pending = token } else { pending = nil }
            }
        }
        return members
    }

    private func join(_ words: [String]) -> String { words.filter { $0 != "const" && $0 != "volatile" }.joined(separator: " ") }

    /// Declarator names up to ';' (for `struct {...} a, b;`): the last identifier of each, so an
    /// attribute macro before a name (`} PACKED u;`) is not taken for one.
    private func declaratorNames(_ tokens: inout ArraySlice<Token>) -> [Token] {
        var names: [Token] = []
        var current: Token?
        while let token = tokens.first {
            tokens.removeFirst()
            if token.text == ";" || token.text == "," {
                if let name = current { names.append(name) }
                current = nil
                if token.text == ";" { break }
                continue
            }
            if token.text == "[" { skip(through: "]", &tokens); continue }
            if token.text == "__attribute__" { skipBalanced(&tokens); continue }
            if token.text == "(" {
                // A macro's arguments (`ALIGNED(8)`): not a name.
                var depth = 1
                while depth > 0, let inner = tokens.first {
                    tokens.removeFirst()
                    depth += inner.text == "(" ? 1 : inner.text == ")" ? -1 : 0
                }
                continue
            }
            if Self.isIdentifier(token.text) { current = token }
        }
        return names
    }

    private func skipAttributes(_ tokens: inout ArraySlice<Token>) {
        while tokens.first?.text == "__attribute__" {
            tokens.removeFirst()
            skipBalanced(&tokens)
        }
    }

    /// Skips a parenthesised group: `((packed, aligned(4)))`.
    private func skipBalanced(_ tokens: inout ArraySlice<Token>) {
        guard tokens.first?.text == "(" else { return }
        var depth = 0
        while let token = tokens.first {
            tokens.removeFirst()
            if token.text == "(" { depth += 1 }
            if token.text == ")" { depth -= 1; if depth == 0 { return } }
        }
    }

    private func skip(through terminator: String, _ tokens: inout ArraySlice<Token>) {
        while let token = tokens.first {
            tokens.removeFirst()
            if token.text == terminator { return }
        }
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return !["struct", "union", "typedef", "const", "volatile", "__attribute__"].contains(text)
    }

    /// Comments and preprocessor lines become spaces, keeping every newline so lines stay true.
    static func withoutCommentsAndDirectives(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var atLineStart = true
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : " "
            if scalar == "/" && next == "*" {
                index += 2
                while index < scalars.count && !(scalars[index] == "*" && index + 1 < scalars.count && scalars[index + 1] == "/") {
                    if scalars[index] == "\n" { out.append("\n") }
                    index += 1
                }
                index += 2
                continue
            }
            if (scalar == "/" && next == "/") || (scalar == "#" && atLineStart) {
                // To the end of the line, a directive's continuation lines too.
                while index < scalars.count && scalars[index] != "\n" {
                    if scalars[index] == "\\" && index + 1 < scalars.count && scalars[index + 1] == "\n" {
                        out.append("\n")
                        index += 1
                    }
                    index += 1
                }
                continue
            }
            if scalar == "\n" { atLineStart = true } else if scalar != " " && scalar != "\t" { atLineStart = false }
            out.append(scalar)
            index += 1
        }
        return String(out)
    }

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var word = ""
        var line = 1
        for character in text {
            if character.isLetter || character.isNumber || character == "_" {
                word.append(character)
                continue
            }
            if !word.isEmpty { tokens.append(Token(text: word, line: line)); word = "" }
            if "{}[]();,*:".contains(character) { tokens.append(Token(text: String(character), line: line)) }
            if character == "\n" { line += 1 }
        }
        if !word.isEmpty { tokens.append(Token(text: word, line: line)) }
        return tokens
    }
}
