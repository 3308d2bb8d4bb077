/// A Rust module's items, read at the item level only: structs, unions and tuple structs with
/// their fields, enums, type aliases, constants and statics, `use` declarations and nested
/// modules. Functions, impls, traits and macro invocations are skipped whole, bodies and all, so
/// whatever a crate writes inside them (let-chains, async, newer syntax) never matters.
struct RustItem: Sendable {
    enum Kind: Sendable {
        case structure(RustStruct)
        /// An enum, kept whole to be written out again.
        case enumeration
        case alias(type: ArraySlice<RustToken>)
        case constant(type: ArraySlice<RustToken>, value: ArraySlice<RustToken>)
        /// `mod name { ... }` (items) or `mod name;` (nil: its own file).
        case module([RustItem]?)
        case use([RustUse])
    }

    let name: String
    let kind: Kind
    let line: Int
    let attributes: [RustAttribute]
    /// Generic parameters as written, `<T>`, or empty.
    let generics: ArraySlice<RustToken>
    /// The whole item from its keyword, attributes and visibility left out.
    let tokens: ArraySlice<RustToken>
}

struct RustAttribute: Sendable {
    /// The tokens between `#[` and `]`.
    let tokens: ArraySlice<RustToken>
    var name: String { tokens.first?.text ?? "" }
    var line: Int { tokens.first?.line ?? 0 }
    var text: String { RustTokenizer.text(tokens) }

    /// `repr(C, packed)` → ["C", "packed"]; `repr(packed(2))` → ["packed(2)"].
    var reprHints: [String]? {
        guard name == "repr" else { return nil }
        let inner = tokens.dropFirst()
        guard inner.first?.is("(") == true else { return [] }
        return RustItemReader.split(inner.dropFirst().dropLast(), on: ",").map { RustTokenizer.text($0) }
    }

    /// `path = "x.rs"` → "x.rs".
    var pathValue: String? {
        guard name == "path", let literal = tokens.last, literal.kind == .literal, literal.text.hasPrefix("\"") else { return nil }
        return String(literal.text.dropFirst().dropLast())
    }
}

struct RustStruct: Sendable {
    enum Shape: Sendable { case named, tuple, unit }

    struct Field: Sendable {
        /// The field's name, or its index in a tuple struct.
        let name: String
        let type: ArraySlice<RustToken>
        let line: Int
        let attributes: [RustAttribute]
    }

    let isUnion: Bool
    let shape: Shape
    let fields: [Field]
}

/// One name a `use` brings in: `use a::b as c` binds `c` to a::b; `use a::*` binds every name.
struct RustUse: Sendable {
    /// The path's segments; a leading `::` is the segment "::".
    let path: [String]
    /// Nil for a glob.
    let binding: String?
}

enum RustItemReader {
    static func items(_ tokens: [RustToken]) -> [RustItem] {
        var slice = tokens[...]
        return items(&slice, inBraces: false)
    }

    static func items(_ tokens: inout ArraySlice<RustToken>, inBraces: Bool) -> [RustItem] {
        let all = tokens
        var items: [RustItem] = []
        var attributes: [RustAttribute] = []
        while let token = tokens.first {
            if inBraces, token.is("}") { tokens.removeFirst(); break }
            if token.is("#") {
                tokens.removeFirst()
                let inner = tokens.first?.is("!") == true
                if inner { tokens.removeFirst() }
                if let group = takeGroup(&tokens), !inner { attributes.append(RustAttribute(tokens: group.dropFirst().dropLast())) }
                continue
            }
            if token.is(";") { tokens.removeFirst(); attributes = []; continue }
            skipVisibility(&tokens)
            while let word = tokens.first?.text, ["unsafe", "async", "default", "auto"].contains(word) { tokens.removeFirst() }
            guard let keyword = tokens.first else { break }
            let start = tokens.startIndex
            switch keyword.kind == .identifier ? keyword.text : "" {
            case "struct", "union":
                // `union` is a keyword only before a name.
                guard let name = tokens.dropFirst().first, name.kind == .identifier else { skipItem(&tokens); break }
                tokens.removeFirst(2)
                let generics = takeGenerics(&tokens)
                skipWhere(&tokens)
                var shape = RustStruct.Shape.unit
                var fields: [RustStruct.Field] = []
                if let group = tokens.first, group.is("{") || group.is("("), let body = takeGroup(&tokens) {
                    shape = group.is("{") ? .named : .tuple
                    fields = self.fields(body.dropFirst().dropLast(), tuple: shape == .tuple)
                    skipWhere(&tokens)
                }
                if tokens.first?.is(";") == true { tokens.removeFirst() }
                let structure = RustStruct(isUnion: keyword.text == "union", shape: shape, fields: fields)
                items.append(RustItem(name: name.name, kind: .structure(structure), line: keyword.line, attributes: attributes,
                                      generics: generics, tokens: all[start..<tokens.startIndex]))
            case "enum":
                guard let name = tokens.dropFirst().first else { skipItem(&tokens); break }
                tokens.removeFirst(2)
                let generics = takeGenerics(&tokens)
                skipItem(&tokens)
                items.append(RustItem(name: name.name, kind: .enumeration, line: keyword.line, attributes: attributes,
                                      generics: generics, tokens: all[start..<tokens.startIndex]))
            case "type":
                guard let name = tokens.dropFirst().first else { skipItem(&tokens); break }
                tokens.removeFirst(2)
                let generics = takeGenerics(&tokens)
                guard tokens.first?.is("=") == true else { skipItem(&tokens); break }
                tokens.removeFirst()
                let type = takeUntilSemicolon(&tokens)
                items.append(RustItem(name: name.name, kind: .alias(type: type), line: keyword.line, attributes: attributes,
                                      generics: generics, tokens: all[start..<tokens.startIndex]))
            case "const", "static":
                tokens.removeFirst()
                if tokens.first?.text == "mut" { tokens.removeFirst() }
                // `const fn` and `const unsafe fn` are functions.
                guard let name = tokens.first, name.kind == .identifier, tokens.dropFirst().first?.is(":") == true else {
                    skipItem(&tokens)
                    break
                }
                tokens.removeFirst(2)
                let type = takeUntil(&tokens, "=")
                let value = takeUntilSemicolon(&tokens)
                if name.text != "_" {
                    items.append(RustItem(name: name.name, kind: .constant(type: type, value: value), line: keyword.line,
                                          attributes: attributes, generics: [], tokens: all[start..<tokens.startIndex]))
                }
            case "mod":
                guard let name = tokens.dropFirst().first else { skipItem(&tokens); break }
                tokens.removeFirst(2)
                var inner: [RustItem]?
                if tokens.first?.is("{") == true {
                    tokens.removeFirst()
                    inner = self.items(&tokens, inBraces: true)
                } else if tokens.first?.is(";") == true {
                    tokens.removeFirst()
                }
                items.append(RustItem(name: name.name, kind: .module(inner), line: keyword.line, attributes: attributes,
                                      generics: [], tokens: all[start..<tokens.startIndex]))
            case "use":
                tokens.removeFirst()
                let tree = takeUntilSemicolon(&tokens)
                var uses: [RustUse] = []
                useTree(tree, prefix: [], into: &uses)
                items.append(RustItem(name: "", kind: .use(uses), line: keyword.line, attributes: attributes, generics: [],
                                      tokens: all[start..<tokens.startIndex]))
            default:
                skipItem(&tokens)
            }
            if tokens.startIndex == start { tokens.removeFirst() }
            attributes = []
        }
        return items
    }

    // MARK: - Pieces of items

    /// Fields of `{ a: T, pub b: U }` or `(T, pub U)`, attributes and visibility kept apart.
    private static func fields(_ body: ArraySlice<RustToken>, tuple: Bool) -> [RustStruct.Field] {
        var fields: [RustStruct.Field] = []
        for var part in split(body, on: ",") {
            var attributes: [RustAttribute] = []
            while part.first?.is("#") == true {
                part.removeFirst()
                if let group = takeGroup(&part) { attributes.append(RustAttribute(tokens: group.dropFirst().dropLast())) }
            }
            skipVisibility(&part)
            guard let first = part.first else { continue }
            if tuple {
                fields.append(.init(name: String(fields.count), type: part, line: first.line, attributes: attributes))
            } else if first.kind == .identifier, part.dropFirst().first?.is(":") == true {
                fields.append(.init(name: first.name, type: part.dropFirst(2), line: first.line, attributes: attributes))
            }
        }
        return fields
    }

    /// `a::{b, c::d as e, f::*}` into its bindings.
    private static func useTree(_ tokens: ArraySlice<RustToken>, prefix: [String], into uses: inout [RustUse]) {
        var path = prefix
        var rest = tokens
        if rest.first?.is(":") == true, rest.dropFirst().first?.is(":") == true, prefix.isEmpty {
            path.append("::")
            rest.removeFirst(2)
        }
        while let token = rest.first {
            if token.kind == .identifier {
                path.append(token.name)
                rest.removeFirst()
                if rest.first?.is(":") == true, rest.dropFirst().first?.is(":") == true {
                    rest.removeFirst(2)
                    continue
                }
                if rest.first?.text == "as", let alias = rest.dropFirst().first {
                    if path.last == "self" { path.removeLast() }
                    // `use Trait as _` brings no name in.
                    if alias.name != "_" { uses.append(RustUse(path: path, binding: alias.name)) }
                    return
                }
                if path.last == "self" {
                    path.removeLast()
                    if let last = path.last { uses.append(RustUse(path: path, binding: last)) }
                } else {
                    uses.append(RustUse(path: path, binding: token.name))
                }
                return
            }
            if token.is("*") { uses.append(RustUse(path: path, binding: nil)); return }
            if token.is("{") {
                for part in split(rest.dropFirst().dropLast(), on: ",") { useTree(part, prefix: path, into: &uses) }
                return
            }
            rest.removeFirst()
        }
    }

    static func skipVisibility(_ tokens: inout ArraySlice<RustToken>) {
        guard tokens.first?.text == "pub" || tokens.first?.text == "crate" && tokens.dropFirst().first?.is(":") != true else { return }
        tokens.removeFirst()
        if tokens.first?.is("(") == true { _ = takeGroup(&tokens) }
    }

    /// `<...>` right after a name, balanced, or nothing.
    private static func takeGenerics(_ tokens: inout ArraySlice<RustToken>) -> ArraySlice<RustToken> {
        let all = tokens
        guard tokens.first?.is("<") == true else { return [] }
        let start = tokens.startIndex
        var depth = 0
        var previous: RustToken?
        while let token = tokens.first {
            tokens.removeFirst()
            if token.is("<") { depth += 1 }
            if token.is(">"), previous?.is("-") != true { depth -= 1; if depth == 0 { break } }
            previous = token
        }
        return all[start..<tokens.startIndex]
    }

    /// A `where` clause up to the body or the end.
    private static func skipWhere(_ tokens: inout ArraySlice<RustToken>) {
        guard tokens.first?.text == "where" else { return }
        while let token = tokens.first, !token.is("{"), !token.is(";") {
            if token.is("(") || token.is("[") { _ = takeGroup(&tokens) } else { tokens.removeFirst() }
        }
    }

    /// Anything else: to a `;` at depth 0, or through the first `{...}` group at depth 0.
    static func skipItem(_ tokens: inout ArraySlice<RustToken>) {
        while let token = tokens.first {
            if token.is(";") { tokens.removeFirst(); return }
            if token.is("{") { _ = takeGroup(&tokens); if tokens.first?.is(";") == true { tokens.removeFirst() }; return }
            if token.is("(") || token.is("[") { _ = takeGroup(&tokens); continue }
            if token.is("}") { return }
            tokens.removeFirst()
        }
    }

    private static func takeUntilSemicolon(_ tokens: inout ArraySlice<RustToken>) -> ArraySlice<RustToken> {
        takeUntil(&tokens, ";")
    }

    /// Tokens up to `stop` at bracket depth 0, which is consumed and not returned.
    private static func takeUntil(_ tokens: inout ArraySlice<RustToken>, _ stop: String) -> ArraySlice<RustToken> {
        let all = tokens
        let start = tokens.startIndex
        while let token = tokens.first, !token.is(stop) {
            if token.is("(") || token.is("[") || token.is("{") { _ = takeGroup(&tokens) } else { tokens.removeFirst() }
        }
        let taken = all[start..<tokens.startIndex]
        if !tokens.isEmpty { tokens.removeFirst() }
        return taken
    }

    /// A bracketed group, `(...)`, `[...]` or `{...}`, with its brackets.
    static func takeGroup(_ tokens: inout ArraySlice<RustToken>) -> ArraySlice<RustToken>? {
        let all = tokens
        guard let open = tokens.first else { return nil }
        let close: String
        switch open.kind == .punctuation ? open.text : "" {
        case "(": close = ")"
        case "[": close = "]"
        case "{": close = "}"
        default: return nil
        }
        let start = tokens.startIndex
        var depth = 0
        while let token = tokens.first {
            tokens.removeFirst()
            if token.kind == .punctuation {
                if token.text == open.text { depth += 1 }
                if token.text == close { depth -= 1; if depth == 0 { break } }
            }
        }
        return all[start..<tokens.startIndex]
    }

    /// Splits on a separator at depth 0 of every bracket, `<>` included (not `->`).
    static func split(_ tokens: ArraySlice<RustToken>, on separator: String) -> [ArraySlice<RustToken>] {
        var parts: [ArraySlice<RustToken>] = []
        var depth = 0
        var start = tokens.startIndex
        var previous: RustToken?
        for index in tokens.indices {
            let token = tokens[index]
            if token.kind == .punctuation {
                switch token.text {
                case "(", "[", "{", "<": depth += 1
                case ")", "]", "}": depth -= 1
                case ">" where previous?.is("-") != true && previous?.is("=") != true: depth -= 1
                default: break
                }
                if depth == 0, token.text == separator {
                    parts.append(tokens[start..<index])
                    start = index + 1
                }
            }
            previous = token
        }
        if start < tokens.endIndex { parts.append(tokens[start..<tokens.endIndex]) }
        return parts.filter { !$0.isEmpty }
    }
}
