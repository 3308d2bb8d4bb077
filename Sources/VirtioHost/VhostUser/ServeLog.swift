/// Where a vhost-user server's log lines go. Notable lines (connections, refusals, config writes
/// and changes, errors) always go; routine ones (each message answered) only when verbose, and are
/// not even formatted otherwise: a front-end may ask for config thousands of times a second.
public struct ServeLog: Sendable {
    public let verbose: Bool
    private let write: @Sendable (String) -> Void

    public init(verbose: Bool, _ write: @escaping @Sendable (String) -> Void) {
        self.verbose = verbose
        self.write = write
    }

    /// A log that keeps nothing.
    public static let silent = ServeLog(verbose: false) { _ in }

    func callAsFunction(_ line: String) { write(line) }

    /// The same log with `prefix` before each line (`connection 3: `).
    func prefixed(_ prefix: String) -> ServeLog {
        let write = self.write
        return ServeLog(verbose: verbose) { write(prefix + $0) }
    }

    func routine(_ line: @autoclosure () -> String) {
        if verbose { write(line()) }
    }
}
