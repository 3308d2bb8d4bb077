import ConfigLayout
import Rendering

/// C headers: one per device plus `transport.h`. Each has the config struct, packed, at its fixed
/// offsets, with a static assertion (`_Static_assert`, or `static_assert` in C++) on every field offset and on the size, so the C compiler itself
/// checks the layout; the feature bits; a presence predicate per conditional field over feature
/// words of any width; and QEMU's `{flags, end}` size table with a size function.
struct CEmitter: Emitter {
    let generator: Generator

    var sharedFiles: [GeneratedFile] { [GeneratedFile(path: "c/transport.h", contents: transportHeader())] }

    static let name = "c"
    static let summary = "C"

    static func path(of device: Device) -> String { "c/\(device.name).h" }

    func contents(for input: GenerationInput) -> String { header(for: input) }

    // MARK: - transport.h

    private func transportHeader() -> String {
        var out = "/* \(generator.banner("transport.layout")) */\n"
        out += """
            #ifndef CFGSPACE_TRANSPORT_H
            #define CFGSPACE_TRANSPORT_H

            #include <stdbool.h>
            #include <stddef.h>
            #include <stdint.h>

            /* Multi-byte fields by byte order. le: always little-endian. virtio: little-endian once
               VIRTIO_F_VERSION_1 is negotiated, the guest's order before (the legacy interface).
               u: the spec names no order. */

            """
        for scalar in ScalarType.allCases where scalar != .u8 {
            out += "typedef uint\(scalar.size * 8)_t cfgspace_\(scalar.rawValue);\n"
        }
        out += """

            #define CFGSPACE_PACKED __attribute__((packed))

            /* The headers are C and C++ alike: C++ spells the compile-time check static_assert. */
            #ifdef __cplusplus
            #define CFGSPACE_STATIC_ASSERT static_assert
            #define CFGSPACE_BEGIN_C extern "C" {
            #define CFGSPACE_END_C }
            #else
            #define CFGSPACE_STATIC_ASSERT _Static_assert
            #define CFGSPACE_BEGIN_C
            #define CFGSPACE_END_C
            #endif

            CFGSPACE_BEGIN_C

            /* Whether feature bit `bit` is set: `features` holds `words` 64-bit words, bit n in word n / 64. */
            static inline bool cfgspace_feature(const uint64_t *features, size_t words, unsigned bit)
            {
            \treturn bit / 64 < words && ((features[bit / 64] >> (bit % 64)) & 1) != 0;
            }

            /* One entry of QEMU's feature_sizes table (VirtIOFeature, include/hw/virtio/virtio.h). */
            struct cfgspace_feature_size {
            \tuint64_t flags;
            \tsize_t end;
            };

            """
        if let transport = generator.transport {
            out += "/* Device-independent feature bits: \(transport.specReference ?? "virtio, Reserved Feature Bits"). */\n"
            out += defines(transport.features, device: nil)
            out += "\n"
        }
        return out + "CFGSPACE_END_C\n\n#endif /* CFGSPACE_TRANSPORT_H */\n"
    }

    private func defines(_ features: [Feature], device: Device?) -> String {
        let width = features.map { Naming.cFeature($0, device: device).count }.max() ?? 0
        return features.map { feature in
            let name = Naming.cFeature(feature, device: device)
            var line = "#define \(name)\(String(repeating: " ", count: width - name.count + 1))\(feature.bit)"
            var notes: [String] = []
            if let doc = feature.doc?.split(separator: "\n").first { notes.append(String(doc)) }
            if feature.isLegacyOnly { notes.append("Legacy only.") }
            if let requires = feature.requires { notes.append("Requires \(requires).") }
            if !notes.isEmpty { line += " /* " + notes.joined(separator: " ").replacingCommentEnd() + " */" }
            return line + "\n"
        }.joined()
    }

    // MARK: - Device headers

    private func header(for input: GenerationInput) -> String {
        let device = input.device
        let prefix = Naming.cMacroPrefix(device)
        let guardName = "CFGSPACE_\(device.name.uppercased())_H"
        var out = "/* \(generator.banner(input.layoutName)) */\n" + naming(device, layoutName: input.layoutName)
        out += "#ifndef \(guardName)\n#define \(guardName)\n\n#include \"transport.h\"\n\nCFGSPACE_BEGIN_C\n\n"
        out += "/* \(device.name) (ID \(device.id))" + (device.title.map { ": \($0)" } ?? "")
        out += (device.specReference.map { ". \($0)" } ?? "") + ". */\n"
        out += "#define \(prefix)DEVICE_ID \(device.id)\n\n"
        if !device.features.isEmpty {
            out += "/* Feature bits. */\n" + defines(device.features, device: device) + "\n"
        }
        guard let config = device.config else {
            return out + "/* The specification defines no configuration for this device. */\n\nCFGSPACE_END_C\n\n#endif /* \(guardName) */\n"
        }

        for aggregate in device.namedAggregates {
            out += "\(aggregate.kind.rawValue) \(cName(aggregate.name ?? "")) {\n"
            out += members(aggregate, device: device, indent: "\t")
            out += "} CFGSPACE_PACKED;\n\n"
        }
        let structName = cName(config.name ?? "\(device.name)_config")
        out += "/* The configuration space, every field at its fixed (C) offset. */\n"
        out += "struct \(structName) {\n" + members(config, device: device, indent: "\t") + "} CFGSPACE_PACKED;\n\n"
        out += assertions(device: device, structName: structName)
        out += predicates(device: device)
        out += qemuSize(device: device)
        return out + "CFGSPACE_END_C\n\n#endif /* \(guardName) */\n"
    }

    /// A struct or union's name in C: the layout's own, after the chosen prefix.
    private func cName(_ name: String) -> String { Naming.cStruct(name, prefix: generator.options.cPrefix) }

    /// The opening comment on names: which of them Linux's UAPI headers also declare, so that a
    /// program including both must take the prefix, or which prefix they carry.
    private func naming(_ device: Device, layoutName: String) -> String {
        let names = ([device.config].compactMap { $0?.name } + device.namedAggregates.compactMap(\.name))
        let prefix = generator.options.cPrefix
        guard prefix.isEmpty else {
            let example = names.first.map { ": struct \(cName($0)) is the layout's \($0)" } ?? ""
            return "/* Every struct and union name carries the prefix \(prefix) (generate --c-prefix)\(example). */\n"
        }
        let clashing = names.filter { LinuxUAPINames.headers[$0] != nil }
        guard let first = clashing.first, let header = LinuxUAPINames.headers[first] else { return "" }
        let list = clashing.count == 1 ? clashing[0] : clashing.dropLast().joined(separator: ", ") + " and " + clashing[clashing.count - 1]
        let text = "struct \(list) \(clashing.count == 1 ? "is" : "are") named as in \(layoutName), and Linux's <\(header)> declares "
            + "the same name\(clashing.count == 1 ? "" : "s"): a program that includes both generates with a prefix "
            + "(cfgspace generate \(device.name) --target c --c-prefix cfgspace_ gives struct "
            + "\(Naming.cStruct(first, prefix: "cfgspace_"))). */"
        return TextTable.paragraph(text, indent: "/* ", continuation: "   ", width: 100)
    }

    private func members(_ aggregate: Aggregate, device: Device, indent: String) -> String {
        // Each member as its declaration and its comment; nested anonymous aggregates span lines.
        let entries: [(declaration: String, comment: String)] = aggregate.fields.map { field in
            var comment = field.type.name
            let conditions = field.conditionText
            if !conditions.isEmpty { comment += ", " + conditions }
            if field.access != .readOnly { comment += ", \(field.access.rawValue)" }
            if field.isReserved { comment += ", reserved" }
            let declaration: String
            switch field.type {
            case .scalar(let scalar):
                declaration = "\(indent)\(cType(scalar)) \(field.name);"
            case .array(let scalar, let count):
                declaration = "\(indent)\(cType(scalar)) \(field.name)[\(count)];"
            case .chars(let count):
                declaration = "\(indent)char \(field.name)[\(count)];"
            case .flexible(let element, _):
                // A C flexible array member: no bytes in sizeof, as many as the count field says.
                declaration = "\(indent)\(element.map(cType) ?? "char") \(field.name)[];"
            case .aggregate(let inner):
                if let name = inner.name {
                    declaration = "\(indent)\(inner.kind.rawValue) \(cName(name)) \(field.name);"
                } else {
                    declaration = "\(indent)\(inner.kind.rawValue) {\n" + members(inner, device: device, indent: indent + "\t")
                        + "\(indent)} CFGSPACE_PACKED \(field.name);"
                }
            }
            return (declaration, "/* \(comment.replacingCommentEnd()) */")
        }
        let width = entries.map { $0.declaration.split(separator: "\n").last.map(\.count) ?? 0 }.max() ?? 0
        return entries.map { entry in
            let lastLine = entry.declaration.split(separator: "\n").last.map(\.count) ?? 0
            return entry.declaration + String(repeating: " ", count: width - lastLine + 1) + entry.comment + "\n"
        }.joined()
    }

    private func cType(_ scalar: ScalarType) -> String {
        scalar == .u8 ? "uint8_t" : "cfgspace_\(scalar.rawValue)"
    }

    /// The compiler checks every offset and the size against what the engine computed.
    private func assertions(device: Device, structName: String) -> String {
        let prefix = Naming.cMacroPrefix(device)
        let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        var out = "#define \(prefix)CONFIG_SIZE \(layout.size)\n"
        for field in layout.fields {
            guard let offset = field.offset else { continue }
            out += "#define \(prefix)OFFSET_\(Naming.flat(field.path).uppercased()) \(offset)\n"
        }
        out += "\nCFGSPACE_STATIC_ASSERT(sizeof(struct \(structName)) == \(layout.size), \"\(device.name) config is \(layout.size) bytes\");\n"
        for field in layout.fields {
            guard let offset = field.offset else { continue }
            out += "CFGSPACE_STATIC_ASSERT(offsetof(struct \(structName), \(field.path)) == \(offset), "
            out += "\"\(device.name) \(field.path) is at \(offset)\");\n"
        }
        return out + "\n"
    }

    /// `cfgspace_net_mtu_present(features, words)`, `cfgspace_net_mac_valid(...)`.
    private func predicates(device: Device) -> String {
        let fields = device.conditionalFields
        guard !fields.isEmpty else { return "" }
        var out = "/* Presence: whether a field exists (_present, for `if`) or means something (_valid, for\n"
        out += "   `valid if`) under the offered features. `features` holds `words` 64-bit words. */\n"
        for field in fields {
            let base = "cfgspace_\(device.name)_\(Naming.flat(field.path))"
            if field.exists != .always {
                out += predicate(base + "_present", field.exists, device: device)
            }
            if field.valid != field.exists {
                out += predicate(base + "_valid", field.valid, device: device)
            }
        }
        return out + "\n"
    }

    private func predicate(_ name: String, _ condition: Condition, device: Device) -> String {
        "static inline bool \(name)(const uint64_t *features, size_t words)\n{\n"
            + (condition.featureNames.isEmpty ? "\t(void)features;\n\t(void)words;\n" : "")
            + "\treturn \(expression(condition, device: device));\n}\n"
    }

    /// A condition as a C expression over the feature words.
    func expression(_ condition: Condition, device: Device, operand: Bool = false) -> String {
        let literal = { (name: String) -> String in
            guard let feature = device.feature(named: name) else { return "false" }
            return "cfgspace_feature(features, words, \(Naming.cFeature(feature, device: device)))"
        }
        return operand ? condition.renderedAsOperand(literal) : condition.rendered(literal)
    }

    /// QEMU's table, when every entry is a set of flags QEMU can hold (an OR of bits below 64),
    /// and the size function.
    private func qemuSize(device: Device) -> String {
        let table = QemuSizeTable(device: device)
        let (minimum, entries) = table.fixedEnds(of: device)
        let name = "cfgspace_\(device.name)_qemu"
        let source = table.isTranscribed ? "QEMU's feature_sizes table for this device"
            : "each conditional field reaching its own end (no QEMU table is transcribed)"
        var out = "/* QEMU's config size (virtio_get_config_size, hw/virtio/virtio.c): the larger of \(minimum) and\n"
        out += "   the end of every entry whose features are offered. Entries: \(source)."
        if let dependence = table.valueDependence(of: device) { out += "\n   \(dependence)." }
        out += " */\n"
        out += "#define \(Naming.cMacroPrefix(device))QEMU_MIN_SIZE \(minimum)\n"
        let flags = entries.map { flagsMask($0.condition, device: device) }
        if !entries.isEmpty, flags.allSatisfy({ $0 != nil }) {
            out += "static const struct cfgspace_feature_size \(name)_feature_sizes[] = {\n"
            for (entry, mask) in zip(entries, flags) {
                out += "\t{ \(mask ?? ""), \(entry.end) }, /* \(entry.condition) */\n"
            }
            out += "\t{ 0, 0 },\n};\n\n"
            out += "static inline size_t \(name)_config_size(const uint64_t *features, size_t words)\n{\n"
            out += "\tsize_t size = \(minimum);\n"
            out += "\tfor (size_t i = 0; \(name)_feature_sizes[i].flags != 0; i++) {\n"
            out += "\t\tif (words > 0 && (features[0] & \(name)_feature_sizes[i].flags) != 0 && \(name)_feature_sizes[i].end > size)\n"
            out += "\t\t\tsize = \(name)_feature_sizes[i].end;\n"
            out += "\t}\n\treturn size;\n}\n\n"
        } else {
            out += "static inline size_t \(name)_config_size(const uint64_t *features, size_t words)\n{\n"
            out += "\tsize_t size = \(minimum);\n"
            if entries.allSatisfy({ $0.condition.featureNames.isEmpty }) { out += "\t(void)features;\n\t(void)words;\n" }
            for entry in entries {
                out += "\tif (\(expression(entry.condition, device: device, operand: true)) && size < \(entry.end))\n"
                out += "\t\tsize = \(entry.end);\n"
            }
            out += "\treturn size;\n}\n\n"
        }
        return out
    }

    /// `(1ULL << CFGSPACE_NET_F_RSS) | (1ULL << CFGSPACE_NET_F_HASH_REPORT)`, if the condition is
    /// an OR of features below bit 64.
    private func flagsMask(_ condition: Condition, device: Device) -> String? {
        let names: [String]
        switch condition {
        case .feature(let name): names = [name]
        case .any(let operands):
            var collected: [String] = []
            for operand in operands {
                guard case .feature(let name) = operand else { return nil }
                collected.append(name)
            }
            names = collected
        default: return nil
        }
        var parts: [String] = []
        for name in names {
            guard let feature = device.feature(named: name), feature.bit < 64 else { return nil }
            parts.append("(1ULL << \(Naming.cFeature(feature, device: device)))")
        }
        return parts.joined(separator: " | ")
    }
}

extension String {
    /// Text safe inside a C or Rust block comment.
    func replacingCommentEnd() -> String {
        var out = ""
        var previous: Character = " "
        for character in self {
            if previous == "*", character == "/" { out.append(" ") }
            out.append(character)
            previous = character
        }
        return out
    }
}
