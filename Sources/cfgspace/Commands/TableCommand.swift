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

    struct Options: CommandOptions {
        var file: String
        var includes: [String]
        var features: String
        var interpretation: Interpretation
        var sizing: Sizing
        var version: SpecVersion
        var format: ReportFormat
        var device: String?

        init(_ arguments: ParsedArguments) throws(UsageError) {
            file = try arguments.required(argument: "file")
            includes = arguments.values("include")
            features = try arguments.required("features")
            interpretation = try arguments.choice("interpretation", as: Interpretation.self)
            sizing = try arguments.choice("sizing", as: Sizing.self)
            version = try SharedOptions.version(arguments) ?? .newest
            format = try arguments.choice("format", as: ReportFormat.self)
            device = arguments.value("device")
        }
    }

    static func run(_ options: Options, console: Console) throws(CommandError) {
        let loaded = try LayoutInput.device(at: options.file, named: options.device, includes: options.includes, console: console)
        let device = try LayoutInput.device(loaded, asOf: options.version)
        let features = try LayoutInput.features(options.features, for: device, console: console,
                                                whole: loaded, version: options.version)
        let layout = Layout(device: device, features: features, interpretation: options.interpretation, sizing: options.sizing)
        console.out(TableReport(layout: layout).render(options.format, style: TextStyle(colors: console.stdoutColors)))
    }
}
