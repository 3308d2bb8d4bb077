import CVirtioHost
import Foundation

/// SIGINT, SIGTERM and SIGHUP as a request to stop, for a command that stops cleanly by itself
/// (`serve`): the first makes `descriptor` readable instead of ending the process, and the command
/// ends as it would on `quit`; a second ends the process at once.
public enum SignalStop {
    /// Readable once a stop is asked for (a copy of CVirtioHost's pipe end, the caller's to close).
    public static func descriptor() throws(HostError) -> Descriptor {
        let fd = fcntl(cvh_stop_on_signal(), F_DUPFD_CLOEXEC, 0)
        guard fd >= 0 else { throw HostError.system("watching for signals", errno: errno) }
        return Descriptor(fd)
    }

    /// The signal that asked for the stop, by name (`SIGTERM`), if one did.
    public static var signalName: String? {
        switch cvh_stop_signal() {
        case 0: nil
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        case let other: "signal \(other)"
        }
    }

    /// Whether a signal is ending the process: what fails in the meantime (a child it ended, a
    /// socket it closed) is the signal's doing, not the command's to report.
    public static var processIsEnding: Bool { cvh_ending_signal() != 0 }
}
