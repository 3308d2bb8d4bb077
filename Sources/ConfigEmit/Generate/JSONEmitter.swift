import ConfigLayout
import Rendering

/// The machine-readable feed: one JSON document per device, and the JSON Schema they follow.
struct JSONEmitter: Emitter {
    let generator: Generator

    var sharedFiles: [GeneratedFile] {
        [GeneratedFile(path: "json/schema.json",
                       contents: JSONDocumentSchema.schema(banner: generator.banner("Layouts/*.layout")).rendered())]
    }

    static let name = "json"
    static let summary = "JSON"

    static func path(of device: Device) -> String { "json/\(device.name).json" }

    func contents(for input: GenerationInput) -> String { document(for: input).rendered() }

    func document(for input: GenerationInput) -> JSON {
        let device = input.device
        var members: [(key: String, value: JSON)] = [
            ("$comment", .string(generator.banner(input.layoutName))),
            ("device", .string(device.name)),
            ("id", .int(device.id)),
            ("title", .string(device.title)),
            ("spec", .string(device.specReference)),
            ("spec_version", .string(generator.version.description)),
            ("since", .string(device.since?.description)),
            ("config", .string(device.config?.name)),
        ]
        if device.config != nil {
            let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
            let conditions = Dictionary(SymbolicLayout(device: device, interpretation: .fixed).fields.map { ($0.path, $0) },
                                        uniquingKeysWith: { first, _ in first })
            members.append(("size", .int(layout.size)))
            let inherited = device.fieldConditions
            members.append(("fields", .array(layout.fields.map { field(field: $0, symbolic: conditions[$0.path], conditions: inherited) })))
            let table = QemuSizeTable(device: device)
            let (minimum, entries) = table.fixedEnds(of: device)
            members.append(("qemu", .object([
                ("transcribed", .bool(table.isTranscribed)),
                ("min_size", .int(minimum)),
                ("feature_sizes", .array(entries.map { entry in
                    .object([("condition", .string(entry.condition.description)),
                             ("condition_tree", Format.tree(entry.condition)), ("end", .int(entry.end))])
                })),
            ])))
        } else {
            members.append(("size", .null))
            members.append(("fields", .array([])))
            members.append(("qemu", .null))
        }
        members.append(("features", .array(device.features.map(feature))))
        members.append(("transport_features", .array((device.transport?.features ?? []).map(feature))))
        return .object(members)
    }

    private func field(field placed: PlacedField, symbolic: SymbolicField?, conditions: [Device.FieldConditions]) -> JSON {
        let field = placed.field
        let exists = symbolic?.exists ?? .always
        let valid = symbolic?.valid ?? .always
        // A member of a conditional struct is governed by the struct's conditions: its kind says so.
        let kind: String = switch (exists != .always, valid != exists) {
        case (false, false): "always"
        case (true, false): "exists-if"
        case (false, true): "valid-if"
        case (true, true): "exists-if-and-valid-if"
        }
        let own = field.existence ?? field.validity
        let inheritedFrom = conditions.first { $0.path == placed.path }?.inheritedFrom
        let count: Int? = switch field.type {
        case .array(_, let count), .chars(let count): count
        default: nil
        }
        let element: String = switch field.type {
        case .scalar(let scalar), .array(let scalar, _): scalar.rawValue
        case .flexible(let scalar, _): scalar?.rawValue ?? "char"
        case .chars: "char"
        case .aggregate: "struct"
        }
        return .object([
            ("name", .string(placed.path)),
            ("offset", .int(placed.offset)),
            ("size", .int(placed.size)),
            ("type", .string(field.type.name)),
            ("element", .string(element)),
            ("count", .int(count)),
            ("byte_order", .string(Self.byteOrder(field.type))),
            ("access", .string(field.access.rawValue)),
            ("writable_before", .string(field.writableBefore?.description)),
            ("readable_after", .string(field.readableAfter?.description)),
            ("kind", .string(kind)),
            ("condition", .string(field.conditionText.isEmpty ? nil : field.conditionText)),
            ("condition_from", .string(inheritedFrom)),
            ("condition_tree", own.map { Format.tree($0.condition) } ?? .null),
            ("basis", .string(own?.basis.rawValue)),
            ("implied", .bool(own?.isImplied ?? false)),
            ("exists_when", .string(exists.description)),
            ("exists_tree", Format.tree(exists)),
            ("valid_when", .string(valid.description)),
            ("valid_tree", Format.tree(valid)),
            ("range", field.range.map { range in
                .object([("min", .string(String(range.lowerBound))), ("max", .string(String(range.upperBound)))])
            } ?? .null),
            ("reserved", .bool(field.isReserved)),
            ("since", .string(field.since?.description)),
            ("until", .string(field.until?.description)),
            ("doc", .string(field.doc)),
        ])
    }

    /// `u8` for single bytes and strings, `le` for always little-endian, `virtio` for little-endian
    /// once VERSION_1 is negotiated, `unspecified` for the spec's bare u16/u32/u64.
    static func byteOrder(_ type: FieldType) -> String {
        switch type.scalar?.byteOrder {
        case .little: "le"
        case .virtio: "virtio"
        case .unspecified: "unspecified"
        case .none?, nil: "u8"
        }
    }

    private func feature(_ feature: Feature) -> JSON {
        .object([
            ("name", .string(feature.name)),
            ("bit", .int(feature.bit)),
            ("requires", .string(feature.requires?.description)),
            ("requires_tree", feature.requires.map(Format.tree) ?? .null),
            ("legacy", .bool(feature.isLegacyOnly)),
            ("since", .string(feature.since?.description)),
            ("until", .string(feature.until?.description)),
            ("doc", .string(feature.doc)),
        ])
    }
}

/// The JSON Schema (draft 2020-12) of the device documents.
enum JSONDocumentSchema {
    static func type(_ names: String...) -> (key: String, value: JSON) {
        ("type", names.count == 1 ? .string(names[0]) : .array(names.map { .string($0) }))
    }

    static func object(_ properties: [(String, JSON)], required: [String]? = nil) -> JSON {
        .object([
            type("object"),
            ("properties", .object(properties.map { ($0.0, $0.1) })),
            ("required", .array((required ?? properties.map(\.0)).map { .string($0) })),
            ("additionalProperties", .bool(false)),
        ])
    }

    static let string = JSON.object([type("string")])
    static let nullableString = JSON.object([type("string", "null")])
    static let integer = JSON.object([type("integer"), ("minimum", .int(0))])
    static let nullableInteger = JSON.object([type("integer", "null"), ("minimum", .int(0))])
    static let boolean = JSON.object([type("boolean")])
    static let version = JSON.object([type("string", "null"), ("pattern", .string("^[0-9]+\\.[0-9]+$"))])
    static let condition = JSON.object([("$ref", .string("#/$defs/condition"))])
    static let nullableCondition = JSON.object([("oneOf", .array([condition, .object([type("null")])]))])

    static func enumeration(_ values: [String]) -> JSON {
        .object([type("string"), ("enum", .array(values.map { .string($0) }))])
    }

    static let feature = object([
        ("name", string), ("bit", integer), ("requires", nullableString), ("requires_tree", nullableCondition),
        ("legacy", boolean), ("since", version), ("until", version), ("doc", nullableString),
    ])

    static let field = object([
        ("name", string), ("offset", integer), ("size", integer), ("type", string),
        ("element", enumeration(ScalarType.allCases.map(\.rawValue) + ["char", "struct"])),
        ("count", nullableInteger),
        ("byte_order", enumeration(["u8", "le", "virtio", "unspecified"])),
        ("access", enumeration(Field.Access.allCases.map(\.rawValue))),
        ("writable_before", nullableString), ("readable_after", nullableString),
        ("kind", enumeration(["always", "exists-if", "valid-if", "exists-if-and-valid-if"])),
        ("condition", nullableString), ("condition_from", nullableString), ("condition_tree", nullableCondition),
        ("basis", .object([type("string", "null"), ("enum", .array([.string("offered"), .string("negotiated"), .null]))])),
        ("implied", boolean),
        ("exists_when", string), ("exists_tree", condition), ("valid_when", string), ("valid_tree", condition),
        ("range", .object([
            type("object", "null"),
            ("properties", .object([("min", .object([type("string"), ("pattern", .string("^[0-9]+$"))])),
                                    ("max", .object([type("string"), ("pattern", .string("^[0-9]+$"))]))])),
            ("required", .array([.string("min"), .string("max")])),
            ("additionalProperties", .bool(false)),
        ])),
        ("reserved", boolean), ("since", version), ("until", version), ("doc", nullableString),
    ])

    static let qemu = JSON.object([
        type("object", "null"),
        ("properties", .object([
            ("transcribed", boolean), ("min_size", integer),
            ("feature_sizes", .object([type("array"), ("items", object([
                ("condition", string), ("condition_tree", condition), ("end", integer),
            ]))])),
        ])),
        ("required", .array([.string("transcribed"), .string("min_size"), .string("feature_sizes")])),
        ("additionalProperties", .bool(false)),
    ])

    static func schema(banner: String) -> JSON {
        let conditionTree = JSON.object([
            ("oneOf", .array([
                object([("constant", boolean)]),
                object([("feature", string)]),
                object([("not", condition)]),
                object([("all", .object([type("array"), ("items", condition), ("minItems", .int(2))]))]),
                object([("any", .object([type("array"), ("items", condition), ("minItems", .int(2))]))]),
            ])),
        ])
        var root: [(key: String, value: JSON)] = [
            ("$comment", .string(banner)),
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://cfgspace.invalid/schema/device.json")),
            ("title", .string("A virtio device's configuration layout, as cfgspace generates it")),
        ]
        if case .object(let body) = object([
            ("$comment", string), ("device", string), ("id", integer), ("title", nullableString),
            ("spec", nullableString), ("spec_version", version), ("since", version), ("config", nullableString),
            ("size", nullableInteger), ("fields", .object([type("array"), ("items", field)])), ("qemu", qemu),
            ("features", .object([type("array"), ("items", feature)])),
            ("transport_features", .object([type("array"), ("items", feature)])),
        ]) {
            root += body
        }
        root.append(("$defs", .object([("condition", conditionTree)])))
        return .object(root)
    }
}
