import Foundation

/// Measures a C struct with gcc: first through the whole file, included as its users include it
/// (with the user's `-I`, `-D` and `-include`, and the packing macros it uses but nothing defines);
/// if that does not compile, through an extract of the struct and what it needs. Either way gcc
/// itself gives every `offsetof` and `sizeof`.
enum CProbe {
    static func measure(file: String, text: String, structName: String, options: ConformProbe.Options,
                        folder: URL) throws(ConformProbe.Failure) -> ConformProbe.Measured {
        let declarations = CDeclarations(text: text)
        guard let declared = declarations.declared(structName) else {
            throw ConformProbe.missing(structName, in: declarations.structNames)
        }
        let type = declarations.typeName(of: structName)
        let macros = declarations.probableMacros(around: structName)
        let identifiers = Set(declarations.source.tokens.map(\.text))
        let prelude = CPacking.prelude(for: identifiers)
        var notes = CPacking.macros.filter { identifiers.contains($0.name) }.map { macro in
            ConformProbe.Note(kind: .predefined, message: "\(macro.name), where nothing defines it first, means "
                              + (macro.definition.isEmpty ? "nothing" : macro.definition) + ", as in \(macro.origin)", line: nil)
        }
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var flags = ["-std=gnu11", "-iquote", directory]
        flags += options.includePaths.flatMap { ["-I", $0] }
        flags += options.defines.flatMap { ["-D", $0] }
        flags += options.forcedIncludes.flatMap { ["-include", $0] }

        let whole = "#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n" + prelude + "#include \"\(path)\"\n"
            + main(type: type, declared: declared, macros: macros)
        let output: String
        do {
            output = try ConformProbe.compileAndRun(whole, name: "probe.c", folder: folder, compiler: options.compiler ?? "gcc",
                                                    arguments: { flags + ["-o", $1, $0] })
        } catch {
            guard case .compiler(let wholeError, _) = error else { throw error }
            let extract = CExtract(file: path, declarations: declarations, structName: structName,
                                   includePaths: options.includePaths, prelude: prelude)
            let program = extract.text + "#line 1 \"cfgspace-probe.c\"\n" + main(type: type, declared: declared, macros: macros)
            let extracted: String
            do {
                extracted = try ConformProbe.compileAndRun(program, name: "extract.c", folder: folder,
                                                           compiler: options.compiler ?? "gcc", arguments: { flags + ["-o", $1, $0] })
            } catch {
                guard case .compiler(let extractError, _) = error else { throw error }
                let missing = missingNames(extractError) + missingNames(wholeError)
                throw .compiler(("\(file) does not compile as it is included:\n\(firstError(wholeError))\n"
                                 + "nor as an extract of \(declared.name) and what it names:\n\(extractError)")
                                    .replacingOccurrences(of: path, with: file),
                                missing: missing.enumerated().filter { !missing.prefix($0.offset).contains($0.element) }.map(\.element))
            }
            notes.insert(.init(kind: .extract, message: "measured from an extract: \(file) does not compile as it is included ("
                               + firstError(wholeError).replacingOccurrences(of: path, with: file) + "); the extract holds "
                               + describe(extract, relativeTo: directory),
                               line: nil), at: 0)
            for name in extract.standIns {
                notes.append(.init(kind: .standIn, message: "\(name), which no header here defines, stands in as Linux "
                                   + "defines it: " + (CPacking.linuxTypedef(name) ?? name), line: nil))
            }
            var measured = try ConformProbe.parse(extracted, declared)
            measured.notes = notes + warnings(macros, output: extracted, declared: declared)
            return measured
        }
        var measured = try ConformProbe.parse(output, declared)
        measured.notes = notes + warnings(macros, output: output, declared: declared)
        return measured
    }

    private static func main(type: String, declared: DeclaredStruct, macros: [String]) -> String {
        var program = "int main(void) {\n  printf(\"S %zu\\n\", sizeof(\(type)));\n  printf(\"A %zu\\n\", _Alignof(\(type)));\n"
        for macro in macros {
            program += "#ifdef \(macro)\n  printf(\"M \(macro) 1\\n\");\n#else\n  printf(\"M \(macro) 0\\n\");\n#endif\n"
        }
        for member in declared.members {
            let size = member.isFlexible ? "(size_t)0" : "sizeof(((\(type) *)0)->\(member.path))"
            program += "  printf(\"F %zu %zu\\n\", offsetof(\(type), \(member.path)), \(size));\n"
        }
        return program + "  return 0;\n}\n"
    }

    /// A probable macro around the struct that nothing defines: gcc took it for a variable's name
    /// (or a type's), and the struct is measured without what it was meant to say.
    private static func warnings(_ macros: [String], output: String, declared: DeclaredStruct) -> [ConformProbe.Note] {
        let undefined = output.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.count == 3 && words[0] == "M" && words[2] == "0" ? String(words[1]) : nil
        }
        return undefined.map { name in
            ConformProbe.Note(kind: .undefinedMacro, message: "\(declared.name) is closed by \(name), which nothing defines: gcc "
                              + "reads it as a name, not an attribute, and measures the struct without it. If it is a packing "
                              + "macro, define it: -D '\(name)=__attribute__((packed))'", line: declared.line, isWarning: true)
        }
    }

    private static func describe(_ extract: CExtract, relativeTo directory: String) -> String {
        extract.copied.map { item in
            let file = item.file.hasPrefix(directory + "/") ? String(item.file.dropFirst(directory.count + 1))
                : ConformProbe.displayPath(item.file)
            return "\(item.name) (\(file):\(item.line))"
        }.joined(separator: ", ")
    }

    /// The first error line gcc printed.
    static func firstError(_ text: String) -> String {
        let lines = text.split(separator: "\n")
        let line = lines.first { $0.contains("error:") } ?? lines.first ?? ""
        return line.trimmingCharacters(in: .whitespaces)
    }

    /// What gcc says is missing: headers, types, names.
    static func missingNames(_ text: String) -> [String] {
        var names: [String] = []
        for line in text.split(separator: "\n") {
            if let range = line.range(of: ": No such file or directory"), let start = line[..<range.lowerBound].range(of: "error: ") {
                names.append("header " + line[start.upperBound..<range.lowerBound])
                continue
            }
            for marker in ["unknown type name ", "error: '", "has incomplete type"] where line.contains(marker) {
                if let open = line.firstIndex(where: { $0 == "'" || $0 == "‘" }),
                   let close = line[line.index(after: open)...].firstIndex(where: { $0 == "'" || $0 == "’" }) {
                    let name = String(line[line.index(after: open)..<close])
                    if !names.contains(name) { names.append(name) }
                }
                break
            }
        }
        return names
    }
}
