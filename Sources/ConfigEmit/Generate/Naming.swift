import ConfigLayout

/// How spec names become identifiers in each language. Generated code keeps the spec's words, so
/// a reader can search the spec for any name.
enum Naming {
    /// `virtio_net_config` → `VirtioNetConfig`.
    static func upperCamel(_ snake: String) -> String {
        snake.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `max_virtqueue_pairs` → `maxVirtqueuePairs`; `MTU` → `mtu`; `HASH_REPORT` → `hashReport`.
    static func lowerCamel(_ name: String) -> String {
        let words = name.split(separator: "_").map { String($0) }
        guard let first = words.first else { return name }
        let isShouting = name == name.uppercased()
        let head = isShouting ? first.lowercased() : first
        let tail = words.dropFirst().map { word in
            let word = isShouting ? word.lowercased() : word
            return word.prefix(1).uppercased() + word.dropFirst()
        }
        return head + tail.joined()
    }

    /// A C name for a named struct or union: the layout's own (`virtio_blk_geometry`), after the
    /// prefix `generate --c-prefix` gives (`cfgspace_virtio_blk_geometry`).
    static func cStruct(_ name: String, prefix: String) -> String { prefix + name }

    /// The prefix of a device's C macros: `CFGSPACE_NET_`.
    static func cMacroPrefix(_ device: Device) -> String { "CFGSPACE_\(device.name.uppercased())_" }

    /// The C macro for a feature bit: `CFGSPACE_NET_F_MTU`, or `CFGSPACE_F_VERSION_1` for the transport's.
    static func cFeature(_ feature: Feature, device: Device?) -> String {
        if feature.scope == .device, let device { return cMacroPrefix(device) + "F_\(feature.name)" }
        return "CFGSPACE_F_\(feature.name)"
    }

    /// `geometry.cylinders` → `geometry_cylinders`, for names built from paths.
    static func flat(_ path: String) -> String { path.replacingDots(with: "_") }

    static let rustKeywords: Set<String> = [
        "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl",
        "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static",
        "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
        "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual",
        "yield", "try", "gen",
    ]

    static func rust(_ name: String) -> String { rustKeywords.contains(name) ? "r#" + name : name }

    static let swiftKeywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else",
        "fallthrough", "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "Any",
        "catch", "false", "is", "nil", "super", "self", "Self", "throw", "throws", "true", "try",
    ]

    static func swift(_ name: String) -> String { swiftKeywords.contains(name) ? "`\(name)`" : name }
}

extension String {
    fileprivate func replacingDots(with replacement: String) -> String {
        split(separator: ".", omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
