import Foundation

/// A struct and what it needs, copied out of a header that does not compile as a whole (a
/// generated config header missing, a project's include path not given): its own definition, and
/// every `#define`, typedef and struct it names, found in the file or in the headers it includes
/// (searched beside it and in the `-I` folders, as gcc would). Headers on the system's include path
/// are included again as they are. Each copy carries a `#line` so gcc's words point at the user's
/// files. Linux's integer names that nothing defines stand in as the integers they are.
struct CExtract {
    /// The extract's text, to be followed by the probe's main.
    let text: String
    /// What was copied, and from where, for the report.
    let copied: [(name: String, file: String, line: Int)]
    let standIns: [String]

    private struct Source {
        let path: String
        let declarations: CDeclarations
    }

    init(file: String, declarations: CDeclarations, structName: String, includePaths: [String], prelude: String) {
        var sources = [Source(path: file, declarations: declarations)]
        var systemIncludes: [String] = []
        var seen: Set<String> = [file]
        var index = 0
        let systemFolders = Self.systemFolders
        while index < sources.count, sources.count < 512 {
            let source = sources[index]
            index += 1
            let here = URL(fileURLWithPath: source.path).deletingLastPathComponent().path
            for include in source.declarations.source.includes {
                let folders = (include.isSystem ? [] : [here]) + includePaths
                if let found = folders.map({ $0 + "/" + include.name }).first(where: FileManager.default.fileExists(atPath:)) {
                    let path = URL(fileURLWithPath: found).standardizedFileURL.path
                    guard seen.insert(path).inserted, let data = FileManager.default.contents(atPath: path) else { continue }
                    sources.append(Source(path: path, declarations: CDeclarations(text: String(decoding: data, as: UTF8.self))))
                } else if systemFolders.contains(where: { FileManager.default.fileExists(atPath: $0 + "/" + include.name) }),
                          !systemIncludes.contains(include.name) {
                    systemIncludes.append(include.name)
                }
            }
        }

        var out = "#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n"
        out += systemIncludes.map { "#include <\($0)>\n" }.joined()
        out += prelude
        var copied: [(String, String, Int)] = []
        var standIns: [String] = []
        var done: Set<String> = []
        var body = ""

        func definition(of name: String) -> (source: Source, text: String, line: Int, uses: [String])? {
            for source in sources {
                let declarations = source.declarations
                let found = declarations.tagDefinitions[name] ?? declarations.typedefDefinitions[name]
                if let found {
                    let lines = declarations.source.lines
                    let range = max(0, found.lines.lowerBound - 1)..<min(lines.count, found.lines.upperBound)
                    return (source, lines[range].joined(separator: "\n"), found.lines.lowerBound, found.uses)
                }
                let defines = declarations.source.defines.filter { $0.name == name }
                if let define = defines.first(where: { !Self.isForeign($0.conditions) }) ?? defines.first {
                    return (source, define.text, define.line, CSource.identifiers(in: define.body))
                }
            }
            return nil
        }

        func emit(_ name: String, depth: Int) {
            guard depth < 64, done.insert(name).inserted, !CPacking.isPackingMacro(name), !name.hasPrefix("__attribute") else { return }
            guard let found = definition(of: name) else {
                if let typedef = CPacking.linuxTypedef(name) {
                    standIns.append(name)
                    body += typedef + "\n"
                }
                return
            }
            for use in found.uses where use != name { emit(use, depth: depth + 1) }
            body += "#line \(found.line) \"\(found.source.path)\"\n" + found.text + "\n"
            copied.append((name, found.source.path, found.line))
        }

        emit(CDeclarations.bare(structName), depth: 0)
        self.text = out + body
        self.copied = copied
        self.standIns = standIns
    }

    /// A definition for another compiler or for the kernel itself.
    private static func isForeign(_ conditions: [String]) -> Bool {
        conditions.contains { condition in
            ["MSVC", "_WIN32", "_MSC_VER", "__cplusplus", "__KERNEL__"].contains { condition.contains($0) }
        }
    }

    /// Where gcc looks for `<...>` headers of the system on Linux.
    static var systemFolders: [String] {
        var machine = utsname()
        uname(&machine)
        let architecture = withUnsafeBytes(of: &machine.machine) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        return ["/usr/local/include", "/usr/include/\(architecture)-linux-gnu", "/usr/include"]
    }
}
