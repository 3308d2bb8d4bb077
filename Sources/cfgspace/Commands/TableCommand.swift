import Arguments
import ConfigEmit
import Rendering
import ConfigLayout

/// `cfgspace table FILE --features ...`
enum TableCommand: Command {
    static let spec = CommandSpec(
        name: "table",
        abstract: "Show a device's configuration layout under one feature set.",
        discussion: "Lays out every field at its offset under the features the device offers. Under the fixed "
            + "interpretation every field keeps its C offset; under packed, fields whose condition is false take "
            + "no space and later fields move up.",
        arguments: [SharedOptions.file],
        options: [
            SharedOptions.include,
            .init(name: "features", valueName: "features",
                  help: "The offered features: names (the device's or the transport's), bit numbers, 'none' or "
                      + "'all', separated by commas.", defaultValue: "all"),
            .init(name: "interpretation", valueName: "interpretation",
                  help: "Where fields that do not exist go.",
                  choices: Interpretation.allCases.map(\.rawValue), defaultValue: Interpretation.fixed.rawValue),
            SharedOptions.sizing(),
            SharedOptions.spec,
            SharedOptions.format(),
            SharedOptions.device,
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws(CommandError) {
        guard let path = arguments.argument("file"),
              let interpretation = arguments.choice("interpretation", as: Interpretation.self),
              let sizing = arguments.choice("sizing", as: Sizing.self),
              let format = arguments.choice("format", as: ReportFormat.self) else { throw .failed }
        let version = try LayoutInput.version(arguments.value("spec"), option: "spec")
        let loaded = try LayoutInput.device(at: path, named: arguments.value("device"), arguments: arguments, console: console)
        let device = try LayoutInput.device(loaded, asOf: version)
        let features = try LayoutInput.features(arguments.value("features") ?? "all", for: device, console: console,
                                                whole: loaded, version: version)
        let layout = Layout(device: device, features: features, interpretation: interpretation, sizing: sizing)
        console.out(TableReport(layout: layout).render(format, style: TextStyle(colors: console.stdoutColors)))
    }
}
