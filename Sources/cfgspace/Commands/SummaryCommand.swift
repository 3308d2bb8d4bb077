import Arguments
import ConfigEmit
import Rendering
import ConfigLayout

/// `cfgspace summary FILE...`
enum SummaryCommand: Command {
    static let spec = CommandSpec(
        name: "summary",
        abstract: "Summarize devices: fields, conditional fields, and how many move when packed.",
        arguments: [.init(name: "files", help: "Layout files or built-in names; every built-in layout if none.",
                          isVariadic: true, isOptional: true)],
        options: [SharedOptions.spec, SharedOptions.include, SharedOptions.format()])

    static func run(_ arguments: ParsedArguments, console: Console) throws(CommandError) {
        guard let format = arguments.choice("format", as: ReportFormat.self) else { throw .failed }
        let version = try LayoutInput.version(arguments.value("spec"), option: "spec")
        let files = arguments.arguments("files")
        let devices = try LayoutInput.devices(in: files.isEmpty ? BuiltinLayouts.names : files, arguments: arguments, console: console)
            .filter { $0.exists(in: version) }
            .map { $0.asOf(version == SpecVersion.newest ? nil : version) }
        console.out(SummaryReport(devices: devices).render(format, style: TextStyle(colors: console.stdoutColors)))
    }
}
