import ConfigLayout
import Foundation
import VirtioModel

/// A `VhostUserServer` running on a thread of its own, as `cfgspace serve` runs it: command lines
/// go to it through a pipe, as standard input would carry them, and `stop()` ends it and waits for
/// its thread (bounded). Its socket lives in a fresh temporary folder, removed on stop (or when a
/// signal ends the process).
public final class RunningServer: @unchecked Sendable {
    public let socketPath: String
    public let server: VhostUserServer
    private let folder: TemporaryFolder
    private let commands: (read: Descriptor, write: Descriptor)
    private let stopper: (read: Descriptor, write: Descriptor)
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopped = false

    /// A back-end serving `served` itself.
    public convenience init(served: ServedDevice, queues: Int = 8, log: ServeLog = .silent) throws(HostError) {
        try self.init { path throws(HostError) in try VhostUserServer(path: path, served: served, queues: queues, log: log) }
    }

    /// An interposer in front of the back-end at `upstream`.
    public convenience init(upstream: String, settings: ServedDevice, offerOnly: FeatureSet? = nil,
                            log: ServeLog = .silent) throws(HostError) {
        try self.init { path throws(HostError) in
            try VhostUserServer(path: path, upstream: upstream, served: settings, offerOnly: offerOnly, log: log)
        }
    }

    private init(_ make: (String) throws(HostError) -> VhostUserServer) throws(HostError) {
        folder = try TemporaryFolder(prefix: "cfgspace-serve")
        socketPath = folder.file("vhost-user.sock")
        commands = try Descriptor.pipe()
        stopper = try Descriptor.pipe()
        do {
            server = try make(socketPath)
        } catch {
            folder.remove()
            throw error
        }
        let server = self.server, commandsRead = commands.read, stopRead = stopper.read, done = finished
        Thread {
            try? server.run(commands: commandsRead, stop: stopRead)
            done.signal()
        }.start()
    }

    /// Sends a command line (`set capacity=4096`), as standard input would.
    public func command(_ line: String) throws(HostError) {
        try commands.write.write(Array((line + "\n").utf8), until: Deadline(in: .seconds(5)), what: "the server's commands")
    }

    /// Stops the server and waits (bounded) for its thread; safe to call again.
    public func stop() {
        lock.lock()
        let already = stopped
        stopped = true
        lock.unlock()
        guard !already else { return }
        stopper.write.close()
        _ = finished.wait(timeout: .now() + 10)
        folder.remove()
    }

    deinit { stop() }
}
