import ConfigLayout
import Foundation
import Spelling

/// What the user's own compiler says of their struct: its size and alignment, and each member's
/// offset and size, measured by a small program built with gcc (`offsetof`, `sizeof`) or rustc
/// (`core::mem::offset_of!`, `size_of`) and run.
public enum ConformProbe {
    public enum Language: String, CaseIterable, Sendable {
        case c, rust
    }

    /// How to compile: the compiler, and for C the preprocessor's `-I`, `-D` and `-include`.
    public struct Options: Sendable {
        public var compiler: String?
        public var includePaths: [String]
        public var defines: [String]
        public var forcedIncludes: [String]

        public init(compiler: String? = nil, includePaths: [String] = [], defines: [String] = [], forcedIncludes: [String] = []) {
            self.compiler = compiler
            self.includePaths = includePaths
            self.defines = defines
            self.forcedIncludes = forcedIncludes
        }
    }

    /// Something the report must say about how the struct was read.
    public struct Note: Sendable {
        public enum Kind: String, Sendable {
            /// An outside type measured by the shape its crate or header gives it.
            case standIn = "stand-in"
            /// A header measured from an extract of the struct, not as a whole.
            case extract
            /// A packing macro the probe defined.
            case predefined
            /// A probable macro around the struct that nothing defines.
            case undefinedMacro = "undefined-macro"
            /// A field under `#[cfg]`.
            case conditional
            /// A Rust struct without `#[repr(C)]`.
            case representation
            /// Items the Rust probe took from other files of the crate.
            case crate
        }

        public let kind: Kind
        public let message: String
        public let line: Int?
        public let isWarning: Bool

        public init(kind: Kind, message: String, line: Int?, isWarning: Bool = false) {
            self.kind = kind
            self.message = message
            self.line = line
            self.isWarning = isWarning
        }
    }

    public struct Measured: Sendable {
        public let declared: DeclaredStruct
        public let size: Int
        public let alignment: Int
        /// Each member's offset and size, in declaration order.
        public let members: [(member: DeclaredStruct.Member, offset: Int, size: Int)]
        public internal(set) var notes: [Note] = []

        public init(declared: DeclaredStruct, size: Int, alignment: Int, members: [(member: DeclaredStruct.Member, offset: Int, size: Int)],
                    notes: [Note] = []) {
            self.declared = declared
            self.size = size
            self.alignment = alignment
            self.members = members
            self.notes = notes
        }
    }

    /// Why a struct could not be measured: the file is unreadable, the struct is not in it, or the
    /// compiler refused what it needs (its words, about the user's files, and the names it missed).
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case unreadable(String)
        case noSuchStruct(String, suggestion: String?, known: [String])
        /// The name fits more than one struct; the message says how to name each.
        case ambiguous(String)
        case compiler(String, missing: [String])
        case host(HostError)

        public var description: String {
            switch self {
            case .unreadable(let reason): return reason
            case .noSuchStruct(let name, let suggestion, let known):
                let hint = suggestion.map { " Did you mean '\($0)'?" }
                    ?? (known.isEmpty ? " The file declares no struct." : " It declares: \(known.joined(separator: ", ")).")
                return "there is no struct '\(name)' in the file.\(hint)"
            case .ambiguous(let text): return text
            case .compiler(let text, _): return text
            case .host(let error): return error.description
            }
        }

        /// What is missing, as names: headers, types, crates.
        public var missing: [String] {
            if case .compiler(_, let missing) = self { return missing }
            return []
        }
    }

    public static func measure(file: String, structName: String, language: Language,
                               options: Options = Options()) throws(Failure) -> Measured {
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
            return try CProbe.measure(file: file, text: text, structName: structName, options: options, folder: folder)
        case .rust:
            return try measureRust(file: file, text: text, structName: structName, compiler: options.compiler, folder: folder)
        }
    }

    /// A path as the user would write it from here: relative to the working folder when under it.
    static func displayPath(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
    }

    static func missing(_ name: String, in known: [String]) -> Failure {
        let bare = name.split(separator: " ").last.map(String.init) ?? name
        return .noSuchStruct(name, suggestion: Suggestion.closest(to: bare, in: known), known: known)
    }

    /// `S size`, `A alignment`, then `F offset size` per member, in order.
    static func parse(_ output: String, _ declared: DeclaredStruct) throws(Failure) -> Measured {
        var size: Int?
        var alignment = 1
        var measured: [(DeclaredStruct.Member, Int, Int)] = []
        var members = declared.members[...]
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == "S" { size = Int(words[1]) }
            if words.count == 2, words[0] == "A", let value = Int(words[1]) { alignment = value }
            if words.count == 3, words[0] == "F", let offset = Int(words[1]), let bytes = Int(words[2]), let member = members.first {
                members.removeFirst()
                measured.append((member, offset, bytes))
            }
        }
        guard let size, members.isEmpty else {
            throw .compiler("the probe program printed something unexpected:\n\(output)", missing: [])
        }
        return Measured(declared: declared, size: size, alignment: alignment, members: measured)
    }

    private static func measureRust(file: String, text: String, structName: String, compiler: String?,
                                    folder: URL) throws(Failure) -> Measured {
        let reading = try RustDeclarations(file: file, text: text, structName: structName)
        let (lines, _) = reading.probe()
        let program = lines.map(\.text).joined(separator: "\n") + "\n"
        let output: String
        do {
            output = try compileAndRun(program, name: "probe.rs", folder: folder, compiler: compiler ?? "rustc",
                                       arguments: { ["--edition", "2021", "--crate-name", "cfgspace_probe", "-o", $1, $0] })
        } catch {
            guard case .compiler(let words, _) = error else { throw error }
            let unresolved = reading.builder.unresolved
            var message = RustProbeErrors.mapped(words, lines: lines, probe: folder.appendingPathComponent("probe.rs").path)
            if !unresolved.isEmpty {
                message = "these types come from outside the crate, and cfgspace knows no shape for them: "
                    + unresolved.map { "\($0.name) (\(displayPath($0.file)):\($0.line))" }.joined(separator: ", ") + "\n" + message
            }
            throw .compiler(message, missing: unresolved.map(\.name) + RustProbeErrors.missingNames(words))
        }
        var measured = try parse(output, reading.declared)
        measured.notes = reading.notes
        return measured
    }

    /// Writes, compiles and runs a probe; its output, or the compiler's words.
    static func compileAndRun(_ program: String, name: String, folder: URL, compiler: String,
                              arguments: (String, String) -> [String]) throws(Failure) -> String {
        let source = folder.appendingPathComponent(name).path
        let binary = folder.appendingPathComponent(name + ".bin").path
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
            throw .compiler((run.errors + run.output).trimmingCharacters(in: .whitespacesAndNewlines), missing: [])
        }
        do {
            let probe = try FinishedRun.of(binary, [], timeout: .seconds(30))
            guard probe.succeeded else {
                throw Failure.compiler("the probe program failed (\(probe.termination)): \(probe.errors)", missing: [])
            }
            return probe.output
        } catch let error as Failure {
            throw error
        } catch let error as HostError {
            throw .host(error)
        } catch {
            throw .unreadable("\(error)")
        }
    }
}
