import Foundation

/// qemu-storage-daemon exporting a raw file over vhost-user-blk: a real back-end with a real data
/// path, which `cfgspace guest` puts behind the interposer and the tests read as a front-end.
/// Its QMP monitor (on a socket pair, descriptor 3) takes block_resize. The daemon runs in its own
/// process group and is killed and reaped on every exit path.
public final class StorageDaemon {
    public struct Options: Sendable {
        /// The exported file's size in bytes (a sparse file).
        public var size: UInt64
        /// The queues the export serves (`num-queues`); a front-end may not ask for more.
        public var queues: Int
        /// Bytes written at the start of the file, so a guest's first read can be checked.
        public var firstBytes: [UInt8]
        public var writable: Bool
        public var executable: String?

        public init(size: UInt64 = 1 << 30, queues: Int = 1, firstBytes: [UInt8] = [], writable: Bool = true,
                    executable: String? = nil) {
            self.size = size
            self.queues = queues
            self.firstBytes = firstBytes
            self.writable = writable
            self.executable = executable
        }
    }

    public let socketPath: String
    public let imagePath: String
    public let process: ChildProcess
    private let folder: TemporaryFolder
    private let qmp: QMPClient

    public init(_ options: Options = Options(), timeout: Duration = .seconds(10)) throws(HostError) {
        let program = try Program.locate("qemu-storage-daemon", explicit: options.executable)
        folder = try TemporaryFolder(prefix: "cfgspace-qsd")
        socketPath = folder.file("qsd.sock")
        imagePath = folder.file("disk.raw")
        guard FileManager.default.createFile(atPath: imagePath, contents: Data(options.firstBytes)),
              truncate(imagePath, off_t(clamping: options.size)) == 0 else {
            folder.remove()
            throw HostError.system("making the disk image \(imagePath)", errno: errno)
        }
        let (ours, theirs) = try Descriptor.socketPair()
        let export = "type=vhost-user-blk,id=e0,node-name=n0,addr.type=unix,addr.path=\(socketPath),"
            + "writable=\(options.writable ? "on" : "off"),num-queues=\(options.queues)"
        do {
            process = try ChildProcess(executable: program, arguments: [
                "--blockdev", "driver=file,node-name=n0,filename=\(imagePath)", "--export", export,
                "--chardev", "socket,id=m0,fd=3", "--monitor", "chardev=m0,mode=control"], passing: [theirs.raw])
        } catch {
            folder.remove()
            throw error
        }
        theirs.close()
        let deadline = Deadline(in: timeout)
        do throws(HostError) {
            qmp = try QMPClient(socket: ours, timeout: timeout)
            // The monitor answers once the export listens.
            while !FileManager.default.fileExists(atPath: socketPath) {
                if deadline.hasPassed || process.termination != nil {
                    throw HostError(.timeout, "qemu-storage-daemon did not listen at \(socketPath): \(process.finalErrorText())")
                }
                usleep(5_000)
            }
        } catch {
            _ = process.terminate()
            folder.remove()
            throw error
        }
    }

    /// Resizes the exported node, as an operator would (QMP block_resize).
    public func resize(to size: UInt64) throws(HostError) {
        _ = try qmp.execute("block_resize", ["node-name": "n0", "size": size])
    }

    /// Stops the daemon and removes its files; safe to call again.
    public func stop() {
        _ = process.terminate()
        folder.remove()
    }

    deinit { stop() }
}
