import Foundation
import Rendering
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
        err("cfgspace: \(label)" + TextTable.paragraph("cfgspace: error: \(message)", continuation: "  ").dropFirst("cfgspace: error:".count))
    }

    func warning(_ message: String) {
        let label = stderrColors ? "\u{1B}[1;35mwarning:\u{1B}[0m" : "warning:"
        err("cfgspace: \(label)" + TextTable.paragraph("cfgspace: warning: \(message)", continuation: "  ").dropFirst("cfgspace: warning:".count))
    }
}
