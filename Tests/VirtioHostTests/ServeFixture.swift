import Foundation
import TestSupport
import VirtioModel
@testable import VirtioHost

/// `cfgspace serve` in process (a `RunningServer`), with its log kept for the test.
final class ServeFixture: @unchecked Sendable {
    private let running: RunningServer
    private let lock = NSLock()
    private var lines: [String] = []

    var socketPath: String { running.socketPath }
    var server: VhostUserServer { running.server }

    init(_ served: ServedDevice, label: String, upstream: String? = nil) throws {
        let box = LogBox()
        let log = ServeLog(verbose: true) { box.append($0) }
        if let upstream {
            running = try RunningServer(upstream: upstream, settings: served, log: log)
        } else {
            running = try RunningServer(served: served, log: log)
        }
        box.owner = self
    }

    /// Sends a command line, as standard input would.
    func command(_ line: String) throws { try running.command(line) }

    var log: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    fileprivate func append(_ line: String) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    /// Waits (bounded) for a log line.
    func waitFor(_ fragment: String, seconds: Double = 10) -> Bool {
        ProcessTable.eventually(within: seconds) { self.log.contains { $0.contains(fragment) } }
    }

    /// Stops the server and waits for its thread; safe to call again.
    func close() { running.stop() }

    deinit { close() }
}

private final class LogBox: @unchecked Sendable {
    weak var owner: ServeFixture?
    func append(_ line: String) { owner?.append(line) }
}

/// QEMU with a vhost-user front-end connected to a socket: shared memory, as vhost-user needs.
enum VhostUserQEMU {
    static func options(device: String, socket: String, arguments: [String] = []) -> QEMUMachine.Options {
        QEMUMachine.Options(devices: [device + ",chardev=cfgspace-vhost,id=vhost-probe"],
                            arguments: ["-chardev", "socket,id=cfgspace-vhost,path=\(socket)",
                                        "-object", "memory-backend-memfd,id=cfgspace-mem,size=64M,share=on",
                                        "-machine", "memory-backend=cfgspace-mem", "-m", "64M"] + arguments, parked: true)
    }
}
