import ConfigLayout
import Foundation

/// What the user's own compiler says of their struct: its size, and each member's offset and size,
/// measured by a small program built with gcc (`offsetof`, `sizeof`) or rustc
/// (`core::mem::offset_of!`, `size_of`) and run.
public enum ConformProbe {
    public enum Language: String, CaseIterable, Sendable {
        case c, rust
    }

    public struct Measured: Sendable {
        public let declared: DeclaredStruct
        public let size: Int
        /// Each member's offset and size, in declaration order.
        public let members: [(member: DeclaredStruct.Member, offset: Int, size: Int)]
    }

    /// Why a probe could not measure: the user's file did not compile (the compiler's words, about
    /// their file), or the struct is not in it.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case unreadable(String)
        case noSuchStruct(String, suggestion: String?, known: [String])
        case compiler(String)
        case host(HostError)

        public var description: String {
            switch self {
            case .unreadable(let reason): return reason
            case .noSuchStruct(let name, let suggestion, let known):
                let hint = suggestion.map { " Did you mean '\($0)'?" }
                    ?? (known.isEmpty ? " The file declares no struct." : " It declares: \(known.joined(separator: ", ")).")
                return "there is no struct '\(name)' in the file.\(hint)"
            case .compiler(let text): return text
            case .host(let error): return error.description
            }
        }
    }

    public static func measure(file: String, structName: String, language: Language,
                               compiler: String? = nil) throws(Failure) -> Measured {
        guard let data = FileManager.default.contents(atPath: file) else { throw .unreadable("cannot read '\(file)'") }
        let text = String(decoding: data, as: UTF8.self)
        let temporary: TemporaryFolder
        do {
            temporary = try TemporaryFolder(prefix: "cfgspace-conform")
        } catch {
            throw .unreadable("cannot make a folder for the probe: \(error.description)")
        }
        defer { temporary.remove() }
        let folder = temporary.url
        switch language {
        case .c:
            let declarations = CDeclarations(text: text)
            guard let declared = declarations.declared(structName) else {
                throw missing(structName, in: declarations.structNames)
            }
            return try measureC(file: file, declared: declared, type: declarations.typeName(of: structName), folder: folder,
                                compiler: compiler)
        case .rust:
            let declarations = RustDeclarations(text: text)
            guard let declared = declarations.declared(structName) else {
                throw missing(structName, in: declarations.structNames)
            }
            return try measureRust(file: file, text: text, declared: declared, folder: folder, compiler: compiler)
        }
    }

    private static func missing(_ name: String, in known: [String]) -> Failure {
        let bare = name.split(separator: " ").last.map(String.init) ?? name
        return .noSuchStruct(name, suggestion: Suggestion.closest(to: bare, in: known), known: known)
    }

    /// `S size` then `F offset size` per member, in order.
    private static func parse(_ output: String, _ declared: DeclaredStruct) throws(Failure) -> Measured {
        var size: Int?
        var measured: [(DeclaredStruct.Member, Int, Int)] = []
        var members = declared.members[...]
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == "S" { size = Int(words[1]) }
            if words.count == 3, words[0] == "F", let offset = Int(words[1]), let bytes = Int(words[2]), let member = members.first {
                members.removeFirst()
                measured.append((member, offset, bytes))
            }
        }
        guard let size, members.isEmpty else { throw .compiler("the probe program printed something unexpected:\n\(output)") }
        return Measured(declared: declared, size: size, members: measured)
    }

    private static func measureC(file: String, declared: DeclaredStruct, type: String, folder: URL,
                                 compiler: String?) throws(Failure) -> Measured {
        var program = "#include <stddef.h>\n#include <stdio.h>\n#include \"\(URL(fileURLWithPath: file).standardizedFileURL.path)\"\n"
        program += "int main(void) {\n  printf(\"S %zu\\n\", sizeof(\(type)));\n"
        for member in declared.members {
            let size = member.isFlexible ? "(size_t)0" : "sizeof(((\(type) *)0)->\(member.path))"
            program += "  printf(\"F %zu %zu\\n\", offsetof(\(type), \(member.path)), \(size));\n"
        }
        program += "  return 0;\n}\n"
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let binary = try build(program, name: "probe.c", folder: folder, compiler: compiler ?? "gcc",
                               arguments: { source, output in ["-std=gnu11", "-iquote", directory, "-o", output, source] }, userFile: nil)
        return try parse(try runProbe(binary), declared)
    }

    private static func measureRust(file: String, text: String, declared: DeclaredStruct, folder: URL,
                                    compiler: String?) throws(Failure) -> Measured {
        // The probe runs inside a copy of the user's module, so private fields are in reach and the
        // user's lines keep their numbers; the compiler's words are mapped back to their file.
        var module = text + "\n\n#[allow(unused_unsafe, dead_code)]\npub fn __cfgspace_probe() {\n"
        module += "    fn size_of_pointee<F>(_: *const F) -> usize { ::core::mem::size_of::<F>() }\n"
        module += "    println!(\"S {}\", ::core::mem::size_of::<\(declared.name)>());\n"
        module += "    let probe = ::core::mem::MaybeUninit::<\(declared.name)>::uninit();\n    let base = probe.as_ptr();\n"
        for member in declared.members {
            module += "    println!(\"F {} {}\", ::core::mem::offset_of!(\(declared.name), \(member.path)), "
                + "size_of_pointee(unsafe { ::core::ptr::addr_of!((*base).\(member.path)) }));\n"
        }
        module += "}\n"
        let copy = folder.appendingPathComponent("user.rs")
        do {
            try module.write(to: copy, atomically: true, encoding: .utf8)
        } catch {
            throw .unreadable("cannot write the probe: \(error.localizedDescription)")
        }
        let root = "#![allow(warnings)]\n#[path = \"\(copy.path)\"]\nmod user;\nfn main() { user::__cfgspace_probe(); }\n"
        let binary = try build(root, name: "probe.rs", folder: folder, compiler: compiler ?? "rustc",
                               arguments: { source, output in ["--edition", "2021", "-o", output, source] },
                               userFile: (copy.path, file))
        return try parse(try runProbe(binary), declared)
    }

    /// Writes and compiles a probe; a compiler error is the user's to read, about their own file.
    private static func build(_ program: String, name: String, folder: URL, compiler: String,
                              arguments: (String, String) -> [String], userFile: (copy: String, original: String)?) throws(Failure) -> String {
        let source = folder.appendingPathComponent(name).path
        let binary = folder.appendingPathComponent("probe").path
        do {
            try program.write(toFile: source, atomically: true, encoding: .utf8)
        } catch {
            throw .unreadable("cannot write the probe: \(error.localizedDescription)")
        }
        let run: FinishedRun
        do {
            run = try FinishedRun.of(try Program.locate(compiler, explicit: compiler.contains("/") ? compiler : nil),
                                     arguments(source, binary))
        } catch {
            throw .host(error)
        }
        guard run.succeeded else {
            var text = run.errors + run.output
            if let userFile { text = text.replacingOccurrences(of: userFile.copy, with: userFile.original) }
            throw .compiler(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return binary
    }

    private static func runProbe(_ binary: String) throws(Failure) -> String {
        do {
            let run = try FinishedRun.of(binary, [], timeout: .seconds(30))
            guard run.succeeded else { throw Failure.compiler("the probe program failed (\(run.termination)): \(run.errors)") }
            return run.output
        } catch let error as Failure {
            throw error
        } catch let error as HostError {
            throw .host(error)
        } catch {
            throw .unreadable("\(error)")
        }
    }
}
