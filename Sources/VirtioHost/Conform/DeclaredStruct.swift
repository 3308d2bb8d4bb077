/// A config struct as a user's own source declares it (a C header, a Rust module), flattened to its
/// leaf members: nested structs and unions become dotted paths (`topology.min_io_size`), arrays
/// stay whole. The compiler measures offsets and sizes; this says what the source says.
public struct DeclaredStruct: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        /// The designator the compiler takes: `mac`, `topology.min_io_size`, `u.abs.min`.
        public let path: String
        /// The element type as written: `__le16`, `Le16`, `uint8_t`.
        public let typeName: String
        /// The element count of an array; nil for a scalar or a count the reader cannot evaluate.
        public let count: Int?
        public let isArray: Bool
        /// `tag[]`: no bytes of its own.
        public let isFlexible: Bool
        /// The line of the declaration in the user's file.
        public let line: Int
    }

    public let name: String
    /// The line the struct's definition starts on.
    public let line: Int
    public let members: [Member]
}

/// The byte-order kind a declared type names, in the layout language's words: `le16`, `virtio32`,
/// `be16`, `u8`, `u16` (a raw integer: the machine's own order). Nil when the type says nothing the
/// reader knows (a typedef of the user's own, a struct).
public enum DeclaredKind {
    /// C: `__le16`, `__virtio16`, `cfgspace_virtio16`, `le16`, `uint16_t`, `__u16`, `u16`, `char`.
    public static func c(_ typeName: String) -> String? {
        var type = typeName.replacingOccurrences(of: "unsigned ", with: "u")
        for prefix in ["__", "cfgspace_"] where type.hasPrefix(prefix) { type.removeFirst(prefix.count) }
        switch type {
        case "char", "uchar", "signed char", "s8": return "u8"
        case "uint8_t": return "u8"
        case "uint16_t": return "u16"
        case "uint32_t": return "u32"
        case "uint64_t": return "u64"
        default: break
        }
        return known(type)
    }

    /// Rust: `u16`, `Le16`, `vm_memory::Le16`, `U16<LittleEndian>`, `Be32`.
    public static func rust(_ typeName: String) -> String? {
        let last = typeName.split(separator: ":").last.map(String.init) ?? typeName
        let base = last.split(separator: "<").first.map(String.init) ?? last
        let generic = last.contains("<") ? String(last.drop { $0 != "<" }) : ""
        let lower = base.lowercased()
        if lower == "i8" { return "u8" }
        if known(lower) != nil && !lower.hasPrefix("virtio") { return known(lower) }
        // zerocopy's U16<LittleEndian>, U16<LE>, U32<BigEndian>.
        if lower.hasPrefix("u"), let bits = Int(lower.dropFirst()), [16, 32, 64].contains(bits) {
            if generic.contains("Little") || generic.contains("LE") { return "le\(bits)" }
            if generic.contains("Big") || generic.contains("BE") { return "be\(bits)" }
        }
        return nil
    }

    private static func known(_ type: String) -> String? {
        for prefix in ["le", "be", "virtio", "u"] where type.hasPrefix(prefix) {
            if let bits = Int(type.dropFirst(prefix.count)), [8, 16, 32, 64].contains(bits), prefix != "le" || bits > 8 {
                return prefix + String(bits)
            }
        }
        return nil
    }
}
