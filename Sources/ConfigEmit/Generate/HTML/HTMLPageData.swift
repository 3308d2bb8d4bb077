import ConfigLayout
import Rendering

/// What a device's page carries for its script: the engine's answers for every spec version the
/// page offers. Each field's offset is a `SymbolicValue` and each condition a tree, so the script
/// only evaluates conditions over the ticked features and adds up terms; it never lays anything out.
///
/// Values are written as a number, `{"n": 2, "if": C, "when": "STATUS"}` (2 when C holds),
/// `{"sum": [...]}`, `{"max": [...]}` or `{"if": C, "when": "...", "times": V}` (V when C holds);
/// conditions as the JSON documents write them (`{"feature": "MQ"}`, `{"any": [...]}`, ...).
struct HTMLPageData {
    let generator: Generator
    let input: GenerationInput
    /// The spec versions the page offers: those the device exists in, up to the generator's.
    let versions: [SpecVersion]
    /// The JSON text, ready for the page.
    private(set) var text = ""
    /// The features some field's condition or QEMU's table mentions in some offered version.
    private(set) var shaping = Set<String>()

    init(generator: Generator, input: GenerationInput) {
        self.generator = generator
        self.input = input
        versions = Self.versions(of: input.declared, upTo: generator.version)
        text = rendered()
    }

    /// The spec versions a page offers for a device: those it exists in, up to `newest`.
    static func versions(of device: Device, upTo newest: SpecVersion) -> [SpecVersion] {
        SpecVersion.known.filter { $0 <= newest && device.exists(in: $0) }
    }

    /// The device as a version describes it, as `cfgspace table --spec` takes it.
    func device(at version: SpecVersion) -> Device {
        input.declared.asOf(version == SpecVersion.newest ? nil : version)
    }

    /// The features the page ticks when its link names none: of the diff's examples at the
    /// generator's version, the one under which the most fields move (as the SVG byte map shows).
    var defaultFeatures: [String] {
        let device = input.device
        guard device.config != nil else { return [] }
        return device.names(of: SVGEmitter.pictured(device, generator: generator))
    }

    /// The data as the text of a `<script type="application/json">` element: a line per field,
    /// every `<` escaped so that nothing in it can close the element.
    private mutating func rendered() -> String {
        var layouts: [String] = []
        var versionEntries: [JSON] = []
        for version in versions {
            let device = device(at: version)
            let layout = self.layout(device)
            // Versions that did not change the layout share it.
            let index = layouts.firstIndex(of: layout) ?? layouts.count
            if index == layouts.count { layouts.append(layout) }
            versionEntries.append(.object([("version", .string(version.description)),
                                           ("features", .array(device.features.map { .string($0.name) })),
                                           ("layout", .int(index))]))
        }
        let device = input.device
        let header: [(key: String, value: JSON)] = [
            ("device", .string(device.name)),
            ("title", .string(Format.title(of: device))),
            ("spec", .string(device.specReference)),
            ("section", .string(Self.section(of: device.specReference))),
            ("version", .string(generator.version.description)),
            ("default_features", .array(defaultFeatures.map { .string($0) })),
        ]
        var out = "{\n"
        for member in header { out += String(JSON.object([member]).compact().dropFirst().dropLast()) + ",\n" }
        out += "\"features\":[\n" + input.declared.features.map { Self.feature($0).compact() }.joined(separator: ",\n") + "],\n"
        out += "\"versions\":[\n" + versionEntries.map { $0.compact() }.joined(separator: ",\n") + "],\n"
        out += "\"layouts\":[\n" + layouts.joined(separator: ",\n") + "]\n}"
        return out.replacingOccurrences(of: "<", with: "\\u003c")
    }

    /// "§5.1.4" from "virtio 1.4, 5.1.4 Device configuration layout"; a reference with no section
    /// number as it is.
    static func section(of reference: String?) -> String {
        guard let reference else { return "" }
        let parts = reference.split(separator: ",", maxSplits: 1)
        guard parts.count == 2, let number = parts[1].split(separator: " ").first,
              number.first?.isNumber ?? false else { return reference }
        return "§" + number
    }

    private static func feature(_ feature: Feature) -> JSON {
        .object([
            ("name", .string(feature.name)),
            ("bit", .int(feature.bit)),
            ("requires", feature.requires.map(Format.tree) ?? .null),
            ("requires_text", .string(feature.requires?.description)),
            ("legacy", .bool(feature.isLegacyOnly)),
            ("doc", .string(feature.doc)),
        ])
    }

    /// One version's layout under both interpretations: a line per field, then the sizes, QEMU's
    /// table and the features that shape it.
    private mutating func layout(_ device: Device) -> String {
        guard device.config != nil else {
            return #"{"fields":[],"unions":[],"size":null,"qemu":null,"shaping":[]}"#
        }
        let fixed = SymbolicLayout(device: device, interpretation: .fixed)
        let packed = SymbolicLayout(device: device, interpretation: .packed)
        let unions = device.unions
        var fields: [String] = []
        var shaping = Set<String>()
        defer { self.shaping.formUnion(shaping) }
        for (inFixed, inPacked) in zip(fixed.fields, packed.fields) {
            let field = inFixed.field
            for condition in [inFixed.placed, inPacked.placed, inFixed.exists, inFixed.valid] {
                shaping.formUnion(condition.featureNames)
            }
            fields.append(JSON.object([
                ("name", .string(inFixed.path)),
                ("type", .string(field.type.name)),
                ("size", .int(inFixed.size)),
                ("alignment", .int(field.type.naturalAlignment)),
                ("condition", .string(device.conditionText(ofPath: inFixed.path))),
                ("exists", Format.tree(inFixed.exists)),
                ("valid", Format.tree(inFixed.valid)),
                ("union", .string(unions.first { inFixed.path.hasPrefix($0.path + ".") }?.path)),
                ("access", .string(field.access == .readOnly ? nil : field.access.rawValue)),
                ("reserved", .bool(field.isReserved)),
                ("since", .string(field.since?.description)),
                ("until", .string(field.until?.description)),
                ("doc", .string(field.doc)),
                ("fixed", .object([("placed", Format.tree(inFixed.placed)), ("offset", Self.value(inFixed.offset))])),
                ("packed", .object([("placed", Format.tree(inPacked.placed)), ("offset", Self.value(inPacked.offset))])),
            ]).compact())
        }
        let table = QemuSizeTable(device: device)
        let (fixedEnds, packedEnds) = (fixed.qemuTable, packed.qemuTable)
        for entry in table.entries { shaping.formUnion(entry.condition.featureNames) }
        let qemu = JSON.object([
            ("transcribed", .bool(table.isTranscribed)),
            ("depends_on_values", .string(table.valueDependence(of: device))),
            ("minimum", .object([("fixed", Self.value(fixedEnds.minimum)), ("packed", Self.value(packedEnds.minimum))])),
            ("entries", .array(zip(fixedEnds.entries, packedEnds.entries).map { inFixed, inPacked in
                .object([("if", Format.tree(inFixed.condition)), ("when", .string(inFixed.condition.description)),
                         ("fixed", Self.value(inFixed.end)), ("packed", Self.value(inPacked.end))])
            })),
        ])
        let size = JSON.object([
            ("fixed", .object([("full", Self.value(fixed.size(.full))), ("qemu", Self.value(fixed.size(.qemu)))])),
            ("packed", .object([("full", Self.value(packed.size(.full))), ("qemu", Self.value(packed.size(.qemu)))])),
        ])
        let unionEntries = JSON.array(unions.map { .object([("path", .string($0.path)),
                                                            ("members", .array($0.members.map { .string($0) }))]) })
        return "{\"fields\":[\n" + fields.joined(separator: ",\n") + "],\n"
            + "\"unions\":" + unionEntries.compact() + ",\n"
            + "\"size\":" + size.compact() + ",\n"
            + "\"qemu\":" + qemu.compact() + ",\n"
            + "\"shaping\":" + JSON.array(device.features.map(\.name).filter(shaping.contains).map { .string($0) }).compact()
            + "}"
    }

    /// A symbolic value as the script reads it.
    static func value(_ value: SymbolicValue) -> JSON {
        switch value {
        case .constant(let count):
            .int(count)
        case .term(let count, let condition):
            .object([("n", .int(count)), ("if", Format.tree(condition)), ("when", .string(condition.description))])
        case .sum(let parts):
            .object([("sum", .array(parts.map(Self.value)))])
        case .maximum(let parts):
            .object([("max", .array(parts.map(Self.value)))])
        case .product(let condition, let inner):
            .object([("if", Format.tree(condition)), ("when", .string(condition.description)), ("times", Self.value(inner))])
        }
    }
}
