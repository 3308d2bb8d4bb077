/// Finds what a path names, as rustc would inside the crate: the module's own items, then its `use`
/// declarations (named, then globs), then the primitives; `crate::`, `self::` and `super::` walk
/// the module tree, `pub use` re-exports are followed, and a first segment found nowhere is an
/// outside crate. Only types and constants are looked for: that is all a struct's layout needs.
struct RustResolver {
    enum Namespace { case type, value }

    enum Resolved {
        case primitive(String)
        case item(module: [String], item: RustItem)
        case module([String])
        /// A path into the standard library, kept as written.
        case std([String])
        /// A path into a crate outside this one: its name first.
        case external([String])
    }

    let crate: RustCrate

    /// What `segments` names from inside `module`.
    func resolve(_ segments: [String], in module: [String], namespace: Namespace) -> Resolved? {
        var visited = Set<String>()
        return resolve(segments, in: module, namespace: namespace, visited: &visited)
    }

    private func resolve(_ segments: [String], in module: [String], namespace: Namespace,
                         visited: inout Set<String>) -> Resolved? {
        guard let first = segments.first else { return nil }
        var current: Resolved
        var rest = segments.dropFirst()
        switch first {
        case "::":
            guard let name = rest.first else { return nil }
            return ["std", "core", "alloc"].contains(name) ? .std(Array(rest)) : .external(Array(rest))
        case "crate":
            current = .module([])
        case "self":
            current = .module(module)
        case "super":
            guard !module.isEmpty else { return nil }
            current = .module(Array(module.dropLast()))
            while rest.first == "super" {
                guard case .module(let path) = current, !path.isEmpty else { return nil }
                current = .module(Array(path.dropLast()))
                rest = rest.dropFirst()
            }
        default:
            if let found = lookup(first, in: module, namespace: rest.isEmpty ? namespace : .type, visited: &visited) {
                current = found
            } else if ["std", "core", "alloc"].contains(first) {
                return .std(segments)
            } else if RustStandIn.primitives.contains(first) {
                return rest.isEmpty ? .primitive(first) : .std(segments)
            } else {
                return .external(segments)
            }
            rest = rest.dropFirst(0)
            if case .module = current {} else { return rest.isEmpty ? current : walk(current, Array(rest)) }
        }
        for (index, segment) in rest.enumerated() {
            switch current {
            case .module(let path):
                let isLast = index == rest.count - 1
                guard let found = lookup(segment, in: path, namespace: isLast ? namespace : .type, visited: &visited,
                                         ownItemsOnly: true) else { return nil }
                current = found
            case .std(let path): return .std(path + rest.dropFirst(index))
            case .external(let path): return .external(path + rest.dropFirst(index))
            default: return nil
            }
        }
        return current
    }

    /// Past an outside crate or the standard library, the rest of the path goes with it.
    private func walk(_ start: Resolved, _ rest: [String]) -> Resolved? {
        switch start {
        case .std(let path): return .std(path + rest)
        case .external(let path): return .external(path + rest)
        default: return nil
        }
    }

    /// A single name in a module's scope. `ownItemsOnly` is a path's later segment, which sees the
    /// module's items and re-exports but not the outside crates.
    private func lookup(_ name: String, in modulePath: [String], namespace: Namespace, visited: inout Set<String>,
                        ownItemsOnly: Bool = false) -> Resolved? {
        let key = modulePath.joined(separator: "::") + "#" + name + (namespace == .type ? "t" : "v")
        guard visited.insert(key).inserted, let module = crate.module(modulePath) else { return nil }
        let candidates = module.items.filter { $0.name == name && Self.isIn(namespace, $0) }
        if let item = Self.preferred(candidates) {
            if case .module = item.kind { return .module(modulePath + [name]) }
            return .item(module: modulePath, item: item)
        }
        let uses = module.items.flatMap { item -> [RustUse] in
            if case .use(let uses) = item.kind { return uses }
            return []
        }
        for use in uses where use.binding == name {
            if let found = resolve(use.path, in: modulePath, namespace: namespace, visited: &visited) { return found }
        }
        for use in uses where use.binding == nil {
            if case .module(let target)? = resolve(use.path, in: modulePath, namespace: .type, visited: &visited),
               let found = lookup(name, in: target, namespace: namespace, visited: &visited, ownItemsOnly: true) {
                return found
            }
        }
        return nil
    }

    private static func isIn(_ namespace: Namespace, _ item: RustItem) -> Bool {
        switch item.kind {
        case .structure, .enumeration, .alias, .module: namespace == .type
        case .constant: namespace == .value
        case .use: false
        }
    }

    /// Of definitions under different `#[cfg]`s, the one with none, else one for Linux, else the first.
    private static func preferred(_ items: [RustItem]) -> RustItem? {
        items.first { !$0.attributes.contains { $0.name == "cfg" } }
            ?? items.first { $0.attributes.contains { $0.name == "cfg" && ($0.text.contains("linux") || $0.text.contains("unix")) } }
            ?? items.first
    }
}
