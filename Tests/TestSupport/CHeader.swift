/// Just enough of C to read the struct definitions and feature #defines of Linux's virtio UAPI
/// headers: structs and unions (named, anonymous, nested, referenced by name), scalar members and
/// fixed or flexible arrays. It does not compute offsets; gcc does that.
public struct CHeader {
    public indirect enum MemberType: Equatable {
        /// `__le16`, `char`, `struct virtio_input_absinfo` (a reference by name).
        case named(String)
        /// `__u8 mac[6]`; the count is nil when it is a macro (`mac[ETH_ALEN]`), and the array is
        /// flexible (`tag[]`) when nothing is between the brackets.
        case array(String, count: Int?, isFlexible: Bool)
        /// A struct or union defined in place.
        case aggregate(CStruct)
    }

    public struct Member: Equatable {
        /// Nil for an anonymous struct or union, whose members belong to the parent.
        public let name: String?
        public let type: MemberType
    }

    public struct CStruct: Equatable {
        public let isUnion: Bool
        public let name: String?
        public let members: [Member]
    }

    /// Every named struct or union, nested ones included.
    public private(set) var structs: [String: CStruct] = [:]
    /// `#define NAME NUMBER` lines.
    public private(set) var defines: [String: Int] = [:]

    /// A leaf member of a struct, with the C designator `offsetof` takes (`u.abs.min`).
    public struct Leaf: Equatable {
        public let path: String
        public let typeName: String
        public let count: Int?
        public let isFlexible: Bool
    }

    public init(text: String) {
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count >= 3, words[0] == "#define", let value = Int(words[2]) {
                defines[String(words[1])] = value
            }
        }
        var tokens = CHeader.tokenize(CHeader.withoutComments(text))[...]
        while let token = tokens.first {
            tokens.removeFirst()
            if token == "struct" || token == "union", let name = tokens.first, tokens.dropFirst().first == "{" {
                tokens.removeFirst(2)
                if let parsed = parseBody(isUnion: token == "union", name: name, &tokens) { structs[name] = parsed }
            }
        }
    }

    /// The leaves of a struct, expanding nested and referenced aggregates.
    public func leaves(of name: String) -> [Leaf] {
        guard let root = structs[name] else { return [] }
        return leaves(of: root, prefix: "")
    }

    private func leaves(of aggregate: CStruct, prefix: String) -> [Leaf] {
        aggregate.members.flatMap { member -> [Leaf] in
            let path = member.name.map { prefix + $0 } ?? ""
            let childPrefix = member.name.map { prefix + $0 + "." } ?? prefix
            switch member.type {
            case .aggregate(let inner):
                return leaves(of: inner, prefix: childPrefix)
            case .named(let type):
                if type.hasPrefix("struct ") || type.hasPrefix("union "), let inner = structs[String(type.split(separator: " ")[1])] {
                    return leaves(of: inner, prefix: childPrefix)
                }
                return [Leaf(path: path, typeName: type, count: nil, isFlexible: false)]
            case .array(let type, let count, let isFlexible):
                return [Leaf(path: path, typeName: type, count: count, isFlexible: isFlexible)]
            }
        }
    }

    // MARK: - Parsing

    private mutating func parseBody(isUnion: Bool, name: String?, _ tokens: inout ArraySlice<String>) -> CStruct? {
        var members: [Member] = []
        while let token = tokens.first, token != "}" {
            if token == "struct" || token == "union" {
                tokens.removeFirst()
                var innerName: String?
                if let next = tokens.first, next != "{" {
                    innerName = next
                    tokens.removeFirst()
                }
                if tokens.first == "{" {
                    tokens.removeFirst()
                    guard let inner = parseBody(isUnion: token == "union", name: innerName, &tokens) else { return nil }
                    if let innerName { structs[innerName] = inner }
                    let memberName = tokens.first.flatMap { $0 == ";" ? nil : $0 }
                    if memberName != nil { tokens.removeFirst() }
                    members.append(Member(name: memberName, type: .aggregate(inner)))
                    skip(through: ";", &tokens)
                } else if let innerName, let memberName = tokens.first {
                    tokens.removeFirst()
                    members.append(Member(name: memberName, type: .named("\(token) \(innerName)")))
                    skip(through: ";", &tokens)
                }
                continue
            }
            // A scalar or array member: type words, a name, an optional [N], then ';'.
            var words: [String] = []
            while let word = tokens.first, word != ";", word != "[" {
                words.append(word)
                tokens.removeFirst()
            }
            guard let memberName = words.popLast(), !words.isEmpty else {
                skip(through: ";", &tokens)
                continue
            }
            let type = words.filter { $0 != "const" && $0 != "volatile" }.joined(separator: " ")
            if tokens.first == "[" {
                tokens.removeFirst()
                let isFlexible = tokens.first == "]"
                let count = tokens.first.flatMap { Int($0) }
                skip(through: "]", &tokens)
                members.append(Member(name: memberName, type: .array(type, count: count, isFlexible: isFlexible)))
            } else {
                members.append(Member(name: memberName, type: .named(type)))
            }
            skip(through: ";", &tokens)
        }
        guard tokens.first == "}" else { return nil }
        tokens.removeFirst()
        // Skip attributes such as __attribute__((packed)) up to the ';' or member name.
        while let token = tokens.first, token == "__attribute__" || token == "(" || token == ")" || token == "packed" {
            tokens.removeFirst()
        }
        return CStruct(isUnion: isUnion, name: name, members: members)
    }

    private func skip(through terminator: String, _ tokens: inout ArraySlice<String>) {
        while let token = tokens.first {
            tokens.removeFirst()
            if token == terminator { return }
        }
    }

    static func withoutComments(_ text: String) -> String {
        var out = ""
        var iterator = Array(text.unicodeScalars)[...]
        var inBlock = false
        var inLine = false
        var previous: Unicode.Scalar = " "
        while let scalar = iterator.first {
            iterator.removeFirst()
            if inBlock {
                if previous == "*", scalar == "/" { inBlock = false; previous = " "; continue }
                previous = scalar
                continue
            }
            if inLine {
                if scalar == "\n" { inLine = false; out.unicodeScalars.append("\n") }
                continue
            }
            if scalar == "/", iterator.first == "*" { inBlock = true; iterator.removeFirst(); previous = " "; continue }
            if scalar == "/", iterator.first == "/" { inLine = true; continue }
            if scalar == "#" {
                // Preprocessor lines carry no struct members.
                while let next = iterator.first, next != "\n" { iterator.removeFirst() }
                continue
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        for character in text {
            if character.isLetter || character.isNumber || character == "_" {
                word.append(character)
                continue
            }
            if !word.isEmpty { tokens.append(word); word = "" }
            if "{}[]();,*".contains(character) { tokens.append(String(character)) }
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }
}
