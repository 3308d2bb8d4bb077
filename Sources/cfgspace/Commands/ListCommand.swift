import Arguments
import ConfigEmit
import Rendering
import ConfigLayout

/// `cfgspace list`: the built-in layouts.
enum ListCommand: Command {
    static let spec = CommandSpec(
        name: "list",
        abstract: "List the built-in layouts: each device's name, ID and the spec version it appeared in.",
        discussion: "The names work wherever a layout file does: 'cfgspace table blk --features SEG_MAX', "
            + "'cfgspace diff net'. A path to a file wins over a name.",
        options: [SharedOptions.format()])

    struct Options: CommandOptions {
        var format: ReportFormat

        init(_ arguments: ParsedArguments) throws(UsageError) {
            format = try arguments.choice("format", as: ReportFormat.self)
        }
    }

    static func run(_ options: Options, console: Console) throws(CommandError) {
        let loader = LayoutLoader()
        var entries: [CatalogReport.Entry] = []
        for name in BuiltinLayouts.names {
            guard let loaded = try? loader.load(path: BuiltinLayouts.path(of: name)), !loaded.hasErrors else {
                throw .rejected("the built-in layout '\(name)' does not load")
            }
            entries.append(CatalogReport.Entry(name: name, device: loaded.devices.first,
                                               featureCount: loaded.devices.first?.features.count
                                                   ?? loaded.checked.transport?.features.count ?? 0))
        }
        console.out(CatalogReport(entries: entries).render(options.format, style: TextStyle(colors: console.stdoutColors)))
    }
}
