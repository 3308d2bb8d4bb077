import ConfigLayout
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

/// serve with blk's test values (`VhostUserServeTests.blkServed`), and the interposer in front of
/// it, laying the upstream's values out under `interpretation` with no values of its own.
struct InterposedServe {
    let served: ServedDevice
    let settings: ServedDevice
    let upstream: ServeFixture
    let interposer: ServeFixture

    init(_ interpretation: Interpretation, label: String) throws {
        served = try VhostUserServeTests.blkServed()
        settings = try ServedDevice(device: served.device, interpretation: interpretation, offered: FeatureSet(), values: [])
        upstream = try ServeFixture(served, label: label + "-upstream")
        interposer = try ServeFixture(settings, label: label + "-interposer", upstream: upstream.socketPath)
    }

    /// What a front-end of the interposer reads: the upstream's values laid out anew under the
    /// interpretation, and zeros to the end of the struct.
    func expected() throws -> [UInt8] {
        let values = served.image.values.sorted { $0.key < $1.key }.map { (path: $0.key, value: $0.value) }
        let bytes = try ServedDevice(device: served.device, interpretation: settings.interpretation, offered: served.offered,
                                     values: values).bytes(modern: true)
        return bytes + [UInt8](repeating: 0, count: served.structSize - bytes.count)
    }

    func close() {
        interposer.close()
        upstream.close()
    }
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
