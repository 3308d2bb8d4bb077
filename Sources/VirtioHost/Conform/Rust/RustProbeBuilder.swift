/// Writes the struct and everything its layout depends on as one self-contained Rust file: each
/// item the struct names (structs, unions, enums, aliases, the constants in array lengths), from
/// whichever module or file of the crate it is in, under a name of its own, with only its `#[repr]`
/// kept; outside types the probe knows by shape become stand-ins. Each line remembers the user's
/// file and line it came from, so rustc's words can point there.
final class RustProbeBuilder {
    struct Line {
        let text: String
        let origin: (file: String, line: Int)?
    }

    let crate: RustCrate
    let resolver: RustResolver
    private(set) var lines: [Line] = []
    private(set) var standIns: [String: RustStandIn] = [:]
    /// Names the probe could not place, with where they were written.
    private(set) var unresolved: [(name: String, file: String, line: Int)] = []
    /// Fields measured as if a `#[cfg]` on them held.
    private(set) var conditionalFields: [(path: String, condition: String, file: String, line: Int)] = []
    /// Every item written, and where it came from.
    private(set) var written: [(name: String, file: String, line: Int)] = []
    private var probeNames: [String: String] = [:]
    private var taken: Set<String> = ["main", "size_of_pointee"]
    private var queue: [(module: [String], item: RustItem)] = []

    private static let keywords: Set<String> = [
        "as", "mut", "const", "dyn", "impl", "fn", "where", "for", "in", "if", "else", "match", "let", "unsafe", "move",
        "ref", "return", "true", "false", "Self", "pub", "struct", "enum", "union", "type", "static", "loop", "while",
    ]

    init(crate: RustCrate) {
        self.crate = crate
        resolver = RustResolver(crate: crate)
    }

    /// The probe's name for an item, queued to be written.
    func name(of item: RustItem, in module: [String]) -> String {
        let key = module.joined(separator: "::") + "::" + item.name
        if let known = probeNames[key] { return known }
        var name = item.name
        var counter = 2
        while taken.contains(name) || name.hasPrefix("__cfgspace") { name = "\(item.name)_\(counter)"; counter += 1 }
        taken.insert(name)
        probeNames[key] = name
        queue.append((module, item))
        return name
    }

    /// Writes every queued item, and what they queue in turn.
    func writeQueued() {
        while !queue.isEmpty {
            let (module, item) = queue.removeFirst()
            write(item, in: module)
        }
    }

    func append(_ text: String, origin: (file: String, line: Int)? = nil) {
        lines.append(Line(text: text, origin: origin))
    }

    private func write(_ item: RustItem, in module: [String]) {
        guard let probeName = probeNames[module.joined(separator: "::") + "::" + item.name],
              let file = crate.module(module)?.file else { return }
        let origin = (file: file, line: item.line)
        written.append((item.name, file, item.line))
        let generics = Self.genericNames(item.generics)
        let genericText = rewrite(item.generics, in: module, shadowed: generics, origin: origin)
        for attribute in item.attributes where attribute.name == "repr" {
            append("#[\(attribute.text)]", origin: (file, attribute.line))
        }
        switch item.kind {
        case .structure(let structure):
            append("#[derive(Clone, Copy)]", origin: origin)
            let keyword = structure.isUnion ? "union" : "struct"
            switch structure.shape {
            case .unit:
                append("pub \(keyword) \(probeName)\(genericText);", origin: origin)
            case .named, .tuple:
                let isTuple = structure.shape == .tuple
                append("pub \(keyword) \(probeName)\(genericText) \(isTuple ? "(" : "{")", origin: origin)
                for field in structure.fields {
                    for attribute in field.attributes where attribute.name == "cfg" {
                        conditionalFields.append((field.name, attribute.text, file, field.line))
                    }
                    let type = rewrite(field.type, in: module, shadowed: generics, origin: (file, field.line))
                    append("    pub " + (isTuple ? "" : "\(field.name.isKeywordLike ? "r#" : "")\(field.name): ") + type + ",",
                           origin: (file, field.line))
                }
                append(isTuple ? ");" : "}", origin: origin)
            }
        case .enumeration:
            append("#[derive(Clone, Copy)]", origin: origin)
            // `enum Name { A = EXPR, B(T), ... }`: each variant's name kept, the rest rewritten.
            let body = item.tokens.drop { !$0.is("{") }.dropFirst().dropLast()
            append("pub enum \(probeName)\(genericText) {", origin: origin)
            for variant in RustItemReader.split(body, on: ",") {
                var rest = variant
                while rest.first?.is("#") == true {
                    rest.removeFirst()
                    _ = RustItemReader.takeGroup(&rest)
                }
                guard let name = rest.first else { continue }
                append("    " + name.text + " " + rewrite(rest.dropFirst(), in: module, prefer: .value, shadowed: generics,
                                                          origin: (file, name.line)) + ",", origin: (file, name.line))
            }
            append("}", origin: origin)
        case .alias(let type):
            append("pub type \(probeName)\(genericText) = " + rewrite(type, in: module, shadowed: generics, origin: origin) + ";",
                   origin: origin)
        case .constant(let type, let value):
            let keyword = item.tokens.first?.text == "static" ? "static" : "const"
            append("pub \(keyword) \(probeName): " + rewrite(type, in: module, shadowed: [], origin: origin) + " = "
                   + rewrite(value, in: module, prefer: .value, shadowed: [], origin: origin) + ";", origin: origin)
        case .module, .use:
            break
        }
    }

    /// `<T, const N: usize, 'a>` → T, N.
    private static func genericNames(_ generics: ArraySlice<RustToken>) -> Set<String> {
        guard generics.count > 2 else { return [] }
        return Set(RustItemReader.split(generics.dropFirst().dropLast(), on: ",").compactMap { part in
            part.first { $0.kind == .identifier && $0.text != "const" }?.name
        })
    }

    /// The tokens with every path that names an item of the crate replaced by the probe's name for
    /// it, and outside types the probe knows by their stand-in.
    func rewrite(_ tokens: ArraySlice<RustToken>, in module: [String], prefer: RustResolver.Namespace = .type,
                 shadowed: Set<String>, origin: (file: String, line: Int)) -> String {
        var out = ""
        var index = tokens.startIndex
        func emit(_ text: String, space: Bool) {
            if space, !out.isEmpty { out += " " }
            out += text
        }
        while index < tokens.endIndex {
            let token = tokens[index]
            let previous = index > tokens.startIndex ? tokens[index - 1] : nil
            let leadingColons = token.is(":") && index + 2 < tokens.endIndex && tokens[index + 1].is(":")
                && tokens[index + 2].kind == .identifier && previous?.kind != .identifier && previous?.is(">") != true
            let startsPath = (token.kind == .identifier && !Self.keywords.contains(token.text)) || leadingColons
            if !startsPath || previous?.is(".") == true || previous?.is("'") == true {
                emit(token.text, space: token.spaceBefore)
                index += 1
                continue
            }
            var segments: [String] = []
            var end = index
            if leadingColons { segments.append("::"); end += 2 }
            while end < tokens.endIndex, tokens[end].kind == .identifier {
                segments.append(tokens[end].name)
                end += 1
                guard end + 2 < tokens.endIndex, tokens[end].is(":"), tokens[end + 1].is(":"),
                      tokens[end + 2].kind == .identifier else { break }
                end += 2
            }
            let written = RustTokenizer.text(tokens[index..<end])
            if end < tokens.endIndex, tokens[end].is("!") || (segments.count == 1 && shadowed.contains(segments[0])) {
                emit(written, space: token.spaceBefore)
                index = end
                continue
            }
            let resolved = resolve(segments, in: module, prefer: prefer)
            var replacement = written
            switch resolved {
            case .item(let home, let item)?:
                replacement = name(of: item, in: home)
            case .primitive?, .module?, .none:
                break
            case .std(let path)?:
                replacement = RustStandIn.cIntegers[path.last ?? ""] ?? "::" + path.joined(separator: "::")
            case .external(let path)?:
                let (standIn, consumed) = standInFor(path, arguments: tokens[end...], in: module)
                if let standIn {
                    standIns[standIn.probeName] = standIn
                    replacement = standIn.probeName
                    end += consumed
                } else if let integer = RustStandIn.cIntegers[path.last ?? ""], path.first == "libc" {
                    replacement = integer
                } else {
                    unresolved.append((path.joined(separator: "::"), origin.file, origin.line))
                }
            }
            emit(replacement, space: token.spaceBefore)
            index = end
        }
        return out
    }

    /// A path in the preferred namespace, else the other: the crate's own item wins over a guess
    /// that an unknown name is an outside crate.
    func resolve(_ segments: [String], in module: [String], prefer: RustResolver.Namespace) -> RustResolver.Resolved? {
        let first = resolver.resolve(segments, in: module, namespace: prefer)
        if case .item? = first { return first }
        let second = resolver.resolve(segments, in: module, namespace: prefer == .type ? .value : .type)
        if case .item? = second { return second }
        return first ?? second
    }

    /// The stand-in for an outside path, and how many tokens of generic arguments it took.
    func standInFor(_ path: [String], arguments: ArraySlice<RustToken>, in module: [String]) -> (RustStandIn?, Int) {
        guard let crateName = path.first, let last = path.last else { return (nil, 0) }
        if crateName == "zerocopy" {
            if let order = path.dropLast().last, order.hasSuffix("_endian") {
                return (RustStandIn.zerocopy(name: last, order: order), 0)
            }
            if arguments.first?.is("<") == true, let close = Self.closingAngle(arguments) {
                let argument = arguments[(arguments.startIndex + 1)..<close]
                if case .path(let segments, _) = RustTypeShape(argument),
                   case .external(let orderPath)? = resolver.resolve(segments, in: module, namespace: .type),
                   orderPath.first == "zerocopy", let order = orderPath.last {
                    return (RustStandIn.zerocopy(name: last, order: order), close - arguments.startIndex + 1)
                }
            }
            return (nil, 0)
        }
        if let wrapper = RustStandIn.endianWrapper(crate: crateName, name: last) { return (wrapper, 0) }
        return (RustStandIn.linuxName(last), 0)
    }

    /// The index of the `>` that closes the `<` at the start.
    static func closingAngle(_ tokens: ArraySlice<RustToken>) -> Int? {
        var depth = 0
        var previous: RustToken?
        for index in tokens.indices {
            let token = tokens[index]
            if token.is("<") { depth += 1 }
            if token.is(">"), previous?.is("-") != true { depth -= 1; if depth == 0 { return index } }
            previous = token
        }
        return nil
    }
}

private extension String {
    /// Field names that must be written `r#name`.
    var isKeywordLike: Bool { ["type", "match", "ref", "move", "fn", "mod", "use", "in", "loop", "box"].contains(self) }
}
