import Arguments
import ConfigEmit
import Rendering
import ConfigLayout
import Foundation
import VirtioHost

/// `cfgspace conform FILE --struct NAME [...]`: hold a user's own config struct against the spec's
/// layout, with their own compiler as the witness.
enum ConformCommand: Command {
    static let spec = CommandSpec(
        name: "conform",
        abstract: "Check your own config struct against the spec, with your compiler as the witness.",
        discussion: "Compiles a small program with the file's own compiler (gcc for C: offsetof and sizeof; rustc for "
            + "Rust: core::mem::offset_of! and size_of) that measures every member of --struct, nested structs and "
            + "arrays flattened to the layout's dotted names, and reads each member's byte-order kind from its declared "
            + "type (__le16, __virtio16, uint16_t; Le16 against u16). Members are matched to fields by name, then by "
            + "--map, then by the last name of a flattened path, a likely misspelling or the same place. It reports "
            + "moved fields (the first one and the shift it causes after it), resized, missing and extra fields, "
            + "byte-order differences, and the struct's size against the spec's whole struct and QEMU's largest "
            + "config, each at file:line. The device is --device, --layout, or read from a name such as "
            + "virtio_blk_config. Exit status 1 on any difference or a compiler error.",
        arguments: [.init(name: "file", help: "The C header or Rust source that declares the struct.")],
        options: [
            SharedOptions.include,
            .init(name: "struct", valueName: "name", help: "The struct to check, such as virtio_blk_config.", isRequired: true),
            .init(name: "lang", valueName: "language", help: "The file's language; by default from its extension (.h, .c, .rs).",
                  choices: ConformProbe.Language.allCases.map(\.rawValue)),
            .init(name: "device", valueName: "name", help: "The built-in layout to check against, such as blk."),
            .init(name: "layout", valueName: "file", help: "A layout file to check against."),
            .init(name: "spec", valueName: "version", help: "The spec version; by default the newest."),
            .init(name: "map", valueName: "theirs=ours", help: "Take member theirs for field ours, such as wce=writeback.",
                  isRepeatable: true),
            .init(name: "compiler", valueName: "path", help: "The compiler; by default gcc or rustc on PATH."),
            SharedOptions.format(),
        ])

    /// Header stems whose device has another name in cfgspace.
    static let deviceNames = ["snd": "sound", "9p": "p9"]

    static func run(_ arguments: ParsedArguments, console: Console) throws(CommandError) {
        guard let format = arguments.choice("format", as: ReportFormat.self), let file = arguments.argument("file"),
              let structName = arguments.value("struct") else { throw .failed }
        let language: ConformProbe.Language
        if let named = arguments.choice("lang", as: ConformProbe.Language.self) {
            language = named
        } else if file.hasSuffix(".rs") {
            language = .rust
        } else if file.hasSuffix(".h") || file.hasSuffix(".c") || file.hasSuffix(".hpp") {
            language = .c
        } else {
            throw .usage("Say the language of '\(file)' with --lang c or --lang rust.")
        }
        let version = try LayoutInput.version(arguments.value("spec"), option: "spec")
        guard let source = arguments.value("layout") ?? arguments.value("device") ?? inferredDevice(structName) else {
            throw .usage("Say which device '\(structName)' declares: --device blk, or --layout FILE.")
        }
        let device = try LayoutInput.device(try LayoutInput.device(at: source, named: nil, arguments: arguments, console: console), asOf: version)
        let map = try parseMap(arguments.values("map"), device: device)
        let measured: ConformProbe.Measured
        do {
            measured = try ConformProbe.measure(file: file, structName: structName, language: language,
                                                compiler: arguments.value("compiler"))
        } catch {
            switch error {
            case .compiler(let text): console.err(text + "\n")
            default: console.error(error.description)
            }
            throw .failed
        }
        let result = ConformCheck.compare(measured, with: device, spec: version.description, language: language, map: map)
        console.out(ConformReport(result: result, file: file, language: language)
            .render(format, style: TextStyle(colors: console.stdoutColors)))
        if !result.agrees { throw .failed }
    }

    /// `virtio_blk_config` or `cfgspace_blk_config` → blk.
    static func inferredDevice(_ structName: String) -> String? {
        let bare = structName.split(separator: " ").last.map(String.init) ?? structName
        guard let prefix = ["virtio_", "cfgspace_"].first(where: bare.hasPrefix), bare.hasSuffix("_config"),
              bare.count > prefix.count + "_config".count else { return nil }
        let stem = String(bare.dropFirst(prefix.count).dropLast("_config".count))
        let name = deviceNames[stem] ?? stem
        return BuiltinLayouts.file(name) == nil ? nil : name
    }

    private static func parseMap(_ items: [String], device: Device) throws(CommandError) -> [String: String] {
        let fields = Layout(device: device, features: FeatureSet(bits: device.allFeatures.map(\.bit)), interpretation: .fixed)
            .fields.map(\.path)
        var map: [String: String] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw .usage("The value '\(item)' is invalid for '--map <theirs=ours>': give your member, '=', then the field, such as wce=writeback.")
            }
            guard fields.contains(parts[1]) else {
                let hint = Suggestion.closest(to: parts[1], in: fields).map { " Did you mean '\($0)'?" } ?? ""
                throw .usage("The value '\(item)' is invalid for '--map <theirs=ours>': \(device.name) has no field '\(parts[1])'.\(hint)")
            }
            map[parts[0]] = parts[1]
        }
        return map
    }
}
