import Foundation

/// The front door of the library: reads layout files, follows their imports, parses and checks them,
/// and runs the engine's placement checks on every device. Each file is loaded once, however many
/// files import it.
///
/// `import NAME` finds `NAME.layout` beside the importing file first, then in each include folder
/// (`--include`, then `CFGSPACE_PATH`), then among the built-in layouts.
public final class LayoutLoader {
    /// A loaded file: what it declares and every diagnostic that bears on it, its imports' included.
    public struct Loaded: Sendable {
        public let file: SourceFile
        public let checked: CheckedFile
        public let diagnostics: [Diagnostic]

        public var devices: [Device] { checked.devices }
        public var hasErrors: Bool { diagnostics.hasErrors }
    }

    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }

        public var description: String { "cannot read '\(path)': \(reason)" }
    }

    /// Returns a file's bytes, or why they cannot be read.
    public typealias Reader = (String) -> Result<[UInt8], LoadError>

    private let read: Reader
    /// Folders searched for imports after the importing file's own.
    public let includeFolders: [String]
    private var cache: [String: Loaded] = [:]
    private var loading: [String] = []

    public init(includeFolders: [String] = [], reader: @escaping Reader = LayoutLoader.readFromDisk) {
        self.read = reader
        self.includeFolders = includeFolders
    }

    /// The include folders a command line and the environment give: `--include` folders in order,
    /// then `CFGSPACE_PATH`'s colon-separated entries.
    public static func includeFolders(_ includes: [String], environment: [String: String]) -> [String] {
        includes + (environment["CFGSPACE_PATH"] ?? "").split(separator: ":").map(String.init)
    }

    /// Loads a file by path; a built-in pseudo-path (`(built-in)/net.layout`) loads the built-in.
    public func load(path: String) throws(LoadError) -> Loaded {
        let key = Self.canonical(path)
        if let cached = cache[key] { return cached }
        if BuiltinLayouts.isBuiltin(path) {
            guard let builtin = BuiltinLayouts.file(path) else { throw LoadError(path: path, reason: "no such built-in layout") }
            return load(SourceFile(path: builtin.path, bytes: builtin.bytes))
        }
        let bytes = try read(path).get()
        return load(SourceFile(path: path, bytes: bytes))
    }

    /// Loads what a command-line argument names: a file when one exists at that path (a path wins),
    /// else the built-in layout of that name (`blk`, `net.layout`).
    public func load(argument: String) throws(LoadError) -> Loaded {
        if let cached = cache[Self.canonical(argument)] { return cached }
        if case .success(let bytes) = read(argument) { return load(SourceFile(path: argument, bytes: bytes)) }
        if let builtin = BuiltinLayouts.file(argument) { return try load(path: builtin.path) }
        let reason: String
        if case .failure(let error) = read(argument), error.reason != "no such file" {
            reason = error.reason
        } else {
            reason = "no such file, and no built-in layout of that name (built in: "
                + BuiltinLayouts.names.joined(separator: ", ") + ")"
        }
        throw LoadError(path: argument, reason: reason)
    }

    /// Parses and checks a file already in memory, resolving its imports beside `file.path`.
    public func load(_ file: SourceFile) -> Loaded {
        let key = Self.canonical(file.path)
        loading.append(key)
        defer { loading.removeLast() }

        let (syntax, parseDiagnostics) = Parser.parse(file)
        var diagnostics = parseDiagnostics
        var transports: [Transport] = []
        for case .importDecl(let importSyntax) in syntax.declarations {
            let name = importSyntax.name.value
            let candidates = importCandidates(for: name, from: file.path)
            guard let path = candidates.first(where: { loading.contains(Self.canonical($0)) || exists($0) }) else {
                diagnostics.append(Diagnostic(.importNotFound, "cannot import '\(name)': looked for "
                                              + candidates.map { "'\($0)'" }.joined(separator: ", ")
                                              + " (give --include FOLDER or set CFGSPACE_PATH for others)",
                                              at: importSyntax.name.span))
                continue
            }
            if loading.contains(Self.canonical(path)) {
                diagnostics.append(Diagnostic(.importCycle, "'\(name)' imports itself, "
                                              + "directly or through other files", at: importSyntax.name.span))
                continue
            }
            let imported: Loaded
            do {
                imported = try load(path: path)
            } catch {
                diagnostics.append(Diagnostic(.importNotFound, "cannot import '\(name)': "
                                              + "\(error.reason) ('\(path)')", at: importSyntax.name.span))
                continue
            }
            diagnostics.append(contentsOf: imported.diagnostics)
            if let transport = imported.checked.transport {
                transports.append(transport)
            } else {
                diagnostics.append(Diagnostic(.importNotFound, "'\(path)' declares no transport to import",
                                              at: importSyntax.name.span))
            }
        }

        // A file whose syntax is broken is still checked: its intact declarations have
        // problems worth reporting in the same run.
        let (checked, checkDiagnostics) = Checker.check(syntax, imports: transports)
        diagnostics.append(contentsOf: checkDiagnostics)
        diagnostics.append(contentsOf: checked.devices.flatMap(PlacementCheck.diagnostics))
        // An empty file, or one of imports and comments alone, is most likely the wrong file:
        // every command says so, at its first line, rather than finding nothing to do.
        if checked.devices.isEmpty, checked.transport == nil, !parseDiagnostics.hasErrors {
            let what = file.bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) ? "is empty" : "declares no device"
            diagnostics.append(Diagnostic(.noDevice, "the file \(what); a layout file declares a device "
                                          + "(device NAME = ID { ... }) or a transport", at: SourceSpan(file: file, start: 0, end: 0)))
        }
        let loaded = Loaded(file: file, checked: checked, diagnostics: Self.unique(diagnostics).sortedBySource())
        cache[key] = loaded
        return loaded
    }

    public static func readFromDisk(_ path: String) -> Result<[UInt8], LoadError> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(LoadError(path: path, reason: "no such file"))
        }
        guard !isDirectory.boolValue else {
            return .failure(LoadError(path: path, reason: "it is a directory"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(LoadError(path: path, reason: "permission denied"))
        }
        return .success(Array(data))
    }

    /// Where `import NAME` may be found, in order: beside the importing file, in each include
    /// folder, then built in.
    func importCandidates(for name: String, from importer: String) -> [String] {
        let file = name + ".layout"
        var candidates = [Self.sibling(of: importer, named: file)]
        candidates += includeFolders.map { $0.hasSuffix("/") ? $0 + file : $0 + "/" + file }
        // The built-ins are always a place looked in, so the error for a missing import names them.
        candidates.append(BuiltinLayouts.path(of: name))
        var seen = Set<String>()
        return candidates.filter { seen.insert($0).inserted }
    }

    private func exists(_ path: String) -> Bool {
        if BuiltinLayouts.isBuiltin(path) { return BuiltinLayouts.file(path) != nil }
        if cache[Self.canonical(path)] != nil { return true }
        if case .success = read(path) { return true }
        return false
    }

    /// `Layouts/net.layout` + `transport.layout` → `Layouts/transport.layout`.
    static func sibling(of path: String, named name: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return name }
        return String(path[...slash]) + name
    }

    /// One key per file, however it is named: absolute, with `.` and `..` worked out by the text
    /// alone (as URL's standardizing does, for a fraction of its cost).
    static func canonical(_ path: String) -> String {
        if BuiltinLayouts.isBuiltin(path) { return path }
        let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    private static let workingDirectory = FileManager.default.currentDirectoryPath

    /// The same import reached twice reports its problems once.
    private static func unique(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<String>()
        return diagnostics.filter { diagnostic in
            seen.insert("\(diagnostic.span.file.path):\(diagnostic.span.start):\(diagnostic.kind):\(diagnostic.message)").inserted
        }
    }
}
