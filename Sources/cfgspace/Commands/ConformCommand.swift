import Arguments
import ConfigEmit
import Rendering
import ConfigLayout
import Foundation
import VirtioHost
import Spelling

/// `cfgspace conform FILE --struct NAME [...]`: hold a user's own config struct, in the file where
/// it lives, against the spec's layout, with their own compiler as the witness.
enum ConformCommand: Command {
    static let spec = CommandSpec(
        name: "conform",
        abstract: "Check your own config struct against the spec, with your compiler as the witness.",
        discussion: "Measures --struct where it lives, with the file's own compiler: gcc (offsetof, sizeof) through the "
            + "whole header, with -I, -D and -include as its users compile it, or through an extract of the struct and "
            + "what it names when the header does not compile alone; rustc (core::mem::offset_of!, size_of) on the "
            + "struct and what its layout needs from the crate, read from the file's items and modules. Outside types "
            + "of known shape stand in (vm-memory's and data_model's Le32, zerocopy's U32<LittleEndian>, bindgen's "
            + "__le32 and __virtio32), and the report says so. Members are matched to fields by name, --map, the last "
            + "name of a flattened path, a likely misspelling or the same place; padding (_padding, reserved, unused1) "
            + "stands only for reserved bytes. The struct is judged for --features, what the device offers: fields only "
            + "other features need may be left out. Without --spec, the version that fits best is chosen and named. "
            + "A wrong size is reported once, with the fields it moves under it. A plain integer where the spec names "
            + "a byte order is a note; a big-endian type, or a little-endian one where the spec says virtio-endian and "
            + "the device may be transitional, is a difference; an order that cannot be read is never called "
            + "conforming. Exit status 0 if the struct conforms, 1 on any difference, 2 if it cannot be measured "
            + "(with what is missing) or its byte order cannot be read.",
        arguments: [.init(name: "file", help: "The C header or Rust source that declares the struct, unmodified.")],
        options: [
            .init(name: "struct", valueName: "name",
                  help: "The struct to check, such as virtio_blk_config, or block::virtio_blk_config in a nested module.",
                  isRequired: true),
            .init(name: "lang", valueName: "language", help: "The file's language; by default from its extension (.h, .c, .rs).",
                  choices: ConformProbe.Language.allCases.map(\.rawValue)),
            .init(name: "device", valueName: "name", help: "The built-in layout to check against, such as blk."),
            .init(name: "layout", valueName: "file", help: "A layout file to check against."),
            SharedOptions.include,
            .init(name: "spec", valueName: "version",
                  help: "The spec version; by default the one that fits best: "
                      + SpecVersion.known.map(\.description).joined(separator: ", ") + "."),
            .init(name: "features", valueName: "features",
                  help: "The features the device offers: names or bit numbers, 'none' or 'all'. By default the most the "
                      + "struct serves."),
            .init(name: "modern", help: "The device offers only the modern interface, so the spec's virtio-endian fields "
                      + "are little-endian."),
            .init(name: "strict-byte-order", help: "A plain integer where the spec names a byte order is a difference."),
            .init(name: "map", valueName: "theirs=ours", help: "Take member theirs for field ours, such as wce=writeback.",
                  isRepeatable: true),
            .init(name: "header-dir", short: "I", valueName: "folder", help: "C: a folder to search for headers (gcc's -I).",
                  isRepeatable: true),
            .init(name: "define", short: "D", valueName: "name[=value]", help: "C: a macro to define (gcc's -D).",
                  isRepeatable: true),
            .init(name: "force-include", valueName: "header", help: "C: a header to include first (gcc's -include, which "
                      + "is also taken).", isRepeatable: true, aliases: ["-include"]),
            .init(name: "compiler", valueName: "path", help: "The compiler; by default gcc or rustc on PATH."),
            SharedOptions.format(),
        ])

    /// Names a struct gives its device (virtio_blk_config, VirtioBlockConfig) where cfgspace says another.
    static let deviceNames = ["snd": "sound", "9p": "p9", "block": "blk", "network": "net", "memory": "mem", "rng": "entropy",
                              "filesystem": "fs"]

    struct Options: CommandOptions {
        var file: String
        var structName: String
        var language: ConformProbe.Language
        /// The layout: --layout, --device, or the device the struct's name implies.
        var source: String
        var includes: [String]
        /// --spec as given; by default the version that fits best.
        var version: SpecVersion?
        var features: String?
        var modern: Bool
        var strictByteOrder: Bool
        var map: [String]
        var probe: ConformProbe.Options
        var format: ReportFormat

        init(_ arguments: ParsedArguments) throws(UsageError) {
            file = try arguments.required(argument: "file")
            structName = try arguments.required("struct")
            if let named = try arguments.optionalChoice("lang", as: ConformProbe.Language.self) {
                language = named
            } else if file.hasSuffix(".rs") {
                language = .rust
            } else if file.hasSuffix(".h") || file.hasSuffix(".c") || file.hasSuffix(".hpp") {
                language = .c
            } else {
                throw arguments.misuse("Say the language of '\(file)' with --lang c or --lang rust.")
            }
            version = try SharedOptions.version(arguments)
            guard let source = arguments.value("layout") ?? arguments.value("device") ?? inferredDevice(structName) else {
                throw arguments.misuse("Say which device '\(structName)' declares: --device blk, or --layout FILE.")
            }
            self.source = source
            includes = arguments.values("include")
            features = arguments.value("features")
            modern = arguments.flag("modern")
            strictByteOrder = arguments.flag("strict-byte-order")
            map = arguments.values("map")
            probe = ConformProbe.Options(compiler: arguments.value("compiler"), includePaths: arguments.values("header-dir"),
                                         defines: arguments.values("define"), forcedIncludes: arguments.values("force-include"))
            format = try arguments.choice("format", as: ReportFormat.self)
        }
    }

    static func run(_ options: Options, console: Console) throws(CommandError) {
        let (file, structName, language, format, version) = (options.file, options.structName, options.language, options.format,
                                                             options.version)
        let device = try LayoutInput.device(at: options.source, named: nil, includes: options.includes, console: console)
        if let version { _ = try LayoutInput.device(device, asOf: version) }
        let features = try options.features.map { (text: String) throws(CommandError) in
            try offered(text, device: device, version: version, console: console)
        }
        let fields = Set(Layout(device: device, features: FeatureSet(bits: device.allFeatures.map(\.bit)), interpretation: .fixed)
            .fields.map(\.path))
        let map = try parseMap(options.map, device: device, fields: fields)
        let measured: ConformProbe.Measured
        do {
            measured = try ConformProbe.measure(file: file, structName: structName, language: language, options: options.probe)
        } catch {
            switch error {
            case .noSuchStruct, .ambiguous: throw .usage("'\(file)': \(error.description)")
            default: break
            }
            if format == .json {
                console.out(ConformFailureReport(file: file, structName: structName, failure: error).json().rendered())
            } else {
                console.error("cannot measure \(structName) in \(file):")
                console.err(error.description + "\n")
                if !error.missing.isEmpty { console.err("missing: " + error.missing.joined(separator: ", ") + "\n") }
            }
            throw .unmeasurable
        }
        try checkMembers(of: map, in: measured.declared)
        let result = ConformCheck.check(measured, with: device, options: .init(
            spec: version, features: features, modern: options.modern,
            strictByteOrder: options.strictByteOrder, map: map))
        console.out(ConformReport(result: result, file: file, language: language)
            .render(format, style: TextStyle(colors: console.stdoutColors)))
        switch result.verdict {
        case .conforms: return
        case .differs: throw .rejected("\(structName) differs from the layout; the report above says where")
        case .unknown: throw .unmeasurable
        }
    }

    /// `--features`, which must exist at `--spec` if one is named.
    private static func offered(_ text: String, device: Device, version: SpecVersion?, console: Console) throws(CommandError) -> FeatureSet {
        let set = try LayoutInput.features(text, for: device, console: console)
        if let version {
            let known = Set(device.asOf(version).features.map(\.bit))
            for feature in device.features where set.contains(feature.bit) && !known.contains(feature.bit) {
                throw .usage("The value '\(text)' is invalid for '--features <features>': \(feature.name) is not in virtio "
                             + "\(version)\(feature.since.map { "; it came in \($0)" } ?? ""). Leave it out, or give a later --spec.")
            }
        }
        return set
    }

    /// `virtio_blk_config`, `cfgspace_blk_config`, `VirtioBlockConfig`, `block::virtio_blk_config` → blk.
    static func inferredDevice(_ structName: String) -> String? {
        let bare = structName.split(separator: ":").last.map(String.init) ?? structName
        let last = bare.split(separator: " ").last.map(String.init) ?? bare
        var stem: String?
        if let prefix = ["virtio_", "cfgspace_"].first(where: last.hasPrefix), last.hasSuffix("_config"),
           last.count > prefix.count + "_config".count {
            stem = String(last.dropFirst(prefix.count).dropLast("_config".count))
        } else if last.hasPrefix("Virtio"), last.hasSuffix("Config"), last.count > "VirtioConfig".count {
            stem = String(last.dropFirst("Virtio".count).dropLast("Config".count)).lowercased()
        }
        guard let stem else { return nil }
        let name = deviceNames[stem] ?? stem
        return BuiltinLayouts.file(name) == nil ? nil : name
    }

    private static func parseMap(_ items: [String], device: Device, fields: Set<String>) throws(CommandError) -> [String: String] {
        var map: [String: String] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw .usage("The value '\(item)' is invalid for '--map <theirs=ours>': give your member, '=', then the field, such as wce=writeback.")
            }
            guard fields.contains(parts[1]) else {
                let hint = Suggestion.closest(to: parts[1], in: fields.sorted()).map { " Did you mean '\($0)'?" } ?? ""
                throw .usage("The value '\(item)' is invalid for '--map <theirs=ours>': \(device.name) has no field '\(parts[1])'.\(hint)")
            }
            map[parts[0]] = parts[1]
        }
        return map
    }

    /// Every `--map` member must be one of the struct's.
    private static func checkMembers(of map: [String: String], in declared: DeclaredStruct) throws(CommandError) {
        let paths = declared.members.map(\.path)
        for (theirs, ours) in map.sorted(by: { $0.key < $1.key }) where !paths.contains(theirs) {
            let hint = Suggestion.closest(to: theirs, in: paths).map { " Did you mean '\($0)'?" } ?? ""
            throw .usage("The value '\(theirs)=\(ours)' is invalid for '--map <theirs=ours>': \(declared.name) has no member "
                         + "'\(theirs)'.\(hint)")
        }
    }
}
