import ConfigLayout

/// A Rust module per device: a `#[repr(C, packed)]` struct at the fixed offsets, offset and size
/// constants with const assertions the compiler checks, feature constants, presence functions and
/// QEMU's size function. Each module compiles on its own (`rustc --crate-type lib`).
struct RustEmitter {
    let generator: Generator

    func files() -> [GeneratedFile] {
        [GeneratedFile(path: "rust/transport.rs", contents: transport())]
            + generator.inputs.map { GeneratedFile(path: "rust/\($0.device.name).rs", contents: module(for: $0)) }
    }

    /// The device-independent feature bits, as a module of their own.
    private func transport() -> String {
        "// \(generator.banner("transport.layout"))\n//! Device-independent feature bits.\n\n"
            + constants(generator.transport?.features ?? [], heading: "Device-independent feature bits.")
    }

    private func module(for input: GenerationInput) -> String {
        let device = input.device
        var out = "// \(generator.banner(input.layoutName))\n"
        out += "//! \(device.name) (ID \(device.id))" + (device.title.map { ": \($0)" } ?? "")
        out += (device.specReference.map { ". \($0)" } ?? "") + ".\n\n"
        out += "/// The virtio device ID.\npub const DEVICE_ID: u32 = \(device.id);\n\n"
        out += constants(device.features, heading: "Feature bits of this device.")
        // A module compiles on its own, so it carries the transport bits its conditions use.
        let used = Set(device.conditionalFields.flatMap { $0.exists.featureNames + $0.valid.featureNames }
            + QemuSizeTable(device: device).entries.flatMap(\.condition.featureNames))
        out += constants((device.transport?.features ?? []).filter { used.contains($0.name) },
                         heading: "Device-independent feature bits the conditions use.")
        out += """
            /// Whether feature bit `bit` is set in `features` (bit n in word n / 64).
            pub fn feature(features: &[u64], bit: u32) -> bool {
                features.get((bit / 64) as usize).is_some_and(|word| (word >> (bit % 64)) & 1 != 0)
            }


            """
        guard let config = device.config else {
            return out + "// The specification defines no configuration for this device.\n"
        }
        for aggregate in device.namedAggregates {
            out += typeDefinition(aggregate, name: Naming.upperCamel(aggregate.name ?? ""))
        }
        let typeName = Naming.upperCamel(config.name ?? "\(device.name)_config")
        out += "/// The configuration space, every field at its fixed (C) offset.\n"
        out += typeDefinition(config, name: typeName)
        out += assertions(device: device, typeName: typeName)
        out += presence(device: device)
        out += qemuSize(device: device)
        return out
    }

    private func constants(_ features: [Feature], heading: String) -> String {
        guard !features.isEmpty else { return "" }
        var out = "// \(heading)\n"
        for feature in features {
            var doc = feature.doc?.split(separator: "\n").first.map(String.init) ?? feature.name
            if feature.isLegacyOnly { doc += " Legacy only." }
            if let requires = feature.requires { doc += " Requires `\(requires)`." }
            out += "/// \(doc)\npub const F_\(feature.name): u32 = \(feature.bit);\n"
        }
        return out + "\n"
    }

    /// A struct or union, with its anonymous members' types defined first.
    private func typeDefinition(_ aggregate: Aggregate, name: String) -> String {
        var out = ""
        var members = ""
        for field in aggregate.fields {
            var doc = field.type.name
            if !field.conditionText.isEmpty { doc += ", " + field.conditionText }
            if field.access != .readOnly { doc += ", \(field.access.rawValue)" }
            if field.isReserved { doc += ", reserved" }
            let type: String
            switch field.type {
            case .scalar(let scalar): type = rustType(scalar)
            case .array(let scalar, let count): type = "[\(rustType(scalar)); \(count)]"
            case .chars(let count): type = "[u8; \(count)]"
            // Rust has no flexible array member in a sized struct; the bytes follow the struct.
            case .flexible: type = "[u8; 0]"
            case .aggregate(let inner):
                if let innerName = inner.name {
                    type = Naming.upperCamel(innerName)
                } else {
                    type = name + Naming.upperCamel(field.name)
                    out += typeDefinition(inner, name: type)
                }
            }
            members += "    /// `\(doc)`\n    pub \(Naming.rust(field.name)): \(type),\n"
        }
        out += "#[repr(C, packed)]\n#[derive(Clone, Copy)]\npub \(aggregate.kind == .union ? "union" : "struct") \(name) {\n"
        return out + members + "}\n\n"
    }

    private func rustType(_ scalar: ScalarType) -> String {
        scalar == .u8 ? "u8" : "u\(scalar.size * 8)"
    }

    private func assertions(device: Device, typeName: String) -> String {
        let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        var out = "/// Size of [`\(typeName)`] in bytes.\npub const CONFIG_SIZE: usize = \(layout.size);\n"
        for field in layout.fields {
            guard let offset = field.offset else { continue }
            out += "/// Offset of `\(field.path)`.\npub const OFFSET_\(Naming.flat(field.path).uppercased()): usize = \(offset);\n"
        }
        out += "\nconst _: () = assert!(core::mem::size_of::<\(typeName)>() == CONFIG_SIZE);\n"
        for field in layout.fields where field.offset != nil {
            let path = field.path.split(separator: ".").map { Naming.rust(String($0)) }.joined(separator: ".")
            out += "const _: () = assert!(core::mem::offset_of!(\(typeName), \(path)) == OFFSET_\(Naming.flat(field.path).uppercased()));\n"
        }
        return out + "\n"
    }

    private func presence(device: Device) -> String {
        var out = ""
        for field in device.conditionalFields {
            let base = Naming.flat(field.path)
            if field.field.existence != nil {
                out += "/// Whether `\(field.path)` exists under the offered features: `\(field.exists)`.\n"
                out += "pub fn \(base)_present(features: &[u64]) -> bool {\n    \(expression(field.exists))\n}\n\n"
            }
            if field.field.validity != nil {
                out += "/// Whether `\(field.path)` means something under the offered features: `\(field.valid)`.\n"
                out += "pub fn \(base)_valid(features: &[u64]) -> bool {\n    \(expression(field.valid))\n}\n\n"
            }
        }
        return out
    }

    private func expression(_ condition: Condition, operand: Bool = false) -> String {
        let literal = { (name: String) in "feature(features, F_\(name))" }
        return operand ? condition.renderedAsOperand(literal) : condition.rendered(literal)
    }

    private func qemuSize(device: Device) -> String {
        let table = QemuSizeTable(device: device)
        let (minimum, entries) = table.fixedEnds(of: device)
        var out = "/// QEMU's config size for the offered features: the larger of \(minimum) and the end of every\n"
        out += "/// entry whose condition holds (`virtio_get_config_size`, hw/virtio/virtio.c).\n"
        if let dependence = table.valueDependence(of: device) { out += "/// \(dependence).\n" }
        guard !entries.isEmpty else {
            return out + "pub fn qemu_config_size(_features: &[u64]) -> usize {\n    \(minimum)\n}\n"
        }
        out += "pub fn qemu_config_size(features: &[u64]) -> usize {\n    let mut size = \(minimum);\n"
        for entry in entries {
            out += "    if \(expression(entry.condition, operand: true)) && size < \(entry.end) {\n        size = \(entry.end);\n    }\n"
        }
        return out + "    size\n}\n"
    }
}
