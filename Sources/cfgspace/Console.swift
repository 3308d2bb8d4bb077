import Foundation
import VirtioHost

/// Where the tool writes, and whether each stream is a terminal (colour only then, and never when
/// NO_COLOR is set).
struct Console {
    let stdoutColors: Bool
    let stderrColors: Bool
    /// Writes nothing: for running commands in process many times over (the argument fuzzer).
    var isSilent = false

    static let silent = Console(stdoutColors: false, stderrColors: false, isSilent: true)

    static var standard: Console {
        let colorAllowed = ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        return Console(stdoutColors: colorAllowed && isatty(STDOUT_FILENO) == 1,
                       stderrColors: colorAllowed && isatty(STDERR_FILENO) == 1)
    }

    func out(_ text: String) {
        guard !isSilent else { return }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    func err(_ text: String) {
        guard !isSilent else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `cfgspace: error: message`, for problems that belong to no source line.
    func error(_ message: String) {
        // A signal is ending the process, which ends as the signal says: what failed meanwhile
        // (QEMU, which it ended) is no error of the command's.
        guard !SignalStop.processIsEnding else { return }
        let label = stderrColors ? "\u{1B}[1;31merror:\u{1B}[0m" : "error:"
        err("cfgspace: \(label) \(message)\n")
    }

    func warning(_ message: String) {
        let label = stderrColors ? "\u{1B}[1;35mwarning:\u{1B}[0m" : "warning:"
        err("cfgspace: \(label) \(message)\n")
    }
}

/// 0 on success, 1 when a check finds errors, 2 when what was to be checked cannot be measured
/// (`conform` on a struct its compiler refuses), 64 (EX_USAGE) when the command was mistyped.
enum ExitCode: Int32 {
    case success = 0
    case failure = 1
    case unmeasurable = 2
    case usage = 64
}

/// How a command stops early.
enum CommandError: Error {
    /// The command was mistyped; the message says what to type instead.
    case usage(String)
    /// The problem has been reported already.
    case failed
    /// What was to be checked cannot be measured; that has been reported already.
    case unmeasurable
}
