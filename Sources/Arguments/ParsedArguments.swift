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

    /// Whether the option or flag was typed; a default does not count.
    public func isGiven(_ name: String) -> Bool { options[name] != nil || flags.contains(name) }

    /// A choice option as its enum, if it was given or has a default. Parsing checks the spec's
    /// choices; a value the enum does not take is still a usage error, naming those it does.
    public func optionalChoice<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws(UsageError) -> T?
    where T.RawValue == String {
        guard let text = value(name) else { return nil }
        guard let choice = T(rawValue: text) else {
            throw misuse("The value '\(text)' is invalid for '\(label(name))'. Please provide one of "
                         + T.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ".")
        }
        return choice
    }

    /// A choice option that has a default, as its enum.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws(UsageError) -> T
    where T.RawValue == String {
        guard let choice = try optionalChoice(name, as: type) else { throw misuse("Missing expected argument '\(label(name))'.") }
        return choice
    }

    /// A required option's value (parsing has checked it is there; this says so again if not).
    public func required(_ name: String) throws(UsageError) -> String {
        guard let text = value(name) else { throw misuse("Missing expected argument '\(label(name))'.") }
        return text
    }

    /// A required positional argument.
    public func required(argument name: String) throws(UsageError) -> String {
        guard let text = argument(name) else { throw misuse("Missing expected argument '<\(name)>'.") }
        return text
    }

    /// A whole number in `range`, if the option was given or has a default; otherwise a usage error
    /// that ends with `hint`, such as "give 1 to 8".
    public func integer(_ name: String, in range: ClosedRange<Int>, hint: String) throws(UsageError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw misuse("The value '\(text)' is invalid for '\(label(name))': \(hint).")
        }
        return number
    }

    /// A usage error about this command.
    public func misuse(_ message: String) -> UsageError { UsageError(message: message, command: command) }

    /// `--queues <count>`, as the spec spells the option.
    private func label(_ name: String) -> String {
        command.allOptions.first { $0.name == name }?.label ?? "--\(name)"
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
