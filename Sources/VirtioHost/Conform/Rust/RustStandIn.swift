/// A type from outside the crate that the probe defines itself, by the shape its own crate gives
/// it: only names whose shape is certain. Each is said in the report.
struct RustStandIn: Hashable, Sendable {
    /// The name it has in the probe.
    let probeName: String
    /// Its definition in the probe.
    let definition: String
    /// The byte-order kind: `le32`, `be16`, `virtio32`, `u8`.
    let kind: String
    /// What it stands for and how, for the report.
    let note: String

    /// vm-memory's and data_model's endian types: `#[repr(transparent)] struct Le32(u32)`, aligned as
    /// the integer (vm-memory src/endian.rs and crosvm common/data_model/src/endian.rs, `endian_type!`).
    static func endianWrapper(crate: String, name: String) -> RustStandIn? {
        guard ["vm_memory", "data_model"].contains(crate) else { return nil }
        let lower = name.lowercased()
        let signed = lower.hasPrefix("s")
        let body = signed ? String(lower.dropFirst()) : lower
        guard let order = ["le", "be"].first(where: body.hasPrefix), let bits = Int(body.dropFirst(2)),
              [16, 32, 64].contains(bits) else { return nil }
        let integer = (signed ? "i" : "u") + String(bits)
        return RustStandIn(probeName: "__cfgspace_\(crate)_\(name)",
                           definition: "#[repr(transparent)] #[derive(Clone, Copy)] pub struct __cfgspace_\(crate)_\(name)(\(integer));",
                           kind: order + String(bits),
                           note: "\(crate)::\(name) stands in as \(crate) defines it: \(order == "le" ? "a little" : "a big")-endian "
                               + "\(integer) of \(bits / 8) bytes, aligned to \(bits / 8)")
    }

    /// zerocopy's byteorder types, `U32<LittleEndian>` or `little_endian::U32`: `#[repr(transparent)]
    /// struct U32<O>([u8; 4], PhantomData<O>)`, aligned to 1 (zerocopy src/byteorder.rs, `define_type!`).
    static func zerocopy(name: String, order: String) -> RustStandIn? {
        let lower = name.lowercased()
        guard let first = lower.first, first == "u" || first == "i", let bits = Int(lower.dropFirst()),
              [16, 32, 64, 128].contains(bits) else { return nil }
        let kindOrder: String
        switch order {
        case "LittleEndian", "LE", "little_endian": kindOrder = "le"
        case "BigEndian", "BE", "NetworkEndian", "big_endian", "network_endian": kindOrder = "be"
        case "NativeEndian", "native_endian": kindOrder = "u"
        default: return nil
        }
        let probeName = "__cfgspace_zerocopy_\(name)_\(order)"
        let orderWords = kindOrder == "le" ? "little-endian" : kindOrder == "be" ? "big-endian" : "native-endian"
        return RustStandIn(probeName: probeName,
                           definition: "#[repr(transparent)] #[derive(Clone, Copy)] pub struct \(probeName)([u8; \(bits / 8)]);",
                           kind: kindOrder + String(bits),
                           note: "zerocopy's \(name)<\(order)> stands in as zerocopy defines it: \(bits / 8) bytes, "
                               + "\(orderWords), aligned to 1")
    }

    /// Linux's UAPI names as bindgen writes them (`__le32`, `__virtio16`, `__u8`), wherever they come
    /// from: each is its width's unsigned integer, and the name says the order.
    static func linuxName(_ name: String) -> RustStandIn? {
        guard name.hasPrefix("__") else { return nil }
        let body = name.dropFirst(2)
        for (prefix, kind) in [("le", "le"), ("be", "be"), ("virtio", "virtio"), ("u", "u"), ("s", "u")] where body.hasPrefix(prefix) {
            guard let bits = Int(body.dropFirst(prefix.count)), [8, 16, 32, 64].contains(bits), bits > 8 || kind == "u" else { continue }
            let integer = (prefix == "s" ? "i" : "u") + String(bits)
            return RustStandIn(probeName: integer, definition: "", kind: bits == 8 ? "u8" : kind + String(bits),
                               note: "\(name), from outside this crate, stands in as Linux defines it: \(integer)")
        }
        return nil
    }

    /// C's integer names in Rust (`std::os::raw`, `core::ffi`, `libc`) on Linux x86-64 and arm64
    /// (LP64), as primitives.
    static let cIntegers: [String: String] = [
        "c_char": "i8", "c_schar": "i8", "c_uchar": "u8", "c_short": "i16", "c_ushort": "u16", "c_int": "i32",
        "c_uint": "u32", "c_long": "i64", "c_ulong": "u64", "c_longlong": "i64", "c_ulonglong": "u64",
    ]

    static let primitives: Set<String> = [
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "bool", "char", "f32", "f64",
    ]

    /// A primitive's kind: bytes have none, wider integers are in the host's order.
    static func primitiveKind(_ name: String) -> String? {
        switch name {
        case "u8", "i8", "bool": return "u8"
        case "u16", "i16": return "u16"
        case "u32", "i32", "f32", "char": return "u32"
        case "u64", "i64", "f64", "usize", "isize": return "u64"
        default: return nil
        }
    }
}
