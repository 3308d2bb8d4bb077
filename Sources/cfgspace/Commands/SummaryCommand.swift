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

    struct Options: CommandOptions {
        var files: [String]
        var includes: [String]
        var version: SpecVersion
        var format: ReportFormat

        init(_ arguments: ParsedArguments) throws(UsageError) {
            files = arguments.arguments("files")
            includes = arguments.values("include")
            version = try SharedOptions.version(arguments) ?? .newest
            format = try arguments.choice("format", as: ReportFormat.self)
        }
    }

    static func run(_ options: Options, console: Console) throws(CommandError) {
        let version = options.version
        let files = options.files
        let devices = try LayoutInput.devices(in: files.isEmpty ? BuiltinLayouts.names : files, includes: options.includes,
                                              console: console)
            .filter { $0.exists(in: version) }
            .map { $0.asOf(selected: version) }
        console.out(SummaryReport(devices: devices).render(options.format, style: TextStyle(colors: console.stdoutColors)))
    }
}
