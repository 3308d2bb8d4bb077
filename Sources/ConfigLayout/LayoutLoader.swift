import Foundation

/// The front door of the library: reads layout files, follows their imports (`import transport`
/// reads `transport.layout` from the same folder), parses and checks them, and runs the engine's
/// placement checks on every device. Each file is loaded once, however many files import it.
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

        public var description: String { "cannot read '\(path)': \(reason)" }
    }

    /// Returns a file's bytes, or why they cannot be read.
    public typealias Reader = (String) -> Result<[UInt8], LoadError>

    private let read: Reader
    private var cache: [String: Loaded] = [:]
    private var loading: [String] = []

    public init(reader: @escaping Reader = LayoutLoader.readFromDisk) {
        self.read = reader
    }

    public func load(path: String) throws(LoadError) -> Loaded {
        let key = Self.canonical(path)
        if let cached = cache[key] { return cached }
        let bytes = try read(path).get()
        return load(SourceFile(path: path, bytes: bytes))
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
            let path = Self.sibling(of: file.path, named: importSyntax.name.value + ".layout")
            if loading.contains(Self.canonical(path)) {
                diagnostics.append(Diagnostic(.importCycle, "'\(importSyntax.name.value)' imports itself, "
                                              + "directly or through other files", at: importSyntax.name.span))
                continue
            }
            let imported: Loaded
            do {
                imported = try load(path: path)
            } catch {
                diagnostics.append(Diagnostic(.importNotFound, "cannot import '\(importSyntax.name.value)': "
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

    /// `Layouts/net.layout` + `transport.layout` → `Layouts/transport.layout`.
    static func sibling(of path: String, named name: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return name }
        return String(path[...slash]) + name
    }

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The same import reached twice reports its problems once.
    private static func unique(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<String>()
        return diagnostics.filter { diagnostic in
            seen.insert("\(diagnostic.span.file.path):\(diagnostic.span.start):\(diagnostic.kind):\(diagnostic.message)").inserted
        }
    }
}
