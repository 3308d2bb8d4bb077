/// Arguments after parsing: positionals by name, option values, and flags.
public struct ParsedArguments: Sendable {
    public var positionals: [String: [String]] = [:]
    public var options: [String: [String]] = [:]
    public var flags: Set<String> = []
    public let command: CommandSpec

    public init(command: CommandSpec) {
        self.command = command
    }

    /// The option's last value, or its default.
    public func value(_ name: String) -> String? {
        options[name]?.last ?? command.options.first { $0.name == name }?.defaultValue
    }

    public func values(_ name: String) -> [String] { options[name] ?? [] }

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    public func argument(_ name: String) -> String? { positionals[name]?.first }

    public func arguments(_ name: String) -> [String] { positionals[name] ?? [] }

    /// A choice option as its enum, which parsing has already validated.
    public func choice<T: RawRepresentable>(_ name: String, as type: T.Type) -> T? where T.RawValue == String {
        value(name).flatMap(T.init(rawValue:))
    }
}

/// A mistake in how the command was typed. The message says what to type instead.
public struct UsageError: Error, Sendable {
    public let message: String
    /// The command whose usage line to show, if known.
    public let command: CommandSpec?

    public init(message: String, command: CommandSpec?) {
        self.message = message
        self.command = command
    }
}
