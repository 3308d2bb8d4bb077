import Arguments
import Spelling

/// The command line: dispatches to a subcommand, and turns mistakes into usage errors that say
/// what to type instead.
enum CFGSpace {
    static let version = "0.1.0"

    static var commands: [any Command.Type] {
        [CheckCommand.self, TableCommand.self, DiffCommand.self, CoverageCommand.self, SummaryCommand.self,
         GenerateCommand.self, SimulateCommand.self, ProbeCommand.self, ServeCommand.self, GuestCommand.self, ConformCommand.self, ListCommand.self]
    }

    static let overview = "Lay out virtio device configuration spaces and find where readings of them disagree."

    static let discussion = "cfgspace reads layout files (Layouts/*.layout) that describe each virtio device's "
        + "configuration fields and the feature bits they depend on. It lays the fields out under the fixed "
        + "(C offsets) and packed (the spec's literal \"only exists if\") interpretations and reports, over every "
        + "feature set at once, where those readings disagree. It also runs models of real devices and drivers "
        + "against each other (QEMU, mlx5 vDPA, Linux, DPDK, ...) and shows where they part ways at run time."

    static func main(_ arguments: [String], console: Console) -> ExitCode {
        let specs = commands.map { $0.spec }
        let rootHelp = HelpFormatter.root(overview: overview, discussion: discussion, commands: specs)
        guard let first = arguments.first else {
            console.err(rootHelp)
            return .usage
        }
        switch first {
        case "-h", "--help":
            console.out(rootHelp)
            return .success
        case "--version":
            console.out("cfgspace \(version)\n")
            return .success
        case "help":
            guard arguments.count > 1 else {
                console.out(rootHelp)
                return .success
            }
            guard let command = command(named: arguments[1]) else {
                return unknownSubcommand(arguments[1], console: console)
            }
            console.out(HelpFormatter.help(for: command.spec))
            return .success
        default:
            guard let command = command(named: first) else {
                return unknownSubcommand(first, console: console)
            }
            return run(command, Array(arguments.dropFirst()), console: console)
        }
    }

    private static func run(_ command: any Command.Type, _ arguments: [String], console: Console) -> ExitCode {
        let parsed: ParsedArguments
        switch ArgumentParser.parse(arguments, for: command.spec) {
        case .failure(let error):
            console.err(HelpFormatter.usageError(error))
            return .usage
        case .success(let result):
            parsed = result
        }
        if parsed.flag("help") {
            console.out(HelpFormatter.help(for: command.spec))
            return .success
        }
        return execute(command, parsed, console: console)
    }

    /// Decodes the command's options once, then runs it; every way it stops says why.
    private static func execute<C: Command>(_ command: C.Type, _ parsed: ParsedArguments, console: Console) -> ExitCode {
        let options: C.Options
        do throws(UsageError) {
            options = try C.Options(parsed)
        } catch {
            console.err(HelpFormatter.usageError(UsageError(message: error.message, command: error.command ?? C.spec)))
            return .usage
        }
        do throws(CommandError) {
            try C.run(options, console: console)
            return .success
        } catch {
            switch error {
            case .usage(let message):
                console.err(HelpFormatter.usageError(UsageError(message: message, command: C.spec)))
                return .usage
            case .rejected(let message):
                console.error(message)
                return .failure
            case .failed:
                return .failure
            case .unmeasurable:
                return .unmeasurable
            }
        }
    }

    private static func command(named name: String) -> (any Command.Type)? {
        commands.first { $0.spec.name == name }
    }

    private static func unknownSubcommand(_ name: String, console: Console) -> ExitCode {
        var message = name.hasPrefix("-") ? "Unknown option '\(name)'." : "Unknown subcommand '\(name)'."
        if let match = Suggestion.closest(to: name, in: commands.map { $0.spec.name } + ["help"]) {
            message += " Did you mean '\(match)'?"
        }
        console.err(HelpFormatter.usageError(UsageError(message: message, command: nil)))
        return .usage
    }
}
