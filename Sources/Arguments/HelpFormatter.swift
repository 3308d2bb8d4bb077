import Rendering

/// `--help` text in swift-argument-parser's shape: OVERVIEW, USAGE, ARGUMENTS, OPTIONS,
/// SUBCOMMANDS, wrapped to 80 columns.
public enum HelpFormatter {
    public static let width = 80
    static let labelWidth = 24

    public static func root(overview: String, discussion: String, commands: [CommandSpec]) -> String {
        var out = "OVERVIEW: \(overview)\n\n"
        out += wrap(discussion, indent: 0) + "\n\n"
        out += "USAGE: cfgspace <subcommand>\n\n"
        out += "OPTIONS:\n"
        out += entry("--version", "Show the version.")
        out += entry(CommandSpec.help.label, CommandSpec.help.help)
        out += "\nSUBCOMMANDS:\n"
        for command in commands {
            out += entry(command.name, command.abstract)
        }
        out += "\n  See 'cfgspace help <subcommand>' for detailed help.\n"
        return out
    }

    public static func help(for command: CommandSpec) -> String {
        var out = "OVERVIEW: \(command.abstract)\n\n"
        if let discussion = command.discussion {
            out += discussion.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : wrap(String($0), indent: 0) }.joined(separator: "\n") + "\n\n"
        }
        out += wrap("USAGE: " + command.usage, indent: 0, hangingIndent: 9) + "\n"
        if !command.arguments.isEmpty {
            out += "\nARGUMENTS:\n"
            for argument in command.arguments {
                out += entry("<\(argument.name)>" + (argument.isVariadic ? " ..." : ""), argument.help)
            }
        }
        out += "\nOPTIONS:\n"
        for option in command.allOptions {
            var help = option.help
            var details: [String] = []
            if let choices = option.choices { details.append("values: " + choices.joined(separator: ", ")) }
            if let value = option.defaultValue { details.append("default: \(value)") }
            if !details.isEmpty { help += " (\(details.joined(separator: "; ")))" }
            out += entry(option.label, help)
        }
        return out
    }

    /// The swift-argument-parser error block:
    ///
    ///     Error: Unknown option '--featurs'. Did you mean '--features'?
    ///     Usage: cfgspace table <file> [--features <features>] ...
    ///       See 'cfgspace table --help' for more information.
    public static func usageError(_ error: UsageError) -> String {
        // A long message wraps at the width of every other report, not at the help's.
        var out = wrap("Error: \(error.message)", indent: 0, hangingIndent: 7, width: TextTable.defaultWidth) + "\n"
        if let command = error.command {
            out += wrap("Usage: " + command.usage, indent: 0, hangingIndent: 7) + "\n"
            out += "  See 'cfgspace \(command.name) --help' for more information.\n"
        } else {
            out += "Usage: cfgspace <subcommand>\n  See 'cfgspace --help' for more information.\n"
        }
        return out
    }

    /// `  label                   help`, with help on its own line when the label is long.
    private static func entry(_ label: String, _ help: String) -> String {
        let lead = "  " + label
        let helpText = wrap(help, indent: labelWidth + 2)
        // Two spaces at least between a label and its help, or the help goes on the next line.
        if lead.count <= labelWidth {
            return lead + String(repeating: " ", count: labelWidth + 2 - lead.count)
                + helpText.dropFirst(labelWidth + 2) + "\n"
        }
        return lead + "\n" + helpText + "\n"
    }

    /// Wraps words to the width; every line starts with `indent` spaces, continuation lines with
    /// `hangingIndent` more.
    public static func wrap(_ text: String, indent: Int, hangingIndent: Int = 0, width: Int = width) -> String {
        String(TextTable.paragraph(text, indent: String(repeating: " ", count: indent),
                                   continuation: String(repeating: " ", count: indent + hangingIndent), width: width).dropLast())
    }
}
