import Arguments
import ConfigEmit
import Rendering
import ConfigLayout

/// `cfgspace coverage FILE...`
enum CoverageCommand: Command {
    static let spec = CommandSpec(
        name: "coverage",
        abstract: "Find fields that mean something yet lie beyond the config size.",
        discussion: "For each device, reports every field that is valid under some feature set while the config "
            + "size (QEMU's, by default) ends before it, with the exact condition and an example. With QEMU's "
            + "feature_sizes table transcribed in a layout, this is where QEMU and the spec disagree.",
        arguments: [SharedOptions.files],
        options: [
            SharedOptions.include,
            SharedOptions.sizing(default: .qemu),
            .init(name: "interpretation", valueName: "interpretation", help: "Where fields that do not exist go.",
                  choices: Interpretation.allCases.map(\.rawValue), defaultValue: Interpretation.fixed.rawValue),
            SharedOptions.spec,
            SharedOptions.format(),
        ])

    struct Options: CommandOptions {
        var files: [String]
        var includes: [String]
        var sizing: Sizing
        var interpretation: Interpretation
        var version: SpecVersion
        var format: ReportFormat

        init(_ arguments: ParsedArguments) throws(UsageError) {
            files = arguments.arguments("files")
            includes = arguments.values("include")
            sizing = try arguments.choice("sizing", as: Sizing.self)
            interpretation = try arguments.choice("interpretation", as: Interpretation.self)
            version = try SharedOptions.version(arguments) ?? .newest
            format = try arguments.choice("format", as: ReportFormat.self)
        }
    }

    static func run(_ options: Options, console: Console) throws(CommandError) {
        let version = options.version
        let devices = try LayoutInput.devices(in: options.files, includes: options.includes, console: console)
            .filter { $0.exists(in: version) && $0.config != nil }
            .map { $0.asOf(selected: version) }
        let coverages = devices.map { SizeCoverage(device: $0, interpretation: options.interpretation, sizing: options.sizing) }
        console.out(CoverageReport(coverages: coverages).render(options.format, style: TextStyle(colors: console.stdoutColors)))
    }
}
