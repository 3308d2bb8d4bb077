/// Enough of C to read config structs as headers declare them: structs and unions (named,
/// anonymous, nested, referenced by tag or by typedef), scalar members, arrays with a number or a
/// macro between the brackets, several declarators in one declaration, `__attribute__((...))`, and
/// the macros headers put around a struct (`struct __rte_packed_begin name {`, `} QEMU_PACKED;`).
/// It does not compute offsets (the compiler does) and skips what it does not understand. It also
/// keeps what an extract of a struct needs: where each definition is, and the file's `#define`s.
public struct CDeclarations: Sendable {
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
        /// Identifiers between the keyword and the tag (`__rte_packed_begin`), and between the
        /// closing brace and the semicolon (`QEMU_PACKED`), and the attributes written out.
        var openers: [String] = []
        var closers: [String] = []
        var attributes: [String] = []
    }

    /// A top-level definition, by the lines it spans: what an extract copies.
    struct Definition: Sendable {
        let lines: ClosedRange<Int>
        /// The identifiers it uses.
        let uses: [String]
    }

    /// Structs and unions by tag, and by typedef name.
    var aggregates: [String: Aggregate] = [:]
    /// The names that are typedefs, not tags.
    private(set) var typedefs: Set<String> = []
    /// Typedefs of scalars: `typedef uint16_t __le16;` → ["uint16_t"].
    private(set) var scalarTypedefs: [String: [String]] = [:]
    /// Definitions of tags (`struct x`, `union x`, `enum x`) and typedef names.
    private(set) var tagDefinitions: [String: Definition] = [:]
    private(set) var typedefDefinitions: [String: Definition] = [:]
    let source: CSource

    /// `#define NAME NUMBER` lines.
    public var defines: [String: Int] {
        Dictionary(source.defines.compactMap { define in define.number.map { (define.name, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    public init(text: String) {
        source = CSource(text: text)
        var tokens = source.tokens[...]
        while let token = tokens.first {
            let start = tokens.startIndex
            tokens.removeFirst()
            switch token.text {
            case "typedef":
                parseTypedef(&tokens, start: start)
            case "struct", "union", "enum":
                guard let heading = Self.heading(&tokens), let name = heading.name else { continue }
                let (openers, attributes) = (heading.openers, heading.attributes)
                tokens.removeFirst()
                if token.text == "enum" {
                    skip(through: "}", &tokens)
                    skip(through: ";", &tokens)
                    record(tag: name, from: start, to: tokens.startIndex)
                    continue
                }
                guard var body = parseBody(isUnion: token.text == "union", line: token.line, &tokens) else { continue }
                body.openers = openers
                body.attributes += attributes
                var closers: [String] = []
                while let next = tokens.first, next.text != ";" {
                    tokens.removeFirst()
                    if next.text.hasPrefix("__attribute") { body.attributes.append(takeBalancedText(&tokens)); continue }
                    if next.text == "(" { _ = takeBalancedText(&tokens, opened: true); continue }
                    if Self.isIdentifier(next.text) { closers.append(next.text) }
                }
                body.closers = closers
                aggregates[name] = body
                if !tokens.isEmpty { tokens.removeFirst() }
                record(tag: name, from: start, to: tokens.startIndex)
            default:
                continue
            }
        }
    }

    /// `__rte_packed_begin __attribute__((aligned(8))) name {`: the macros, the attributes and the
    /// tag before a brace, which is left to the caller. Nil, with nothing taken, when no brace follows.
    static func heading(_ tokens: inout ArraySlice<CSource.Token>) -> (openers: [String], attributes: [String], name: String?)? {
        var probe = tokens
        var words: [String] = []
        var attributes: [String] = []
        while let token = probe.first, isIdentifier(token.text) {
            probe.removeFirst()
            if token.text.hasPrefix("__attribute") {
                var group = ""
                var depth = 0
                while let inner = probe.first {
                    probe.removeFirst()
                    group += inner.text
                    depth += inner.text == "(" ? 1 : inner.text == ")" ? -1 : 0
                    if depth == 0 { break }
                }
                attributes.append(group)
                continue
            }
            words.append(token.text)
        }
        guard probe.first?.text == "{" else { return nil }
        tokens = probe
        let name = words.popLast()
        return (words, attributes, name)
    }

    /// The tag after `struct` in `struct tag name;`, attributes skipped.
    func takeTag(_ tokens: inout ArraySlice<CSource.Token>) -> String? {
        while let token = tokens.first, token.text.hasPrefix("__attribute") {
            tokens.removeFirst()
            _ = takeBalancedText(&tokens)
        }
        guard let token = tokens.first, Self.isIdentifier(token.text) else { return nil }
        tokens.removeFirst()
        return token.text
    }

    private mutating func record(tag: String, from start: Int, to end: Int) {
        let range = source.tokens[start..<max(start + 1, end)]
        tagDefinitions[tag] = Definition(lines: (range.first?.line ?? 1)...(range.last?.line ?? 1),
                                         uses: range.map(\.text).filter(Self.isIdentifier))
    }

    /// How C names the type: `struct virtio_blk_config`, `union u`, or a typedef's bare name.
    public func typeName(of name: String) -> String {
        let bare = Self.bare(name)
        if typedefs.contains(bare) { return bare }
        return (aggregates[bare]?.isUnion == true ? "union " : "struct ") + bare
    }

    static func bare(_ name: String) -> String {
        name.hasPrefix("struct ") ? String(name.dropFirst(7)) : name.hasPrefix("union ") ? String(name.dropFirst(6)) : name
    }

    /// The names of every struct and union this source defines (tags and typedefs).
    public var structNames: [String] { aggregates.keys.sorted() }

    /// A struct by tag or typedef name (`virtio_blk_config`, `struct virtio_blk_config`), flattened.
    public func declared(_ name: String) -> DeclaredStruct? {
        let bare = Self.bare(name)
        guard let aggregate = aggregates[bare] else { return nil }
        let packingWords = aggregate.openers + aggregate.closers + aggregate.attributes
        let isPacked = packingWords.contains { $0.lowercased().contains("packed") }
        return DeclaredStruct(name: bare, line: aggregate.line, members: leaves(of: aggregate, prefix: "", depth: 0), isPacked: isPacked)
    }

    /// The identifiers around the struct that are probably macros: all capitals, or `__` first.
    func probableMacros(around name: String) -> [String] {
        guard let aggregate = aggregates[Self.bare(name)] else { return [] }
        return (aggregate.openers + aggregate.closers).filter { word in
            word.hasPrefix("__") || word.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" }
        }
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
                if let inner = aggregates[reference], type.hasPrefix("struct ") || type.hasPrefix("union ") || DeclaredKind.c(type) == nil {
                    return leaves(of: inner, prefix: childPrefix, depth: depth + 1)
                }
                return [.init(path: path, typeName: type, kind: kind(of: type), count: nil, isArray: false, isFlexible: false,
                              line: member.line)]
            case .array(let type, let count, let isFlexible):
                return [.init(path: path, typeName: type, kind: kind(of: type), count: count, isArray: true,
                              isFlexible: isFlexible, line: member.line)]
            }
        }
    }

    /// A type's byte-order kind: by its name, else through the file's typedefs (`typedef uint16_t
    /// le16_t;` says le16 by its name; `typedef uint16_t word;` says u16).
    func kind(of type: String, depth: Int = 0) -> String? {
        if let kind = DeclaredKind.c(type) { return kind }
        guard depth < 8, let words = scalarTypedefs[type] else { return nil }
        return DeclaredKind.orderHint(type) ?? words.lazy.compactMap { kind(of: $0, depth: depth + 1) }.first
            ?? kind(of: words.joined(separator: " "), depth: depth + 1)
    }

    // MARK: - Parsing

    /// `typedef struct [tag] { ... } name;`, `typedef struct tag name;` and `typedef T name;`.
    private mutating func parseTypedef(_ tokens: inout ArraySlice<CSource.Token>, start: Int) {
        defer {
            let range = source.tokens[start..<max(start + 1, tokens.startIndex)]
            let definition = Definition(lines: (range.first?.line ?? 1)...(range.last?.line ?? 1),
                                        uses: range.map(\.text).filter(Self.isIdentifier))
            for name in lastDeclared where typedefDefinitions[name] == nil { typedefDefinitions[name] = definition }
        }
        lastDeclared = []
        guard let keyword = tokens.first, keyword.text == "struct" || keyword.text == "union" || keyword.text == "enum" else {
            var words: [String] = []
            while let token = tokens.first, token.text != ";" {
                tokens.removeFirst()
                if token.text.hasPrefix("__attribute") { _ = takeBalancedText(&tokens); continue }
                if token.text == "(" || token.text == "[" { skip(through: ";", &tokens); return }
                words.append(token.text)
            }
            if !tokens.isEmpty { tokens.removeFirst() }
            if let alias = words.popLast(), Self.isIdentifier(alias) {
                scalarTypedefs[alias] = words.filter { !["const", "volatile"].contains($0) }
                lastDeclared = [alias]
            }
            return
        }
        tokens.removeFirst()
        let heading = Self.heading(&tokens)
        let tag: String?
        if let heading { tag = heading.name } else { tag = takeTag(&tokens) }
        let (openers, attributes) = (heading?.openers ?? [], heading?.attributes ?? [])
        var body: Aggregate?
        if heading != nil {
            tokens.removeFirst()
            if keyword.text == "enum" {
                skip(through: "}", &tokens)
            } else {
                body = parseBody(isUnion: keyword.text == "union", line: keyword.line, &tokens)
                body?.openers = openers
                body?.attributes += attributes
                if let tag, let body { aggregates[tag] = body }
            }
        } else if let tag {
            body = aggregates[tag]
        }
        var names: [String] = []
        while let token = tokens.first, token.text != ";" {
            tokens.removeFirst()
            if token.text.hasPrefix("__attribute") { body?.attributes.append(takeBalancedText(&tokens)); continue }
            if token.text == "[" || token.text == "(" { _ = takeBalancedText(&tokens, opened: true); continue }
            if token.text == "," { continue }
            if Self.isIdentifier(token.text) { names.append(token.text) }
        }
        if !tokens.isEmpty { tokens.removeFirst() }
        // `} PACKED name;`: the last identifier is the name; macros before it are closers.
        if let alias = names.popLast() {
            if var body {
                body.closers = names
                aggregates[alias] = body
                if let tag { aggregates[tag] = body }
            }
            typedefs.insert(alias)
            if keyword.text == "enum" { scalarTypedefs[alias] = ["enum"] }
            lastDeclared = [alias]
        }
    }

    var lastDeclared: [String] = []

    /// `20`, `0x14`, `20U`.
    static func number(_ text: String) -> Int? {
        var digits = text.lowercased()
        while let last = digits.last, last == "u" || last == "l" { digits.removeLast() }
        if digits.hasPrefix("0x") { return Int(digits.dropFirst(2), radix: 16) }
        return Int(digits)
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return !["struct", "union", "enum", "typedef", "const", "volatile", "unsigned", "signed", "char", "short", "int", "long",
                 "void", "static", "extern", "inline", "sizeof", "__extension__"].contains(text)
    }
}
