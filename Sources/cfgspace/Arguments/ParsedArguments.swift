/// Arguments after parsing: positionals by name, option values, and flags.
struct ParsedArguments: Sendable {
    var positionals: [String: [String]] = [:]
    var options: [String: [String]] = [:]
    var flags: Set<String> = []
    let command: CommandSpec

    /// The option's last value, or its default.
    func value(_ name: String) -> String? {
        options[name]?.last ?? command.options.first { $0.name == name }?.defaultValue
    }

    func values(_ name: String) -> [String] { options[name] ?? [] }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    func argument(_ name: String) -> String? { positionals[name]?.first }

    func arguments(_ name: String) -> [String] { positionals[name] ?? [] }

    /// A choice option as its enum, which parsing has already validated.
    func choice<T: RawRepresentable>(_ name: String, as type: T.Type) -> T? where T.RawValue == String {
        value(name).flatMap(T.init(rawValue:))
    }
}

/// A mistake in how the command was typed. The message says what to type instead.
struct UsageError: Error, Sendable {
    let message: String
    /// The command whose usage line to show, if known.
    let command: CommandSpec?
}
