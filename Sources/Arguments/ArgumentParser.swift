import Spelling

/// Parses a subcommand's arguments against its spec: `--name value`, `--name=value`, flags, `-h`,
/// `--` to end options, and positionals in order.
public enum ArgumentParser {
    public static func parse(_ arguments: [String], for command: CommandSpec) -> Result<ParsedArguments, UsageError> {
        var parsed = ParsedArguments(command: command)
        var positionals: [String] = []
        var index = 0
        var optionsEnded = false

        func fail(_ message: String) -> Result<ParsedArguments, UsageError> {
            .failure(UsageError(message: message, command: command))
        }

        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }

            var name: String
            var inlineValue: String?
            if argument.hasPrefix("--") {
                name = String(argument.dropFirst(2))
                if let equals = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
            } else if let option = command.allOptions.first(where: { $0.aliases.contains(argument) }) {
                name = option.name
            } else {
                let letter = argument.dropFirst()
                guard let option = command.allOptions.first(where: { $0.short == letter.first }),
                      letter.count == 1 || !option.isFlag else {
                    return fail("Unknown option '\(argument)'." + suggestion(for: argument, in: command))
                }
                name = option.name
                // `-Ifolder`, as compilers take it.
                if letter.count > 1 { inlineValue = String(letter.dropFirst()) }
            }

            guard let option = command.allOptions.first(where: { $0.name == name }) else {
                return fail("Unknown option '--\(name)'." + suggestion(for: name, in: command))
            }
            if option.isFlag {
                if inlineValue != nil { return fail("The flag '--\(name)' does not take a value.") }
                parsed.flags.insert(name)
                continue
            }

            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count, !arguments[index].hasPrefix("--") {
                value = arguments[index]
                index += 1
            } else {
                return fail("Missing value for '\(option.label)'.")
            }
            if let choices = option.choices, !choices.contains(value) {
                return fail("The value '\(value)' is invalid for '\(option.label)'. Please provide one of "
                            + choices.map { "'\($0)'" }.joined(separator: ", ") + ".")
            }
            if parsed.options[name] != nil, !option.isRepeatable {
                return fail("'--\(name)' is given more than once; give it once.")
            }
            parsed.options[name, default: []].append(value)
        }

        // --help wins over everything else missing.
        if parsed.flags.contains("help") { return .success(parsed) }

        for argument in command.arguments {
            if argument.isVariadic {
                if positionals.isEmpty, !argument.isOptional { return fail("Missing expected argument '<\(argument.name)>'.") }
                parsed.positionals[argument.name] = positionals
                positionals = []
            } else if let first = positionals.first {
                parsed.positionals[argument.name] = [first]
                positionals.removeFirst()
            } else if !argument.isOptional {
                return fail("Missing expected argument '<\(argument.name)>'.")
            }
        }
        if let extra = positionals.first {
            return fail("Unexpected argument '\(extra)'.")
        }
        for option in command.options where option.isRequired && parsed.options[option.name] == nil {
            return fail("Missing expected argument '\(option.label)'.")
        }
        return .success(parsed)
    }

    /// " Did you mean '--features'?" for a near miss.
    private static func suggestion(for typed: String, in command: CommandSpec) -> String {
        let bare = typed.drop { $0 == "-" }
        guard let match = Suggestion.closest(to: String(bare), in: command.allOptions.map(\.name)) else { return "" }
        return " Did you mean '--\(match)'?"
    }
}
