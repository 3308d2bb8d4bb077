import Foundation
import TestSupport
import VirtioModel
@testable import VirtioHost

/// `cfgspace serve` in process on a thread of its own, fed command lines through a pipe and stopped
/// by closing another, with its log kept for the test.
final class ServeFixture: @unchecked Sendable {
    let folder: URL
    let socketPath: String
    private let commands: (read: Descriptor, write: Descriptor)
    private let stop: (read: Descriptor, write: Descriptor)
    private let lock = NSLock()
    private var lines: [String] = []
    private let finished = DispatchSemaphore(value: 0)
    let server: VhostUserServer

    init(_ served: ServedDevice, label: String, upstream: String? = nil) throws {
        folder = try Tools.temporaryFolder(label)
        socketPath = folder.appendingPathComponent("vhost-user.sock").path
        commands = try Descriptor.pipe()
        stop = try Descriptor.pipe()
        let box = LogBox()
        let log = ServeLog(verbose: true) { box.append($0) }
        if let upstream {
            server = try VhostUserServer(path: socketPath, upstream: upstream, served: served, log: log)
        } else {
            server = try VhostUserServer(path: socketPath, served: served, log: log)
        }
        box.owner = self
        let server = self.server, commandsRead = commands.read, stopRead = stop.read, done = finished
        let thread = Thread {
            try? server.run(commands: commandsRead, stop: stopRead)
            done.signal()
        }
        thread.start()
    }

    /// Sends a command line, as standard input would.
    func command(_ line: String) throws {
        try commands.write.write(Array((line + "\n").utf8), until: Deadline(in: .seconds(5)), what: "serve's commands")
    }

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

    private var closed = false

    /// Stops the server and waits for its thread; safe to call again.
    func close() {
        lock.lock()
        let already = closed
        closed = true
        lock.unlock()
        guard !already else { return }
        stop.write.close()
        _ = finished.wait(timeout: .now() + 10)
        try? FileManager.default.removeItem(at: folder)
    }

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

/// qemu-storage-daemon exporting a sparse raw file of `size` bytes over vhost-user-blk: a real
/// back-end with a data path, which can be resized.
final class StorageDaemon {
    let socketPath: String
    let process: ChildProcess
    let folder: URL
    /// The daemon's QMP monitor, for block_resize.
    let qmp: QMPClient

    init(size: UInt64 = 1 << 30, label: String) throws {
        folder = try Tools.temporaryFolder(label)
        socketPath = folder.appendingPathComponent("qsd.sock").path
        let program = try Program.locate("qemu-storage-daemon")
        let image = folder.appendingPathComponent("disk.raw").path
        guard FileManager.default.createFile(atPath: image, contents: nil), truncate(image, off_t(size)) == 0 else {
            throw HostError(.system, "cannot make the disk image \(image)")
        }
        let (ours, theirs) = try Descriptor.socketPair()
        process = try ChildProcess(executable: program, arguments: [
            "--blockdev", "driver=file,node-name=n0,filename=\(image)",
            "--export", "type=vhost-user-blk,id=e0,node-name=n0,addr.type=unix,addr.path=\(socketPath),writable=on",
            "--chardev", "socket,id=m0,fd=3", "--monitor", "chardev=m0,mode=control"], passing: [theirs.raw])
        theirs.close()
        qmp = try QMPClient(socket: ours)
        guard ProcessTable.eventually({ FileManager.default.fileExists(atPath: self.socketPath) }) else {
            process.terminate()
            throw HostError(.timeout, "qemu-storage-daemon did not listen: \(process.finalErrorText())")
        }
    }

    /// Resizes the exported disk, as an operator would (QMP block_resize).
    func resize(to size: UInt64) throws {
        try qmp.execute("block_resize", ["node-name": "n0", "size": size])
    }

    func stop() {
        process.terminate()
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { stop() }
}
