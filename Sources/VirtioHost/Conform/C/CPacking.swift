/// The packing macros real code puts around config structs, with what each means under gcc. A
/// probe defines one only when the file uses it and nothing else defines it first, so that an
/// undefined `QEMU_PACKED` does not silently become a variable of an unpacked struct.
enum CPacking {
    static let macros: [(name: String, definition: String, origin: String)] = [
        // QEMU include/qemu/compiler.h.
        ("QEMU_PACKED", "__attribute__((packed))", "QEMU's include/qemu/compiler.h"),
        // DPDK lib/eal/include/rte_common.h, the gcc and clang branch.
        ("__rte_packed_begin", "", "DPDK's lib/eal/include/rte_common.h"),
        ("__rte_packed_end", "__attribute__((__packed__))", "DPDK's lib/eal/include/rte_common.h"),
        // DPDK before 25.03, the same file.
        ("__rte_packed", "__attribute__((__packed__))", "DPDK's lib/eal/include/rte_common.h"),
        // Linux include/linux/compiler_attributes.h.
        ("__packed", "__attribute__((__packed__))", "Linux's include/linux/compiler_attributes.h"),
    ]

    /// `#ifndef` definitions of the packing macros `identifiers` uses.
    static func prelude(for identifiers: Set<String>) -> String {
        macros.filter { identifiers.contains($0.name) }.map { macro in
            "#ifndef \(macro.name)\n#define \(macro.name) \(macro.definition)\n#endif\n"
        }.joined()
    }

    static func isPackingMacro(_ name: String) -> Bool { macros.contains { $0.name == name } }

    /// Linux's UAPI integer names (include/uapi/linux/types.h, virtio_types.h): the unsigned integer
    /// of their width, whatever order the name states.
    static func linuxTypedef(_ name: String) -> String? {
        guard name.hasPrefix("__") else { return nil }
        let body = name.dropFirst(2)
        for (prefix, signed) in [("le", false), ("be", false), ("virtio", false), ("u", false), ("s", true)] where body.hasPrefix(prefix) {
            guard let bits = Int(body.dropFirst(prefix.count)), [8, 16, 32, 64].contains(bits) else { continue }
            return "typedef \(signed ? "int" : "uint")\(bits)_t \(name);"
        }
        return nil
    }
}
