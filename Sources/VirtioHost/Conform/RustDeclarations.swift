/// Enough of Rust to read config structs as a VMM declares them: `struct Name { field: Type, ... }`
/// (and `union`, whose members share an offset),
/// with attributes and visibility, field types as paths (`vm_memory::Le16`, `U16<LittleEndian>`)
/// or arrays (`[u8; 6]`), and fields whose type is another struct of the same file, which are
/// flattened to dotted paths. Tuple and unit structs, generics and the rest of the language are
/// skipped: rustc measures what matters.
public struct RustDeclarations: Sendable {
    struct Token: Equatable, Sendable {
        let text: String
        let line: Int
    }

    struct Field: Equatable, Sendable {
        let name: String
        /// The type as written, tokens joined: `vm_memory::Le16`, `[u8; 6]`.
        let type: String
        /// For an array: its element type and count (nil when not a plain number).
        let element: String?
        let count: Int?
        let line: Int
    }

    struct Definition: Equatable, Sendable {
        let line: Int
        let fields: [Field]
    }

    private(set) var structs: [String: Definition] = [:]

    public init(text: String) {
        var tokens = Self.tokenize(text)[...]
        while let token = tokens.first {
            tokens.removeFirst()
            if token.text == "#" {
                skipAttribute(&tokens)
            } else if token.text == "struct" || token.text == "union", let name = tokens.first, Self.isIdentifier(name.text) {
                tokens.removeFirst()
                guard tokens.first?.text == "{" else { continue }
                tokens.removeFirst()
                structs[name.text] = Definition(line: token.line, fields: parseFields(&tokens))
            }
        }
    }

    public var structNames: [String] { structs.keys.sorted() }

    /// A struct by name, its fields of the file's own struct types flattened.
    public func declared(_ name: String) -> DeclaredStruct? {
        guard let definition = structs[name] else { return nil }
        return DeclaredStruct(name: name, line: definition.line, members: leaves(of: definition, prefix: "", depth: 0))
    }

    private func leaves(of definition: Definition, prefix: String, depth: Int) -> [DeclaredStruct.Member] {
        guard depth < 16 else { return [] }
        return definition.fields.flatMap { field -> [DeclaredStruct.Member] in
            let last = field.type.split(separator: ":").last.map(String.init) ?? field.type
            if field.element == nil, let inner = structs[last] {
                return leaves(of: inner, prefix: prefix + field.name + ".", depth: depth + 1)
            }
            return [.init(path: prefix + field.name, typeName: field.element ?? field.type, count: field.count,
                          isArray: field.element != nil, isFlexible: false, line: field.line)]
        }
    }

    // MARK: - Parsing

    /// `name: Type,` up to the closing brace, attributes and visibility skipped.
    private func parseFields(_ tokens: inout ArraySlice<Token>) -> [Field] {
        var fields: [Field] = []
        while let token = tokens.first, token.text != "}" {
            if token.text == "#" {
                tokens.removeFirst()
                skipAttribute(&tokens)
                continue
            }
            if token.text == "pub" {
                tokens.removeFirst()
                if tokens.first?.text == "(" { skipGroup(open: "(", close: ")", &tokens) }
                continue
            }
            guard Self.isIdentifier(token.text), tokens.dropFirst().first?.text == ":" else {
                tokens.removeFirst()
                continue
            }
            tokens.removeFirst(2)
            let typeTokens = takeType(&tokens)
            var element: String?, count: Int?
            if typeTokens.first?.text == "[", let semicolon = typeTokens.lastIndex(where: { $0.text == ";" }) {
                element = Self.join(typeTokens[(typeTokens.startIndex + 1)..<semicolon])
                let countTokens = typeTokens[(semicolon + 1)...].dropLast()
                count = countTokens.count == 1 ? Self.number(countTokens.first?.text ?? "") : nil
            }
            fields.append(Field(name: token.text, type: Self.join(typeTokens[...]), element: element, count: count, line: token.line))
            if tokens.first?.text == "," { tokens.removeFirst() }
        }
        if !tokens.isEmpty { tokens.removeFirst() }
        return fields
    }

    /// A type's tokens up to a ',' or '}' outside any brackets.
    private func takeType(_ tokens: inout ArraySlice<Token>) -> [Token] {
        var taken: [Token] = []
        var depth = 0
        while let token = tokens.first {
            if depth == 0 && (token.text == "," || token.text == "}") { break }
            if ["<", "[", "("].contains(token.text) { depth += 1 }
            if [">", "]", ")"].contains(token.text) { depth -= 1 }
            taken.append(token)
            tokens.removeFirst()
        }
        return taken
    }

    /// `#[...]` or `#![...]`, after the '#'.
    private func skipAttribute(_ tokens: inout ArraySlice<Token>) {
        if tokens.first?.text == "!" { tokens.removeFirst() }
        if tokens.first?.text == "[" { skipGroup(open: "[", close: "]", &tokens) }
    }

    private func skipGroup(open: String, close: String, _ tokens: inout ArraySlice<Token>) {
        var depth = 0
        while let token = tokens.first {
            tokens.removeFirst()
            if token.text == open { depth += 1 }
            if token.text == close { depth -= 1; if depth == 0 { return } }
        }
    }

    /// `6`, `0x10`, `6usize`, `1_024`.
    static func number(_ text: String) -> Int? {
        var digits = text.replacingOccurrences(of: "_", with: "")
        for suffix in ["usize", "u8", "u16", "u32", "u64", "isize", "i32"] where digits.hasSuffix(suffix) {
            digits.removeLast(suffix.count)
        }
        if digits.hasPrefix("0x") { return Int(digits.dropFirst(2), radix: 16) }
        return Int(digits)
    }

    static func join(_ tokens: ArraySlice<Token>) -> String {
        var out = ""
        for token in tokens {
            if token.text == ";" { out += "; "; continue }
            if let last = out.last, (last.isLetter || last.isNumber || last == "_"),
               let first = token.text.first, first.isLetter || first.isNumber || first == "_" {
                out += " "
            }
            out += token.text
        }
        return out
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return !["pub", "struct", "enum", "union", "impl", "fn", "crate", "mod", "use"].contains(text)
    }

    /// Identifiers, numbers and punctuation, with comments, strings and lifetimes dropped.
    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var line = 1
        func isWord(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
        }
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : " "
            if scalar == "\n" { line += 1; index += 1; continue }
            if scalar == "/" && next == "/" {
                while index < scalars.count && scalars[index] != "\n" { index += 1 }
                continue
            }
            if scalar == "/" && next == "*" {
                var depth = 0
                repeat {
                    if scalars[index] == "\n" { line += 1 }
                    if scalars[index] == "/" && index + 1 < scalars.count && scalars[index + 1] == "*" { depth += 1; index += 1 }
                    else if scalars[index] == "*" && index + 1 < scalars.count && scalars[index + 1] == "/" { depth -= 1; index += 1 }
                    index += 1
                } while index < scalars.count && depth > 0
                continue
            }
            if scalar == "\"" {
                index += 1
                while index < scalars.count && scalars[index] != "\"" {
                    if scalars[index] == "\\" { index += 1 }
                    if index < scalars.count && scalars[index] == "\n" { line += 1 }
                    index += 1
                }
                index += 1
                continue
            }
            if isWord(scalar) {
                var word = String.UnicodeScalarView()
                while index < scalars.count && isWord(scalars[index]) { word.append(scalars[index]); index += 1 }
                tokens.append(Token(text: String(word), line: line))
                continue
            }
            if "{}[]()<>;,:#!=&*'".unicodeScalars.contains(scalar) { tokens.append(Token(text: String(scalar), line: line)) }
            index += 1
        }
        return tokens
    }
}
