import ConfigEmit
import ConfigLayout

/// `cfgspace summary FILE...`
enum SummaryCommand: Command {
    static let spec = CommandSpec(
        name: "summary",
        abstract: "Summarize devices: fields, conditional fields, and how many move when packed.",
        arguments: [SharedOptions.files],
        options: [SharedOptions.spec, SharedOptions.format()])

    static func run(_ arguments: ParsedArguments, console: Console) throws(CommandError) {
        guard let format = arguments.choice("format", as: ReportFormat.self) else { throw .failed }
        let version = try LayoutInput.version(arguments.value("spec"), option: "spec")
        let devices = try LayoutInput.devices(in: arguments.arguments("files"), console: console)
            .filter { $0.exists(in: version) }
            .map { $0.asOf(version == SpecVersion.newest ? nil : version) }
        console.out(SummaryReport(devices: devices).render(format, style: TextStyle(colors: console.stdoutColors)))
    }
}
