import Arguments
import ConfigEmit
import Rendering
import ConfigLayout

/// `cfgspace diff FILE [--from fixed] [--to packed] [--features ...]`
enum DiffCommand: Command {
    static let spec = CommandSpec(
        name: "diff",
        abstract: "Compare two interpretations of a layout over every feature set, or under one.",
        discussion: "Without --features, reports for each field the exact condition under which the two "
            + "interpretations place it differently, how far it moves and an example feature set; when the sizes "
            + "differ; and which placements break the natural alignment PCI and MMIO accesses need. It works "
            + "symbolically, so it covers every feature set without enumerating them.\n"
            + "With --features, compares the two layouts field by field under that one set.\n"
            + "With --to-spec, compares the layout of two spec versions instead: fields added at the tail "
            + "(compatible), and offsets moved or types and names changed (breaking), each with its reason.\n"
            + "With a second file, compares two layouts of the same device with the same verdicts: a proposal "
            + "(NEW) against the layout it changes (FILE). Both are taken at --spec, by default next, so that "
            + "fields a proposal adds 'since next' take part.\n"
            + "--strict exits with 1 on a breaking verdict, or when the interpretations place any field differently.",
        arguments: [SharedOptions.file,
                    .init(name: "new", help: "A second layout of the same device, such as a proposal.", isOptional: true)],
        options: [
            SharedOptions.include,
            .init(name: "from", valueName: "interpretation", help: "The first interpretation.",
                  choices: Interpretation.allCases.map(\.rawValue), defaultValue: Interpretation.fixed.rawValue),
            .init(name: "to", valueName: "interpretation", help: "The second interpretation.",
                  choices: Interpretation.allCases.map(\.rawValue), defaultValue: Interpretation.packed.rawValue),
            .init(name: "features", valueName: "features",
                  help: "Compare under this one feature set instead: names, bit numbers, 'none' or 'all', "
                      + "separated by commas."),
            SharedOptions.sizing(),
            .init(name: "ignore-requires",
                  help: "Count every combination of features, even those a device may not offer because a "
                      + "feature's requires is not met."),
            SharedOptions.spec,
            .init(name: "to-spec", valueName: "version",
                  help: "Compare the layout of --spec with this spec version instead of two interpretations."),
            .init(name: "strict", help: "Exit with 1 when a comparison of versions or files finds a breaking change, or "
                      + "when two interpretations place a field differently: for scripts."),
            SharedOptions.format(),
            SharedOptions.device,
        ])

    struct Options: CommandOptions {
        var file: String
        /// A second layout of the same device: `diff OLD NEW`.
        var new: String?
        var includes: [String]
        var from: Interpretation
        var to: Interpretation
        var features: String?
        var sizing: Sizing
        var ignoresRequires: Bool
        /// --spec as given; each comparison has its own default.
        var spec: SpecVersion?
        var toSpec: SpecVersion?
        var strict: Bool
        var format: ReportFormat
        var device: String?

        init(_ arguments: ParsedArguments) throws(UsageError) {
            file = try arguments.required(argument: "file")
            new = arguments.argument("new")
            includes = arguments.values("include")
            from = try arguments.choice("from", as: Interpretation.self)
            to = try arguments.choice("to", as: Interpretation.self)
            features = arguments.value("features")
            sizing = try arguments.choice("sizing", as: Sizing.self)
            ignoresRequires = arguments.flag("ignore-requires")
            spec = try SharedOptions.version(arguments)
            toSpec = try SharedOptions.version(arguments, option: "to-spec")
            strict = arguments.flag("strict")
            format = try arguments.choice("format", as: ReportFormat.self)
            device = arguments.value("device")
            if new != nil {
                if toSpec != nil { throw arguments.misuse(Self.notForFiles("to-spec")) }
                if features != nil { throw arguments.misuse(Self.notForFiles("features")) }
            } else if let toSpec {
                guard spec != nil else {
                    throw arguments.misuse("--to-spec \(toSpec) compares two spec versions; give the first with --spec, such as "
                                           + "--spec 1.1 --to-spec \(toSpec).")
                }
                guard features == nil else {
                    throw arguments.misuse("--to-spec compares whole layouts; it takes no --features.")
                }
            }
        }

        private static func notForFiles(_ option: String) -> String {
            "--\(option) does not apply to two files; diff OLD NEW compares them whole, at --spec."
        }
    }

    static func run(_ options: Options, console: Console) throws(CommandError) {
        let (from, to, format) = (options.from, options.to, options.format)
        let loaded = try LayoutInput.device(at: options.file, named: options.device, includes: options.includes, console: console)
        let style = TextStyle(colors: console.stdoutColors)
        if let proposal = options.new {
            try diffFiles(loaded, proposal: proposal, options: options, style: style, console: console)
            return
        }
        let version = options.spec ?? .newest
        if let target = options.toSpec {
            _ = try LayoutInput.device(loaded, asOf: version)
            _ = try LayoutInput.device(loaded, asOf: target)
            let diff = VersionDiff(device: loaded, from: version, to: target)
            console.out(VersionDiffReport(diff: diff).render(format, style: style))
            try strict(diff, options)
            return
        }
        let device = try LayoutInput.device(loaded, asOf: version)
        if let text = options.features {
            let features = try LayoutInput.features(text, for: device, console: console, whole: loaded, version: version)
            let comparison = FeatureSetComparison(device: device, features: features, from: from, to: to, sizing: options.sizing)
            console.out(ComparisonReport(comparison: comparison).render(format, style: style))
            // Fields both readings place, at different offsets: what a driver of the other reading misreads.
            let moved = comparison.rows.filter { $0.differs && $0.from.offset != nil && $0.to.offset != nil }.count
            if options.strict && moved > 0 {
                throw .rejected("--strict: \(moved) field\(moved == 1 ? "" : "s") placed differently under \(from.rawValue) "
                                + "and \(to.rawValue)")
            }
        } else {
            let diff = InterpretationDiff(device: device, from: from, to: to, sizing: options.sizing,
                                          honorsRequires: !options.ignoresRequires)
            console.out(DiffReport(diff: diff).render(format, style: style))
            let moving = diff.fields.filter(\.moves).count
            if options.strict && moving > 0 {
                throw .rejected("--strict: \(moving) field\(moving == 1 ? "" : "s") move between \(from.rawValue) and "
                                + "\(to.rawValue) in some valid feature set")
            }
        }
    }

    /// `diff OLD NEW`: two layouts of one device, each at --spec (by default the next draft), with the
    /// verdicts of a version comparison.
    private static func diffFiles(_ old: Device, proposal: String, options: Options, style: TextStyle,
                                  console: Console) throws(CommandError) {
        let path = options.file
        let new = try LayoutInput.device(at: proposal, named: options.device, includes: options.includes, console: console)
        guard new.id == old.id else {
            throw .usage("'\(path)' describes \(old.name) (ID \(old.id)) and '\(proposal)' \(new.name) (ID \(new.id)); "
                         + "diff OLD NEW compares two layouts of the same device.")
        }
        // --spec's default is the newest published version; two files default to the next draft.
        let version = options.spec ?? .next
        let diff = VersionDiff(before: try LayoutInput.device(old, asOf: version), after: try LayoutInput.device(new, asOf: version),
                               from: Self.label(path), to: Self.label(proposal))
        console.out(VersionDiffReport(diff: diff).render(options.format, style: style))
        try strict(diff, options)
    }

    /// A file as the report names it: its last path component, or the built-in layout's name.
    private static func label(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    /// --strict: a breaking verdict fails the command, saying so.
    private static func strict(_ diff: VersionDiff, _ options: Options) throws(CommandError) {
        guard options.strict, !diff.breaking.isEmpty else { return }
        throw .rejected("--strict: \(diff.breaking.count) breaking change\(diff.breaking.count == 1 ? "" : "s") from \(diff.from) "
                        + "to \(diff.to)")
    }
}
