import Foundation

/// What a finished process printed and returned.
public struct ProcessResult: Sendable {
    /// The exit status, or the signal's number when a signal ended the process.
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// A signal ended the process: a crash, or the kill that ends a run past its timeout.
    public var endedBySignal = false
    /// The run outlasted its timeout and was killed.
    public var timedOut = false

    /// Standard error with wrapped lines joined again, for finding a message whatever its width.
    public var unwrappedStderr: String {
        stderr.replacingOccurrences(of: "\n +", with: " ", options: .regularExpression)
    }
}

public enum Subprocess {
    /// Runs a program to completion, capturing both streams (read concurrently, so a chatty
    /// program cannot fill a pipe and stall).
    /// Standard input is empty; a run past `timeout` is sent SIGTERM (cfgspace then kills its own
    /// children), and SIGKILL five seconds later. `merged` sends both streams down one pipe, in the
    /// order a terminal would show them, into `stdout`.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String]? = nil, timeout: Duration = .seconds(300),
                           merged: Bool = false) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        if merged { try? err.fileHandleForWriting.close() }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = merged ? out : err
        try process.run()
        final class Flag: @unchecked Sendable { var raised = false }
        let timedOut = Flag()
        let pid = process.processIdentifier
        let (seconds, attoseconds) = timeout.components
        let deadline = DispatchTime.now() + .milliseconds(Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
        let watchdog = DispatchWorkItem {
            guard process.isRunning else { return }
            timedOut.raised = true
            kill(pid, SIGTERM)
            DispatchQueue.global().asyncAfter(deadline: .now() + 5) { if process.isRunning { kill(pid, SIGKILL) } }
        }
        DispatchQueue.global().asyncAfter(deadline: deadline, execute: watchdog)
        defer { watchdog.cancel() }
        // The group's wait orders the background write before the read below.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        process.waitUntilExit()
        var result = ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                   stderr: String(decoding: errData, as: UTF8.self))
        result.endedBySignal = process.terminationReason == .uncaughtSignal
        result.timedOut = timedOut.raised
        return result
    }

    /// The built `cfgspace`, which sits beside the test bundle in the build folder.
    public static var cfgspace: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("cfgspace")
    }

    /// Runs the built `cfgspace` from the package root.
    public static func cfgspace(_ arguments: String...) throws -> ProcessResult {
        try run(cfgspace, arguments, in: PackagePaths.root)
    }
}
