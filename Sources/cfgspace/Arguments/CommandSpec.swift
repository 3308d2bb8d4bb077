/// What a subcommand accepts, from which both parsing and `--help` are derived.
struct CommandSpec: Sendable {
    struct Argument: Sendable {
        let name: String
        let help: String
        var isVariadic = false
        var isOptional = false
    }

    struct Option: Sendable {
        let name: String
        var short: Character?
        /// Nil for a flag, which takes no value.
        var valueName: String?
        let help: String
        /// The values the option accepts, if it is a choice.
        var choices: [String]?
        var defaultValue: String?
        var isRepeatable = false
        var isRequired = false

        var isFlag: Bool { valueName == nil }

        /// `--features <features>`, `-h, --help`.
        var label: String {
            (short.map { "-\($0), " } ?? "") + "--\(name)" + (valueName.map { " <\($0)>" } ?? "")
        }
    }

    let name: String
    let abstract: String
    var discussion: String?
    var arguments: [Argument] = []
    var options: [Option] = []

    static let help = Option(name: "help", short: "h", help: "Show help information.")

    var allOptions: [Option] { options + [Self.help] }

    /// `cfgspace table <file> [--features <features>] ...`
    var usage: String {
        var parts = ["cfgspace", name]
        for argument in arguments {
            var text = "<\(argument.name)>"
            if argument.isVariadic { text += " ..." }
            parts.append(argument.isOptional ? "[\(text)]" : text)
        }
        for option in options {
            let text = option.label + (option.isRepeatable ? " ..." : "")
            parts.append(option.isRequired ? text : "[\(text)]")
        }
        return parts.joined(separator: " ")
    }
}
