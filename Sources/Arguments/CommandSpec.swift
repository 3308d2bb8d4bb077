/// What a subcommand accepts, from which both parsing and `--help` are derived.
public struct CommandSpec: Sendable {
    public struct Argument: Sendable {
        public let name: String
        public let help: String
        public var isVariadic: Bool
        public var isOptional: Bool

        public init(name: String, help: String, isVariadic: Bool = false, isOptional: Bool = false) {
            self.name = name
            self.help = help
            self.isVariadic = isVariadic
            self.isOptional = isOptional
        }
    }

    public struct Option: Sendable {
        public let name: String
        public var short: Character?
        /// Nil for a flag, which takes no value.
        public var valueName: String?
        public let help: String
        /// The values the option accepts, if it is a choice.
        public var choices: [String]?
        public var defaultValue: String?
        public var isRepeatable: Bool
        public var isRequired: Bool
        /// Other spellings taken as the option, as other tools spell it: `-include`.
        public var aliases: [String]

        public init(name: String, short: Character? = nil, valueName: String? = nil, help: String, choices: [String]? = nil,
                    defaultValue: String? = nil, isRepeatable: Bool = false, isRequired: Bool = false, aliases: [String] = []) {
            self.aliases = aliases
            self.name = name
            self.short = short
            self.valueName = valueName
            self.help = help
            self.choices = choices
            self.defaultValue = defaultValue
            self.isRepeatable = isRepeatable
            self.isRequired = isRequired
        }

        public var isFlag: Bool { valueName == nil }

        /// `--features <features>`, `-h, --help`.
        public var label: String {
            (short.map { "-\($0), " } ?? "") + "--\(name)" + (valueName.map { " <\($0)>" } ?? "")
        }
    }

    public let name: String
    public let abstract: String
    public var discussion: String?
    public var arguments: [Argument]
    public var options: [Option]
    /// The program the usage line names.
    public var program: String

    public init(name: String, abstract: String, discussion: String? = nil, arguments: [Argument] = [], options: [Option] = [],
                program: String = "cfgspace") {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = arguments
        self.options = options
        self.program = program
    }

    public static let help = Option(name: "help", short: "h", help: "Show help information.")

    public var allOptions: [Option] { options + [Self.help] }

    /// `cfgspace table <file> [--features <features>] ...`
    public var usage: String {
        var parts = [program, name]
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
