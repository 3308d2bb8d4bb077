import ConfigLayout

/// A Rust module per device, as a rust-vmm user would write it: a `#[repr(C)]` struct at the fixed
/// offsets whose multi-byte fields are little-endian wrappers (`Le16`: alignment 1, no padding, no
/// packed fields), `from_bytes` and `as_bytes` with no unsafe code for the user to write, offset and
/// size constants with const assertions the compiler checks, feature masks (`u64`), presence
/// functions and QEMU's size function. The wrappers are declared once, in `le.rs`, and every device
/// module uses them from its parent, so one crate holds any number of devices and a `Le16` of one is
/// a `Le16` of every other; `mod.rs` declares every module. The folder compiles without warnings as
/// a library or as a private module of a binary (`rustc -D warnings`).
struct RustEmitter: Emitter {
    let generator: Generator

    var sharedFiles: [GeneratedFile] {
        [GeneratedFile(path: "rust/transport.rs", contents: transport()),
         GeneratedFile(path: "rust/le.rs", contents: RustWrappers.module(banner: generator.banner("transport.layout"))),
         GeneratedFile(path: "rust/mod.rs", contents: moduleTree())]
    }

    static let name = "rust"
    static let summary = "Rust"

    static func path(of device: Device) -> String { "rust/\(device.name).rs" }

    func contents(for input: GenerationInput) -> String { module(for: input) }

    /// The device-independent feature bits, as a module of their own.
    private func transport() -> String {
        "// \(generator.banner("transport.layout"))\n//! Device-independent feature bits.\n#![allow(dead_code)]\n\n"
            + constants(generator.transport?.features ?? [], heading: "Device-independent feature bits.")
    }

    /// Every module, for the folder to be used whole: as `mod virtio;` beside `virtio/mod.rs`, or as
    /// a crate's root.
    private func moduleTree() -> String {
        let layouts = Set(generator.inputs.map(\.layoutName)).count
        var out = "// \(generator.banner(layouts == 1 ? "1 layout" : "\(layouts) layouts"))\n"
        out += "//! The virtio configuration layouts: a module per device, the little-endian field types they share\n"
        out += "//! (`le`) and the device-independent feature bits (`transport`). Use the folder as a module\n"
        out += "//! (`mod virtio;` beside `virtio/mod.rs`) or as a crate (`rustc --crate-type lib --crate-name\n"
        out += "//! virtio_config mod.rs`).\n\n"
        out += "pub mod le;\npub mod transport;\n\n"
        return out + generator.inputs.map { "pub mod \(Naming.rust($0.device.name));\n" }.joined()
    }

    private func module(for input: GenerationInput) -> String {
        let device = input.device
        var out = "// \(generator.banner(input.layoutName))\n"
        out += "//! \(device.name) (ID \(device.id))" + (device.title.map { ": \($0)" } ?? "")
        out += (device.specReference.map { ". \($0)" } ?? "") + ".\n"
        if device.config.map({ !RustWrappers.widths(in: [$0] + device.namedAggregates).isEmpty }) ?? false {
            out += "//!\n//! Its fields use the little-endian types of `le.rs`, a module beside it: declare `mod le;` in\n"
            out += "//! its parent, or use the whole folder through its `mod.rs`.\n"
        }
        // A module's items are there to be used in part: none of them is dead code for its user.
        out += "#![allow(dead_code)]\n\n"
        out += "/// The virtio device ID.\npub const DEVICE_ID: u32 = \(device.id);\n\n"
        out += constants(device.features, heading: "Feature bits of this device.")
        // A module compiles on its own, so it carries the transport bits its conditions use.
        let conditional = device.conditionalFields
        let used = Set(conditional.flatMap { $0.exists.featureNames + $0.valid.featureNames }
            + QemuSizeTable(device: device).entries.flatMap(\.condition.featureNames))
        // A condition on a bit past 63 makes the device's functions take the slice form.
        let high = used.contains { (device.feature(named: $0)?.bit ?? 0) >= 64 }
        out += constants((device.transport?.features ?? []).filter { used.contains($0.name) },
                         heading: "Device-independent feature bits the conditions use.")
        out += """
            /// Whether `features` (the offered or negotiated bits 0 to 63) holds `feature` (one of the `F_` masks).
            pub const fn has_feature(features: u64, feature: u64) -> bool {
                (features & feature) != 0
            }


            """
        if device.allFeatures.contains(where: { $0.bit >= 64 }) {
            out += """
                /// Whether feature bit `bit` is set in `features`, bit n in word n / 64: for the bits past 63.
                pub fn has_feature_bit(features: &[u64], bit: u32) -> bool {
                    features.get((bit / 64) as usize).is_some_and(|word| (word >> (bit % 64)) & 1 != 0)
                }


                """
        }
        guard let config = device.config else {
            return out + "// The specification defines no configuration for this device.\n"
        }
        out += RustWrappers.imports(RustWrappers.widths(in: [config] + device.namedAggregates))
        for aggregate in device.namedAggregates {
            out += typeDefinition(aggregate, name: Naming.upperCamel(aggregate.name ?? ""))
        }
        let typeName = Naming.upperCamel(config.name ?? "\(device.name)_config")
        out += "/// The configuration space, every field at its fixed (C) offset.\n"
        out += typeDefinition(config, name: typeName)
        out += assertions(device: device, typeName: typeName)
        out += RustWrappers.byteConversions(typeName: typeName)
        out += presence(conditional, device: device, high: high)
        out += qemuSize(device: device, high: high)
        return out
    }

    private func constants(_ features: [Feature], heading: String) -> String {
        guard !features.isEmpty else { return "" }
        var out = "// \(heading)\n"
        for feature in features {
            var doc = feature.doc?.split(separator: "\n").first.map(String.init) ?? feature.name
            if feature.isLegacyOnly { doc += " Legacy only." }
            if let requires = feature.requires { doc += " Requires `\(requires)`." }
            if feature.bit < 64 {
                out += "/// \(doc) Bit \(feature.bit).\npub const F_\(feature.name): u64 = 1 << \(feature.bit);\n"
            } else {
                out += "/// \(doc) Bit \(feature.bit), past the first word: test it with `has_feature_bit`.\n"
                out += "pub const F_\(feature.name)_BIT: u32 = \(feature.bit);\n"
            }
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
            case .scalar(let scalar): type = RustWrappers.type(scalar)
            case .array(let scalar, let count): type = "[\(RustWrappers.type(scalar)); \(count)]"
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
        // A union has no derived Debug or equality, and neither has what holds one.
        let derives = Self.holdsUnion(aggregate) ? "Clone, Copy" : "Clone, Copy, Debug, PartialEq, Eq"
        out += "#[repr(C)]\n#[derive(\(derives))]\npub \(aggregate.kind == .union ? "union" : "struct") \(name) {\n"
        return out + members + "}\n\n"
    }

    static func holdsUnion(_ aggregate: Aggregate) -> Bool {
        aggregate.kind == .union || aggregate.fields.contains { field in
            if case .aggregate(let inner) = field.type { return holdsUnion(inner) }
            return false
        }
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

    private func presence(_ conditional: [GeneratedField], device: Device, high: Bool) -> String {
        var out = ""
        for field in conditional {
            let base = Naming.flat(field.path)
            if field.exists != .always {
                out += "/// Whether `\(field.path)` exists under the offered features: `\(field.exists)`.\n"
                out += "pub \(function(high))\(base)_present(\(parameter(high))) -> bool {\n    \(expression(field.exists, device, high: high))\n}\n\n"
            }
            if field.valid != field.exists {
                out += "/// Whether `\(field.path)` means something under the offered features: `\(field.valid)`.\n"
                out += "pub \(function(high))\(base)_valid(\(parameter(high))) -> bool {\n    \(expression(field.valid, device, high: high))\n}\n\n"
            }
        }
        return out
    }

    /// `high`: the device's conditions use a bit past 63, so its functions take the slice form.
    private func function(_ high: Bool) -> String { high ? "fn " : "const fn " }

    private func parameter(_ high: Bool, unused: Bool = false) -> String {
        (unused ? "_features" : "features") + (high ? ": &[u64]" : ": u64")
    }

    private func expression(_ condition: Condition, _ device: Device, high: Bool, operand: Bool = false) -> String {
        let literal = { (name: String) in
            high ? "has_feature_bit(features, \(device.feature(named: name)?.bit ?? 0))" : "has_feature(features, F_\(name))"
        }
        return operand ? condition.renderedAsOperand(literal) : condition.rendered(literal)
    }

    private func qemuSize(device: Device, high: Bool) -> String {
        let table = QemuSizeTable(device: device)
        let (minimum, entries) = table.fixedEnds(of: device)
        var out = "/// QEMU's config size for the offered features: the larger of \(minimum) and the end of every\n"
        out += "/// entry whose condition holds (`virtio_get_config_size`, hw/virtio/virtio.c).\n"
        if let dependence = table.valueDependence(of: device) { out += "/// \(dependence).\n" }
        guard !entries.isEmpty else {
            return out + "pub \(function(high))qemu_config_size(\(parameter(high, unused: true))) -> usize {\n    \(minimum)\n}\n"
        }
        out += "pub \(function(high))qemu_config_size(\(parameter(high))) -> usize {\n    let mut size = \(minimum);\n"
        for entry in entries {
            out += "    if \(expression(entry.condition, device, high: high, operand: true)) && size < \(entry.end) {\n        size = \(entry.end);\n    }\n"
        }
        return out + "    size\n}\n"
    }
}
