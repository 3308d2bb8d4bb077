import ConfigLayout

/// A Swift file per device: a namespace with the feature bits, each field's offset and size, the
/// config size, presence functions, QEMU's size function, and a `Config` view that reads fields
/// out of raw configuration bytes. Swift has no packed structs, so offsets are constants here.
/// The files form one module with `VirtioTransport.swift`, which holds what they share.
struct SwiftEmitter: Emitter {
    let generator: Generator

    var sharedFiles: [GeneratedFile] { [GeneratedFile(path: "swift/VirtioTransport.swift", contents: transport())] }

    static let name = "swift"
    static let summary = "Swift"

    static func path(of device: Device) -> String { "swift/Virtio\(Naming.upperCamel(device.name)).swift" }

    func contents(for input: GenerationInput) -> String { source(for: input) }

    private func transport() -> String {
        var out = "// \(generator.banner("transport.layout"))\n\n"
        out += "/// What the device files share: the device-independent feature bits, feature tests, field\n"
        out += "/// descriptions and reads of raw configuration bytes.\npublic enum VirtioTransport {\n"
        out += featureEnum(generator.transport?.features ?? [], heading: "Device-independent feature bits.")
        out += """
                /// Whether feature bit `bit` is set in `features` (bit n in word n / 64).
                public static func feature(_ features: [UInt64], _ bit: Int) -> Bool {
                    let word = bit / 64
                    return word < features.count && (features[word] >> UInt64(bit % 64)) & 1 != 0
                }

                /// A field of a configuration space at its fixed (C) offset.
                public struct Field: Sendable, Equatable {
                    public let name: String
                    public let offset: Int
                    public let size: Int
                }

                /// Configuration bytes. Multi-byte values are little-endian unless `littleEndian` is false:
                /// a legacy guest's own order, which applies to virtio16/32/64 fields only.
                public struct ConfigBytes: Sendable {
                    public let bytes: [UInt8]
                    public let littleEndian: Bool

                    public init(bytes: [UInt8], littleEndian: Bool = true) {
                        self.bytes = bytes
                        self.littleEndian = littleEndian
                    }

                    /// The unsigned integer at `offset`, or nil if the bytes end before it.
                    public func integer(at offset: Int, size: Int, alwaysLittleEndian: Bool = false) -> UInt64? {
                        guard offset >= 0, offset + size <= bytes.count else { return nil }
                        let slice = bytes[offset..<offset + size]
                        let ordered = alwaysLittleEndian || littleEndian ? Array(slice) : Array(slice.reversed())
                        return ordered.reversed().reduce(0) { $0 << 8 | UInt64($1) }
                    }

                    /// The bytes of a field, or nil if the bytes end before it.
                    public func bytes(at offset: Int, size: Int) -> [UInt8]? {
                        guard offset >= 0, offset + size <= bytes.count else { return nil }
                        return Array(bytes[offset..<offset + size])
                    }
                }
            }

            """
        return out
    }

    private func typeName(_ device: Device) -> String { "Virtio" + Naming.upperCamel(device.name) }

    private func source(for input: GenerationInput) -> String {
        let device = input.device
        var out = "// \(generator.banner(input.layoutName))\n\n"
        out += "/// \(device.name) (ID \(device.id))" + (device.title.map { ": \($0)" } ?? "")
        out += (device.specReference.map { ". \($0)" } ?? "") + ".\n"
        out += "public enum \(typeName(device)) {\n"
        out += "    /// The virtio device ID.\n    public static let deviceID = \(device.id)\n\n"
        out += featureEnum(device.features, heading: "Feature bits of this device.")
        guard device.config != nil else {
            return out + "\n    // The specification defines no configuration for this device.\n}\n"
        }
        out += fields(device)
        out += presence(device)
        out += qemuSize(device)
        out += configView(device)
        return out + "}\n"
    }

    private func featureEnum(_ features: [Feature], heading: String) -> String {
        guard !features.isEmpty else { return "" }
        var out = "    /// \(heading)\n    public enum Feature {\n"
        for feature in features {
            var doc = feature.doc?.split(separator: "\n").first.map(String.init) ?? feature.name
            if feature.isLegacyOnly { doc += " Legacy only." }
            if let requires = feature.requires { doc += " Requires `\(requires)`." }
            out += "        /// \(doc)\n        public static let \(Naming.swift(Naming.lowerCamel(feature.name))) = \(feature.bit)\n"
        }
        return out + "    }\n\n"
    }

    private func fields(_ device: Device) -> String {
        let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        var out = """
                /// The size of the configuration space in bytes.
                public static let configSize = \(layout.size)


            """
        out += "    /// Every field, nested ones by dotted path, in declaration order.\n"
        out += "    public static let fields: [VirtioTransport.Field] = [\n"
        for field in layout.fields {
            guard let offset = field.offset else { continue }
            out += "        VirtioTransport.Field(name: \"\(field.path)\", offset: \(offset), size: \(field.size)),\n"
        }
        return out + "    ]\n\n"
    }

    private func expression(_ condition: Condition, device: Device, operand: Bool = false) -> String {
        let literal = { (name: String) -> String in
            let owner = device.feature(named: name)?.scope == .transport ? "VirtioTransport.Feature" : "Feature"
            return "VirtioTransport.feature(features, \(owner).\(Naming.swift(Naming.lowerCamel(name))))"
        }
        return operand ? condition.renderedAsOperand(literal) : condition.rendered(literal)
    }

    private func presence(_ device: Device) -> String {
        var out = ""
        for field in device.conditionalFields {
            let base = Naming.lowerCamel(Naming.flat(field.path))
            if field.exists != .always {
                out += "    /// Whether `\(field.path)` exists under the offered features: `\(field.exists)`.\n"
                out += "    public static func \(base)Present(_ features: [UInt64]) -> Bool {\n"
                out += "        \(expression(field.exists, device: device))\n    }\n\n"
            }
            if field.valid != field.exists {
                out += "    /// Whether `\(field.path)` means something under the offered features: `\(field.valid)`.\n"
                out += "    public static func \(base)Valid(_ features: [UInt64]) -> Bool {\n"
                out += "        \(expression(field.valid, device: device))\n    }\n\n"
            }
        }
        return out
    }

    private func qemuSize(_ device: Device) -> String {
        let table = QemuSizeTable(device: device)
        let (minimum, entries) = table.fixedEnds(of: device)
        var out = "    /// QEMU's config size for the offered features: the larger of \(minimum) and the end of every\n"
        out += "    /// entry whose condition holds (`virtio_get_config_size`, hw/virtio/virtio.c).\n"
        if let dependence = table.valueDependence(of: device) { out += "    /// \(dependence).\n" }
        guard !entries.isEmpty else {
            return out + "    public static func qemuConfigSize(_ features: [UInt64]) -> Int {\n        \(minimum)\n    }\n\n"
        }
        out += "    public static func qemuConfigSize(_ features: [UInt64]) -> Int {\n        var size = \(minimum)\n"
        for entry in entries {
            out += "        if \(expression(entry.condition, device: device, operand: true)) && size < \(entry.end) { size = \(entry.end) }\n"
        }
        return out + "        return size\n    }\n\n"
    }

    /// Typed reads of the fields out of raw configuration bytes.
    private func configView(_ device: Device) -> String {
        let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        var out = """
                /// Configuration bytes read field by field (see `VirtioTransport.ConfigBytes` for byte order).
                public struct Config: Sendable {
                    public let raw: VirtioTransport.ConfigBytes

                    public init(bytes: [UInt8], littleEndian: Bool = true) {
                        raw = VirtioTransport.ConfigBytes(bytes: bytes, littleEndian: littleEndian)
                    }


            """
        for field in layout.fields {
            guard let offset = field.offset else { continue }
            let name = Naming.swift(Naming.lowerCamel(Naming.flat(field.path)))
            out += "        /// `\(field.path)`: \(field.field.type.name) at \(offset).\n"
            switch field.field.type {
            case .scalar(let scalar):
                let swiftType = "UInt\(scalar.size * 8)"
                let always = scalar.byteOrder == .little || scalar.byteOrder == .none ? ", alwaysLittleEndian: true" : ""
                out += "        public var \(name): \(swiftType)? {\n"
                out += "            raw.integer(at: \(offset), size: \(scalar.size)\(always)).map { \(swiftType)(truncatingIfNeeded: $0) }\n"
                out += "        }\n\n"
            default:
                out += "        public var \(name): [UInt8]? { raw.bytes(at: \(offset), size: \(field.size)) }\n\n"
            }
        }
        return out + "    }\n"
    }
}
