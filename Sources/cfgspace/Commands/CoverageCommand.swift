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

    static func run(_ arguments: ParsedArguments, console: Console) throws(CommandError) {
        guard let sizing = arguments.choice("sizing", as: Sizing.self),
              let interpretation = arguments.choice("interpretation", as: Interpretation.self),
              let format = arguments.choice("format", as: ReportFormat.self) else { throw .failed }
        let version = try LayoutInput.version(arguments.value("spec"), option: "spec")
        let devices = try LayoutInput.devices(in: arguments.arguments("files"), arguments: arguments, console: console)
            .filter { $0.exists(in: version) && $0.config != nil }
            .map { $0.asOf(version == SpecVersion.newest ? nil : version) }
        let coverages = devices.map { SizeCoverage(device: $0, interpretation: interpretation, sizing: sizing) }
        console.out(CoverageReport(coverages: coverages).render(format, style: TextStyle(colors: console.stdoutColors)))
    }
}
