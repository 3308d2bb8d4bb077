import ConfigLayout
import Foundation
import Spelling

/// A Rust config struct where it lives: found among the items of its file (nested modules too),
/// flattened to its leaf members with each member's byte-order kind read through aliases, wrappers
/// and stand-ins, and written as a self-contained probe for rustc with just what its layout needs
/// from the crate. The rest of the crate (its other modules, serde, derives, impls, functions)
/// never reaches the compiler.
struct RustDeclarations {
    let crate: RustCrate
    let builder: RustProbeBuilder
    let file: String
    let module: [String]
    let item: RustItem
    let structure: RustStruct
    let declared: DeclaredStruct

    init(file: String, text: String, structName: String) throws(ConformProbe.Failure) {
        let crate = RustCrate(file: file, text: text)
        let builder = RustProbeBuilder(crate: crate)
        self.crate = crate
        self.builder = builder
        self.file = URL(fileURLWithPath: file).standardizedFileURL.path
        let targetDepth = crate.targetPath.count
        let wanted = structName.split(separator: ":").filter { !$0.isEmpty }.map(String.init)
        let structs = crate.targetStructs
        let matches = structs.filter { candidate in
            candidate.item.name == wanted.last && candidate.module.suffix(wanted.count - 1).elementsEqual(wanted.dropLast())
        }
        guard let found = matches.first else {
            let known = structs.map(\.item.name)
            throw .noSuchStruct(structName, suggestion: Suggestion.closest(to: wanted.last ?? structName, in: known),
                                known: Array(Set(known)).sorted())
        }
        guard matches.count == 1 else {
            let names = matches.map { ($0.module.dropFirst(targetDepth) + [$0.item.name]).joined(separator: "::") }
            throw .ambiguous("'\(structName)' names \(matches.count) structs in the file: say which with "
                              + names.map { "--struct \($0)" }.joined(separator: " or "))
        }
        guard case .structure(let structure) = found.item.kind else { throw .unreadable("'\(structName)' is not a struct") }
        guard found.item.generics.isEmpty else {
            throw .unreadable("\(found.item.name) is generic (\(RustTokenizer.text(found.item.generics))): "
                              + "a config struct's layout is measured for one type, so give a struct without parameters")
        }
        module = found.module
        item = found.item
        self.structure = structure
        var members: [DeclaredStruct.Member] = []
        Self.flatten(structure, in: found.module, prefix: "", depth: 0, builder: builder, into: &members)
        declared = DeclaredStruct(name: found.item.name, line: found.item.line, members: members,
                                  isPacked: Self.reprHints(found.item).contains { $0.hasPrefix("packed") })
    }

    /// Fields of the crate's own multi-field structs and unions become dotted paths; a one-field
    /// wrapper, an array or anything else is a leaf.
    private static func flatten(_ structure: RustStruct, in module: [String], prefix: String, depth: Int,
                                builder: RustProbeBuilder, into members: inout [DeclaredStruct.Member]) {
        for field in structure.fields {
            let name = ["type", "match", "ref", "move", "fn", "mod", "use", "in", "loop"].contains(field.name) ? "r#" + field.name : field.name
            let path = prefix + name
            if depth < 8, let (innerModule, inner) = target(of: field.type, in: module, resolver: builder.resolver),
               case .structure(let nested) = inner.kind, nested.fields.count > 1 || nested.isUnion {
                flatten(nested, in: innerModule, prefix: path + ".", depth: depth + 1, builder: builder, into: &members)
                continue
            }
            var count: Int?
            var isArray = false
            if case .array(_, let length) = RustTypeShape(field.type) {
                isArray = true
                count = RustTypeShape.number(length)
            }
            members.append(DeclaredStruct.Member(path: path, typeName: RustTokenizer.text(field.type),
                                                 kind: kind(of: field.type, in: module, builder: builder, depth: 0),
                                                 count: count, isArray: isArray, isFlexible: false, line: field.line))
        }
    }

    /// The crate's own struct or union a type names, through aliases.
    private static func target(of type: ArraySlice<RustToken>, in module: [String],
                               resolver: RustResolver) -> ([String], RustItem)? {
        var type = type, module = module
        for _ in 0..<8 {
            guard case .path(let segments, _) = RustTypeShape(type),
                  case .item(let home, let item)? = resolver.resolve(segments, in: module, namespace: .type) else { return nil }
            switch item.kind {
            case .structure: return (home, item)
            case .alias(let aliased): type = aliased; module = home
            default: return nil
            }
        }
        return nil
    }

    /// The byte-order kind a type gives its bytes: from a name that says it (`Le32`, `__le32`,
    /// `u32_le`), a stand-in, a primitive, or what an alias or one-field wrapper holds. Nil when
    /// nothing says.
    static func kind(of type: ArraySlice<RustToken>, in module: [String], builder: RustProbeBuilder, depth: Int) -> String? {
        guard depth < 12 else { return nil }
        switch RustTypeShape(type) {
        case .array(let element, _):
            return kind(of: element, in: module, builder: builder, depth: depth + 1)
        case .path(let segments, let arguments):
            guard let last = segments.last else { return nil }
            if !RustStandIn.primitives.contains(last), let hint = DeclaredKind.orderHint(last) { return hint }
            switch builder.resolver.resolve(segments, in: module, namespace: .type) {
            case .primitive(let name)?:
                return RustStandIn.primitiveKind(name)
            case .item(let home, let item)?:
                switch item.kind {
                case .alias(let aliased):
                    return kind(of: aliased, in: home, builder: builder, depth: depth + 1)
                case .structure(let inner) where inner.fields.count == 1:
                    return kind(of: inner.fields[0].type, in: home, builder: builder, depth: depth + 1)
                case .enumeration:
                    return reprHints(item).compactMap(RustStandIn.primitiveKind).first
                default:
                    return nil
                }
            case .std(let path)?:
                return RustStandIn.cIntegers[path.last ?? ""].flatMap(RustStandIn.primitiveKind)
            case .external(let path)?:
                let written = arguments.isEmpty ? ArraySlice<RustToken>() : type.drop { !$0.is("<") }
                if let standIn = builder.standInFor(path, arguments: written, in: module).0 { return standIn.kind }
                return path.first == "libc" ? RustStandIn.cIntegers[last].flatMap(RustStandIn.primitiveKind) : nil
            case .module?, .none:
                return nil
            }
        case .tuple, .other:
            return nil
        }
    }

    static func reprHints(_ item: RustItem) -> [String] {
        item.attributes.compactMap(\.reprHints).flatMap { $0 }
    }

    /// The probe: the struct under its own name with its dependencies, then a main that prints
    /// `S size`, `A alignment` and `F offset size` for every member.
    func probe() -> (lines: [RustProbeBuilder.Line], rootName: String) {
        builder.append("#![allow(warnings)]")
        let rootName = builder.name(of: item, in: module)
        builder.writeQueued()
        for standIn in builder.standIns.values.sorted(by: { $0.probeName < $1.probeName }) where !standIn.definition.isEmpty {
            builder.append(standIn.definition)
        }
        builder.append("fn size_of_pointee<F>(_: *const F) -> usize { ::core::mem::size_of::<F>() }")
        builder.append("fn main() {")
        builder.append("    println!(\"S {}\", ::core::mem::size_of::<\(rootName)>());")
        builder.append("    println!(\"A {}\", ::core::mem::align_of::<\(rootName)>());")
        builder.append("    let probe = ::core::mem::MaybeUninit::<\(rootName)>::uninit();")
        builder.append("    let base = probe.as_ptr();")
        for member in declared.members {
            builder.append("    println!(\"F {} {}\", ::core::mem::offset_of!(\(rootName), \(member.path)), "
                           + "size_of_pointee(unsafe { ::core::ptr::addr_of!((*base).\(member.path)) }));",
                           origin: (file, member.line))
        }
        builder.append("}")
        return (builder.lines, rootName)
    }

    /// What the report says about how the struct was read: stand-ins, `#[cfg]` fields, no `#[repr(C)]`.
    var notes: [ConformProbe.Note] {
        var notes = builder.standIns.values.sorted { $0.probeName < $1.probeName }.map { ConformProbe.Note(kind: .standIn, message: $0.note, line: nil) }
        for field in builder.conditionalFields {
            notes.append(.init(kind: .conditional, message: "\(field.path) is under #[\(field.condition)]: measured as if it holds",
                               line: field.line))
        }
        let borrowed = builder.written.filter { $0.file != file }
        if !borrowed.isEmpty {
            notes.append(.init(kind: .crate, message: "from elsewhere in the crate: " + borrowed.map { "\($0.name) (\(ConformProbe.displayPath($0.file)):\($0.line))" }
                                .joined(separator: ", "), line: nil))
        }
        let hints = Self.reprHints(item)
        if !hints.contains(where: { $0 == "C" || $0 == "transparent" }) {
            notes.append(.init(kind: .representation, message: "\(item.name) is not #[repr(C)]: rustc may order its fields "
                               + "as it likes, and may do so differently in another release", line: item.line))
        }
        return notes
    }
}
