/// A config struct as a user's own source declares it (a C header, a Rust module), flattened to its
/// leaf members: nested structs and unions become dotted paths (`topology.min_io_size`), arrays
/// stay whole. The compiler measures offsets and sizes; this says what the source says.
public struct DeclaredStruct: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        /// The designator the compiler takes: `mac`, `topology.min_io_size`, `u.abs.min`.
        public let path: String
        /// The element type as written: `__le16`, `Le16`, `uint8_t`, `U32<LittleEndian>`.
        public let typeName: String
        /// The byte-order kind the declaration gives each element, in the layout language's words:
        /// `le16`, `virtio32`, `be16`, `u8`, `u16` (a plain integer: the host's order). Nil when
        /// nothing the reader could resolve says.
        public let kind: String?
        /// The element count of an array; nil for a scalar or a count the reader cannot evaluate.
        public let count: Int?
        public let isArray: Bool
        /// `tag[]`: no bytes of its own.
        public let isFlexible: Bool
        /// The line of the declaration in the user's file.
        public let line: Int

        public init(path: String, typeName: String, kind: String?, count: Int?, isArray: Bool, isFlexible: Bool, line: Int) {
            self.path = path
            self.typeName = typeName
            self.kind = kind
            self.count = count
            self.isArray = isArray
            self.isFlexible = isFlexible
            self.line = line
        }

        /// The last name of the path, as a field would be named: `r#type` and bindgen's `type_` are
        /// `type`, a leading underscore (a field kept for its place, `_status`) is dropped.
        public var fieldName: String {
            var name = path.split(separator: ".").last.map(String.init) ?? path
            if name.hasPrefix("r#") { name.removeFirst(2) }
            while name.hasPrefix("_") { name.removeFirst() }
            if name.hasSuffix("_"), name.count > 1 { name.removeLast() }
            return name
        }

        /// Named as explicit padding: `_padding`, `padding`, `pad0`, `reserved`, `__reserved`,
        /// `unused`, `unused1`, `rsvd`. Padding stands for the spec's reserved bytes and never for a
        /// field that means something.
        public var isPadding: Bool { Self.isPaddingName(fieldName) }

        public static func isPaddingName(_ name: String) -> Bool {
            let lower = name.lowercased()
            return lower.hasPrefix("padding") || lower.hasPrefix("reserved") || lower.hasPrefix("unused") || lower.hasPrefix("rsvd")
                || lower == "pad" || (lower.hasPrefix("pad") && lower.dropFirst(3).allSatisfy { $0.isNumber || $0 == "_" })
        }
    }

    public let name: String
    /// The line the struct's definition starts on.
    public let line: Int
    public let members: [Member]
    /// The declaration asks for no padding (`packed`, `__attribute__((packed))`, a packing macro).
    public let isPacked: Bool

    public init(name: String, line: Int, members: [Member], isPacked: Bool = false) {
        self.name = name
        self.line = line
        self.members = members
        self.isPacked = isPacked
    }
}

/// The byte-order kind a declared type's name gives: `le16`, `virtio32`, `be16`, `u8`, `u16` (a
/// plain integer: the machine's own order). Nil when the name says nothing the reader knows.
public enum DeclaredKind {
    /// C: `__le16`, `__virtio16`, `cfgspace_virtio16`, `le16`, `uint16_t`, `__u16`, `u16`, `char`,
    /// `unsigned short`.
    public static func c(_ typeName: String) -> String? {
        let words = typeName.split(separator: " ").map(String.init).filter { !["const", "volatile", "signed"].contains($0) }
        let joined = words.joined(separator: " ")
        switch joined {
        case "char", "unsigned char", "int8_t", "uint8_t", "bool", "_Bool": return "u8"
        case "short", "unsigned short", "short int", "unsigned short int", "int16_t", "uint16_t": return "u16"
        case "int", "unsigned", "unsigned int", "int32_t", "uint32_t": return "u32"
        case "long long", "unsigned long long", "long", "unsigned long", "int64_t", "uint64_t", "size_t": return "u64"
        default: break
        }
        guard words.count == 1, var type = words.first else { return nil }
        for prefix in ["__", "cfgspace_"] where type.hasPrefix(prefix) { type.removeFirst(prefix.count) }
        if let plain = plainInteger(type) { return plain }
        return orderHint(type)
    }

    /// `u16`, `s32`, `i64` (Linux kernel and Rust spellings) as plain kinds.
    static func plainInteger(_ name: String) -> String? {
        guard let first = name.first, "usi".contains(first), let bits = Int(name.dropFirst()), [8, 16, 32, 64].contains(bits) else {
            return nil
        }
        return "u\(bits)"
    }

    /// A name that states an order: `Le32`, `le32`, `__le32`, `__virtio16`, `SLe16`, `u32_le`,
    /// `le_u32`, `BE16`. Plain integer names say none.
    public static func orderHint(_ name: String) -> String? {
        var lower = name.lowercased()
        while lower.hasPrefix("_") { lower.removeFirst() }
        if lower.hasPrefix("cfgspace_") { lower.removeFirst("cfgspace_".count) }
        if lower.hasSuffix("_t") { lower.removeLast(2) }
        for order in ["le", "be", "virtio"] {
            for pattern in [order, "s" + order, order + "_u", order + "u", order + "_i", order + "_"] where lower.hasPrefix(pattern) {
                if let bits = Int(lower.dropFirst(pattern.count)), [16, 32, 64].contains(bits) { return order + String(bits) }
            }
            for infix in ["_", ""] {
                for sign in ["u", "i"] where lower.hasPrefix(sign) && lower.hasSuffix(infix + order) {
                    let digits = lower.dropFirst().dropLast(infix.count + order.count)
                    if let bits = Int(digits), [16, 32, 64].contains(bits) { return order + String(bits) }
                }
            }
        }
        return nil
    }
}
