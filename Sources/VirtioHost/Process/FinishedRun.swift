/// A program run to its end: its exit, and both its streams (stdout whole, up to a megabyte).
public struct FinishedRun: Sendable {
    public let termination: Termination
    public let output: String
    public let errors: String

    public var succeeded: Bool { termination == .exited(0) }

    /// Runs `executable` with `arguments` to its end, killing its process group if it outlives
    /// `timeout`.
    public static func of(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(120),
                          environment: [String: String]? = nil) throws(HostError) -> FinishedRun {
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment, output: .pipe)
        guard let output = child.output else { throw HostError(.system, "no pipe for \(executable)'s output") }
        let collector = StreamCollector(output)
        guard let ended = child.wait(until: Deadline(in: timeout)) else {
            _ = child.terminate()
            throw HostError(.timeout, "\(executable) did not finish within \(timeout)")
        }
        let text = String(decoding: collector.waitForEnd(until: Deadline(in: .seconds(5))), as: UTF8.self)
        return FinishedRun(termination: ended, output: text, errors: child.finalErrorText())
    }
}
