import Arguments

/// A subcommand: its spec (from which parsing and help come), its options decoded once into typed
/// values, and what it does with them.
protocol Command {
    associatedtype Options: CommandOptions
    static var spec: CommandSpec { get }
    static func run(_ options: Options, console: Console) throws(CommandError)
}

/// What a command was given, typed: decoded once from the parsed arguments, the only place its
/// options are read by name. A misuse is a usage error that says what to type instead.
protocol CommandOptions {
    init(_ arguments: ParsedArguments) throws(UsageError)
}
