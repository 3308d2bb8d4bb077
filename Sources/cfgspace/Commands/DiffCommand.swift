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
            + "(compatible), and offsets moved or types and names changed (breaking), each with its reason.",
        arguments: [SharedOptions.file],
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
            SharedOptions.format(),
            SharedOptions.device,
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws(CommandError) {
        guard let path = arguments.argument("file"),
              let from = arguments.choice("from", as: Interpretation.self),
              let to = arguments.choice("to", as: Interpretation.self),
              let sizing = arguments.choice("sizing", as: Sizing.self),
              let format = arguments.choice("format", as: ReportFormat.self) else { throw .failed }
        let loaded = try LayoutInput.device(at: path, named: arguments.value("device"), arguments: arguments, console: console)
        let style = TextStyle(colors: console.stdoutColors)
        let version = try LayoutInput.version(arguments.value("spec"), option: "spec")
        if let target = arguments.value("to-spec") {
            let to = try LayoutInput.version(target, option: "to-spec")
            guard arguments.options["spec"] != nil else {
                throw .usage("--to-spec \(to) compares two spec versions; give the first with --spec, such as "
                             + "--spec 1.1 --to-spec \(to).")
            }
            guard arguments.options["features"] == nil else {
                throw .usage("--to-spec compares whole layouts; it takes no --features.")
            }
            _ = try LayoutInput.device(loaded, asOf: version)
            _ = try LayoutInput.device(loaded, asOf: to)
            console.out(VersionDiffReport(diff: VersionDiff(device: loaded, from: version, to: to)).render(format, style: style))
            return
        }
        let device = try LayoutInput.device(loaded, asOf: version)
        if let text = arguments.value("features") {
            let features = try LayoutInput.features(text, for: device, console: console, whole: loaded, version: version)
            let comparison = FeatureSetComparison(device: device, features: features, from: from, to: to, sizing: sizing)
            console.out(ComparisonReport(comparison: comparison).render(format, style: style))
        } else {
            let diff = InterpretationDiff(device: device, from: from, to: to, sizing: sizing,
                                          honorsRequires: !arguments.flag("ignore-requires"))
            console.out(DiffReport(diff: diff).render(format, style: style))
        }
    }
}
