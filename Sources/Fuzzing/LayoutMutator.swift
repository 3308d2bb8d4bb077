import ConfigLayout

/// Hostile layout files drawn from a seed: the real layouts broken in every way a file gets broken
/// (bytes flipped, cut short, tokens lost, doubled or swapped, two files spliced), random layouts
/// from the grammar, and the extremes: deep nesting, enormous identifiers and numbers, NUL bytes,
/// invalid UTF-8, and other line ends and a byte-order mark, which must be accepted.
public struct LayoutMutator {
    public enum Kind: String, CaseIterable, Sendable {
        case byteFlips, truncation, tokenDeletion, tokenDuplication, tokenSwap, splice, grammar
        case deepNesting, hugeIdentifier, hugeNumber, controlBytes, invalidUTF8
        /// A real layout with CRLF or CR-only line ends, or a byte-order mark: valid, and the same layout.
        case lineEnds
    }

    /// One input, with how it was made.
    public struct Case: Sendable {
        public let kind: Kind
        public let origin: String
        public let bytes: [UInt8]
    }

    private let corpus: [(name: String, bytes: [UInt8])]
    private var random: SplitMix64

    /// `corpus` is the real layouts by name; every mutation starts from one of them.
    public init(corpus: [(name: String, bytes: [UInt8])], seed: UInt64) {
        self.corpus = corpus.isEmpty ? [("empty", [])] : corpus
        random = SplitMix64(seed: seed)
    }

    /// The built-in layouts, the corpus the tests and the bench fuzz from.
    public static var builtinCorpus: [(name: String, bytes: [UInt8])] {
        BuiltinLayouts.names.compactMap { name in BuiltinLayouts.file(name).map { (name, $0.bytes) } }
    }

    /// The next input, its kind taken in turn so every kind is drawn as often.
    public mutating func next(index: Int) -> Case {
        next(Kind.allCases[index % Kind.allCases.count])
    }

    public mutating func next(_ kind: Kind) -> Case {
        let source = corpus[Int(random.next() % UInt64(corpus.count))]
        var bytes = source.bytes
        var origin = source.name
        switch kind {
        case .byteFlips:
            for _ in 0..<1 + Int(random.next() % 8) where !bytes.isEmpty {
                let index = draw(bytes.count)
                bytes[index] = random.next() % 2 == 0 ? bytes[index] ^ (1 << UInt8(random.next() % 8)) : UInt8(truncatingIfNeeded: random.next())
            }
        case .truncation:
            bytes = Array(bytes.prefix(draw(bytes.count + 1)))
        case .tokenDeletion, .tokenDuplication, .tokenSwap:
            bytes = mutateTokens(bytes, kind)
        case .splice:
            let other = corpus[Int(random.next() % UInt64(corpus.count))]
            origin += "+" + other.name
            bytes = Array(bytes.prefix(draw(bytes.count + 1))) + Array(other.bytes.suffix(draw(other.bytes.count + 1)))
        case .grammar:
            var layout = RandomLayout(seed: random.next(), featureCount: 1 + draw(12))
            bytes = Array(layout.text().utf8)
            origin = "grammar"
        case .deepNesting:
            bytes = Array(deepNesting().utf8)
            origin = "nesting"
        case .hugeIdentifier:
            bytes = Array(hugeIdentifier().utf8)
            origin = "identifier"
        case .hugeNumber:
            bytes = Array(hugeNumber().utf8)
            origin = "number"
        case .controlBytes:
            for _ in 0..<1 + draw(6) {
                bytes.insert([0x00, 0x01, 0x07, 0x1B, 0x7F, 0x0B, 0x0C][draw(7)], at: draw(bytes.count + 1))
            }
        case .invalidUTF8:
            let garbage: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]]
            for _ in 0..<1 + draw(4) {
                bytes.insert(contentsOf: garbage[draw(garbage.count)], at: draw(bytes.count + 1))
            }
        case .lineEnds:
            bytes = Self.withLineEnds(bytes, draw(3))
        }
        return Case(kind: kind, origin: origin, bytes: bytes)
    }

    /// The same text with CRLF (0), CR-only (1) line ends, or a byte-order mark (2).
    public static func withLineEnds(_ bytes: [UInt8], _ style: Int) -> [UInt8] {
        switch style {
        case 0: return bytes.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
        case 1: return bytes.map { $0 == 0x0A ? 0x0D : $0 }
        default: return [0xEF, 0xBB, 0xBF] + bytes
        }
    }

    private mutating func draw(_ bound: Int) -> Int {
        bound <= 0 ? 0 : Int(random.next() % UInt64(bound))
    }

    /// Deletes, duplicates or swaps whole tokens, found by the layout lexer itself.
    private mutating func mutateTokens(_ bytes: [UInt8], _ kind: Kind) -> [UInt8] {
        let tokens = Lexer.tokenize(SourceFile(path: "mutated.layout", bytes: bytes)).tokens
            .filter { $0.kind != .endOfFile }.map { $0.span.start..<$0.span.end }
        guard tokens.count >= 2 else { return bytes }
        let first = tokens[draw(tokens.count)]
        switch kind {
        case .tokenDeletion:
            return Array(bytes[..<first.lowerBound] + bytes[first.upperBound...])
        case .tokenDuplication:
            return Array(bytes[..<first.upperBound] + [0x20] + bytes[first] + bytes[first.upperBound...])
        default:
            let second = tokens[draw(tokens.count)]
            let (a, b) = first.lowerBound <= second.lowerBound ? (first, second) : (second, first)
            guard a.upperBound <= b.lowerBound else { return bytes }
            return Array(bytes[..<a.lowerBound] + bytes[b] + bytes[a.upperBound..<b.lowerBound] + bytes[a] + bytes[b.upperBound...])
        }
    }

    private mutating func deepNesting() -> String {
        let depth = 1 + draw(5000)
        switch draw(4) {
        case 0:
            return "device d = 1 { feature A = 1\n config c { x u8 if " + String(repeating: "(", count: depth) + "A"
                + String(repeating: ")", count: depth) + " } }\n"
        case 1:
            return "device d = 1 { feature A = 1\n config c { x u8 if " + String(repeating: "!", count: depth) + "A } }\n"
        case 2:
            return "device d = 1 { config c { x " + String(repeating: "struct { y ", count: depth) + "u8"
                + String(repeating: " }", count: depth) + " } }\n"
        default:
            return String(repeating: "{", count: depth) + String(repeating: "}", count: draw(depth + 1))
        }
    }

    private mutating func hugeIdentifier() -> String {
        let name = String(repeating: "A", count: 1 + draw(1_000_000))
        switch draw(3) {
        case 0: return "device \(name) = 1 { feature \(name) = 1\n config c { x u8 if \(name) } }\n"
        case 1: return "device d = 1 { feature \(name) = 1\n config c { x u8 if \(name)B } }\n"
        default: return "device d = 1 { feature \(name) = 1\n feature \(name) = 2\n config c { \(name) \(name) } }\n"
        }
    }

    private mutating func hugeNumber() -> String {
        let digits = String(repeating: "9", count: 1 + draw(100_000))
        let forms = ["device d = \(digits) { config c { x u8 } }\n",
                     "device d = 1 { feature A = \(digits)\n config c { x u8 } }\n",
                     "device d = 1 { config c { x u8[\(digits)] } }\n",
                     "device d = 1 { config c { x le32 range 0...\(digits) } }\n",
                     "device d = 1 \"t\" since \(digits).\(digits) { config c { x u8 } }\n",
                     "device d = 0x\(String(repeating: "F", count: 1 + draw(1000))) { config c { x u8 } }\n"]
        return forms[draw(forms.count)]
    }
}
