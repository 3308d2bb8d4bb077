import CVirtioHost
import Foundation

/// How a child ended.
public enum Termination: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    public var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "signal \(signal)" + (signal == SIGKILL ? " (killed)" : signal == SIGTERM ? " (terminated)" : "")
        }
    }
}

/// A program this process started, heading a process group of its own. The group is killed and the
/// child reaped on every path: `terminate()`, deinit, this process's exit, or a fatal signal (the
/// handlers in CVirtioHost kill every live group). Nothing it starts outlives it.
public final class ChildProcess: @unchecked Sendable {
    /// Where a standard stream goes.
    public enum Stream: Sendable {
        case null
        /// A pipe this side holds the other end of.
        case pipe
    }

    public let executable: String
    public let arguments: [String]
    /// The child's pid, which is also its process group.
    public let pid: pid_t
    /// This side of the child's standard input, when it is a pipe.
    public let input: Descriptor?
    /// This side of the child's standard output, when it is a pipe.
    public let output: Descriptor?
    private let errors: StreamCollector?
    /// Polls readable when the child ends, so a wait wakes at once; nil where the kernel has none.
    private let exitNotice: Descriptor?
    private let lock = NSLock()
    private var ended: Termination?

    /// Starts `executable` (a path) with `arguments`, passing `descriptors` as 3, 4, ... .
    public init(executable: String, arguments: [String], environment: [String: String]? = nil,
                input inputStream: Stream = .null, output outputStream: Stream = .null, errors errorStream: Stream = .pipe,
                passing descriptors: [Int32] = []) throws(HostError) {
        cvh_install_cleanup_handlers()
        let stdin = inputStream == .pipe ? try Descriptor.pipe() : nil
        let stdout = outputStream == .pipe ? try Descriptor.pipe() : nil
        let stderr = errorStream == .pipe ? try Descriptor.pipe() : nil
        let argv = [executable] + arguments
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }.sorted()
        var child: pid_t = 0
        let error = withCStrings(argv) { argvPointer in
            withCStrings(env) { envPointer in
                descriptors.withUnsafeBufferPointer { passed in
                    cvh_spawn(executable, argvPointer, envPointer, stdin?.read.raw ?? -1, stdout?.write.raw ?? -1,
                              stderr?.write.raw ?? -1, passed.baseAddress, Int32(passed.count), &child)
                }
            }
        }
        guard error == 0 else {
            if error == ENOENT || error == EACCES {
                throw HostError(.missingProgram, "cannot run '\(executable)': \(String(cString: strerror(error)))")
            }
            throw HostError.system("starting '\(executable)'", errno: error)
        }
        // When the table is full the child is still supervised here, only not by the signal handlers.
        _ = cvh_track_group(child)
        self.executable = executable
        self.arguments = arguments
        pid = child
        // The child holds its own copies; this side keeps only its ends.
        stdin?.read.close()
        stdout?.write.close()
        stderr?.write.close()
        input = stdin?.write
        output = stdout?.read
        errors = stderr.map { StreamCollector($0.read) }
        let pidfd = cvh_pidfd_open(child)
        exitNotice = pidfd >= 0 ? Descriptor(pidfd) : nil
    }

    deinit {
        terminate(grace: .milliseconds(500))
    }

    /// What the child has written to its standard error so far.
    public var errorText: String { errors?.text ?? "" }

    /// Its standard error once it has ended (waiting briefly for the pipe to drain).
    public func finalErrorText() -> String {
        errors.map { String(decoding: $0.waitForEnd(until: Deadline(in: .seconds(1))), as: UTF8.self) } ?? ""
    }

    /// How the child ended, if it has; reaps it when it has.
    public var termination: Termination? {
        lock.lock()
        defer { lock.unlock() }
        if ended == nil { reap(blocking: false) }
        return ended
    }

    public var isRunning: Bool { termination == nil }

    /// Waits for the child to end by itself; nil when the deadline passes first.
    @discardableResult
    public func wait(until deadline: Deadline) -> Termination? {
        var pause: UInt32 = 100
        while true {
            if let done = termination { return done }
            if deadline.hasPassed { return nil }
            if let exitNotice, (try? exitNotice.wait(for: Int16(POLLIN), until: deadline)) != nil {
                continue
            }
            usleep(pause)
            pause = min(pause * 2, 2_000)
        }
    }

    /// Ends the child and its whole group: SIGTERM, then SIGKILL after `grace`; reaps it. Safe to
    /// call more than once.
    @discardableResult
    public func terminate(grace: Duration = .seconds(2)) -> Termination {
        if let done = termination {
            killGroup()
            return done
        }
        kill(-pid, SIGTERM)
        if let done = wait(until: Deadline(in: grace)) {
            killGroup()
            return done
        }
        killGroup()
        // SIGKILL cannot be refused; the wait is bounded all the same.
        return wait(until: Deadline(in: .seconds(10))) ?? .signaled(SIGKILL)
    }

    /// Kills what is left of the group (helpers the child started) and stops tracking it.
    private func killGroup() {
        kill(-pid, SIGKILL)
        cvh_untrack_group(pid)
    }

    /// The child's peak resident memory in KiB (its own, from wait4), once it has ended.
    public var peakMemoryKiB: Int? {
        lock.lock()
        defer { lock.unlock() }
        return peakMemory
    }
    private var peakMemory: Int?

    /// wait4 (waitpid with the child's resource usage); with `lock` held.
    private func reap(blocking: Bool) {
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let result = wait4(pid, &status, blocking ? 0 : WNOHANG, &usage)
            if result == pid {
                peakMemory = Int(usage.ru_maxrss)
                // The group may still hold helpers: kill them before the leader's pid can be reused.
                kill(-pid, SIGKILL)
                cvh_untrack_group(pid)
                let signal = status & 0x7f
                ended = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
                return
            }
            if result < 0 && errno == EINTR { continue }
            if result < 0 && errno == ECHILD {
                // Reaped elsewhere; it is gone all the same.
                cvh_untrack_group(pid)
                ended = .exited(-1)
            }
            return
        }
    }
}

/// Calls `body` with a NULL-terminated C array of the strings, valid only during the call.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    // The array ends in nil, so it is never empty and always has storage.
    return (copies + [nil]).withUnsafeBufferPointer { body($0.baseAddress!) }
}
