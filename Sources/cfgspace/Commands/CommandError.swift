/// How a command stops early. Every case is a message the user sees: `.usage` and `.rejected` carry
/// theirs, and `.failed` and `.unmeasurable` follow a report already written (diagnostics, a
/// verdict on standard output, or an error line).
enum CommandError: Error {
    /// The command was mistyped; the message says what to type instead.
    case usage(String)
    /// The input was rejected for this reason, which has not been said yet: exit 1 after saying it.
    case rejected(String)
    /// The problem has been reported already.
    case failed
    /// What was to be checked cannot be measured; that has been reported already.
    case unmeasurable
}
