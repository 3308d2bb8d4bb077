import Foundation

/// The crate a Rust file belongs to, read one module at a time as names lead into it: the crate
/// root is `src/lib.rs` or `src/main.rs` beside the nearest `Cargo.toml`, the file's own module path
/// comes from where it sits under `src`, and `mod x;` is found as `x.rs` or `x/mod.rs` (or where
/// `#[path]` says), as rustc finds it. Outside any package, a file that the `mod.rs` or `lib.rs`
/// beside it declares (`pub mod blk;`) is that crate's module, as `rustc mod.rs` builds it; any
/// other file is a crate of its own.
final class RustCrate {
    struct Module {
        /// The path from the crate root: [] for the root, ["devices", "virtio"] below it.
        let path: [String]
        let items: [RustItem]
        /// The file the module's text is in (an inline module's is its parent's).
        let file: String
        /// Where `mod x;` inside it looks for `x.rs` and `x/mod.rs`.
        let childDirectory: String
    }

    /// The module the user's file is.
    let targetPath: [String]
    private var modules: [String: Module] = [:]
    private var fileItems: [String: [RustItem]] = [:]
    private let rootFile: String

    init(file: String, text: String) {
        let url = URL(fileURLWithPath: file).standardizedFileURL
        var located: (root: String, path: [String])?
        var folder = url.deletingLastPathComponent()
        while folder.path != "/" && located == nil {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Cargo.toml").path) {
                located = Self.locate(url, inPackage: folder)
                break
            }
            folder = folder.deletingLastPathComponent()
        }
        let (root, path) = located ?? Self.folderCrate(of: url) ?? (url.path, [])
        rootFile = root
        targetPath = path
        let items = RustItemReader.items(RustTokenizer.tokens(text))
        fileItems[url.path] = items
        let directory = url.deletingLastPathComponent()
        let isModFile = ["mod.rs", "lib.rs", "main.rs"].contains(url.lastPathComponent) || path.isEmpty
        let children = isModFile ? directory : directory.appendingPathComponent(url.deletingPathExtension().lastPathComponent)
        register(Module(path: path, items: items, file: url.path, childDirectory: children.path))
    }

    /// The crate root and the module path of a file under the package's `src`.
    private static func locate(_ file: URL, inPackage package: URL) -> (root: String, path: [String])? {
        let source = package.appendingPathComponent("src")
        let candidates = ["lib.rs", "main.rs"].map { source.appendingPathComponent($0).path }
        guard let root = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return nil }
        let prefix = source.path + "/"
        guard file.path.hasPrefix(prefix) else { return nil }
        var parts = file.path.dropFirst(prefix.count).split(separator: "/").map(String.init)
        guard let last = parts.popLast() else { return nil }
        let stem = String(last.dropLast(last.hasSuffix(".rs") ? 3 : 0))
        if file.path == root { return (root, []) }
        if stem != "mod" { parts.append(stem) }
        // A second binary (src/bin/x.rs) is a crate of its own.
        if parts.first == "bin" { return (file.path, []) }
        return (root, parts)
    }

    /// The crate a folder's `mod.rs` or `lib.rs` roots, when it declares the file as a module.
    private static func folderCrate(of file: URL) -> (root: String, path: [String])? {
        let stem = file.deletingPathExtension().lastPathComponent
        guard !["mod", "lib", "main"].contains(stem) else { return nil }
        for name in ["mod.rs", "lib.rs"] {
            let root = file.deletingLastPathComponent().appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: root.path) else { continue }
            let items = RustItemReader.items(RustTokenizer.tokens(String(decoding: data, as: UTF8.self)))
            if items.contains(where: { $0.name == stem && { if case .module = $0.kind { true } else { false } }($0) }) {
                return (root.path, [stem])
            }
        }
        return nil
    }

    private func register(_ module: Module) {
        modules[module.path.joined(separator: "::")] = module
        // Inline modules are modules too, in the same file.
        for item in module.items {
            if case .module(let inner?) = item.kind {
                register(Module(path: module.path + [item.name], items: inner, file: module.file,
                                childDirectory: module.childDirectory + "/" + item.name))
            }
        }
    }

    /// A module by its path from the crate root, read from its file the first time it is asked for.
    func module(_ path: [String]) -> Module? {
        if let known = modules[path.joined(separator: "::")] { return known }
        if path.isEmpty {
            guard let items = items(inFile: rootFile) else { return nil }
            let root = Module(path: [], items: items, file: rootFile,
                              childDirectory: URL(fileURLWithPath: rootFile).deletingLastPathComponent().path)
            register(root)
            return root
        }
        guard let name = path.last, let parent = module(Array(path.dropLast())) else { return nil }
        let declaration = parent.items.first { $0.name == name && { if case .module = $0.kind { true } else { false } }($0) }
        var candidates: [String] = []
        if let custom = declaration?.attributes.lazy.compactMap(\.pathValue).first {
            candidates.append(custom.hasPrefix("/") ? custom : parent.childDirectory + "/" + custom)
        }
        candidates += [parent.childDirectory + "/\(name).rs", parent.childDirectory + "/\(name)/mod.rs"]
        guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }),
              let items = items(inFile: file) else { return nil }
        let children = file.hasSuffix("/mod.rs") ? URL(fileURLWithPath: file).deletingLastPathComponent().path
            : parent.childDirectory + "/" + name
        let module = Module(path: path, items: items, file: file, childDirectory: children)
        register(module)
        return module
    }

    private func items(inFile file: String) -> [RustItem]? {
        if let known = fileItems[file] { return known }
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let items = RustItemReader.items(RustTokenizer.tokens(String(decoding: data, as: UTF8.self)))
        fileItems[file] = items
        return items
    }

    /// Every struct and union of the user's file, with the module each is in.
    var targetStructs: [(module: [String], item: RustItem)] {
        modules.values.filter { $0.path.starts(with: targetPath) && $0.file == module(targetPath)?.file }
            .sorted { $0.path.count < $1.path.count || ($0.path.count == $1.path.count && $0.path.lexicographicallyPrecedes($1.path)) }
            .flatMap { module in
                module.items.compactMap { item -> ([String], RustItem)? in
                    if case .structure = item.kind { return (module.path, item) }
                    return nil
                }
            }
    }
}
