/// The standard layouts (Layouts/*.layout), compiled into the library so that `cfgspace table blk`
/// works from any directory. `Library/Layouts` links to the repository's Layouts folder, whose files
/// SwiftPM embeds as `PackageResources` (Package.swift: `.embedInCode`); the list of them is written
/// from the folder at build time (Plugins/BuiltinLayoutIndex).
public enum BuiltinLayouts {
    /// The pseudo-folder built-in files are reported under: `(built-in)/net.layout:12:3`.
    public static let folder = "(built-in)"

    /// Every built-in layout by name (`net`, `transport`), in name order: Library/Layouts as the
    /// BuiltinLayoutIndex plugin lists it at build time.
    public static var files: [(name: String, bytes: [UInt8])] { embedded }

    /// The names of the built-in layouts.
    public static var names: [String] { files.map(\.name) }

    /// The pseudo-path of a built-in layout: `(built-in)/net.layout`.
    public static func path(of name: String) -> String { "\(folder)/\(name).layout" }

    /// The built-in layout a name or pseudo-path means: `net`, `net.layout` or `(built-in)/net.layout`.
    public static func file(_ nameOrPath: String) -> (path: String, bytes: [UInt8])? {
        var name = nameOrPath
        if name.hasPrefix(folder + "/") { name.removeFirst(folder.count + 1) }
        if name.hasSuffix(".layout") { name.removeLast(".layout".count) }
        guard let match = files.first(where: { $0.name == name }) else { return nil }
        return (path(of: match.name), match.bytes)
    }

    /// Whether a path names a built-in file.
    public static func isBuiltin(_ path: String) -> Bool { path.hasPrefix(folder + "/") }
}
