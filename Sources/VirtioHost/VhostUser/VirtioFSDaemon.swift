import Foundation

/// QEMU 7.2's C virtiofsd (Debian's qemu-system-common, /usr/lib/qemu/virtiofsd) sharing a folder
/// over vhost-user, the back-end of vhost-user-fs-pci. It serves one front-end and then exits; it runs
/// in its own process group and is killed and reaped on every exit path. It supports one request
/// queue (`vu_init(..., 2, ...)` in tools/virtiofsd/fuse_virtio.c): a front-end asking for more
/// makes it panic ("Invalid queue index") once the queues start.
public final class VirtioFSDaemon {
    /// Where Debian puts it; not on PATH.
    public static let defaultPath = "/usr/lib/qemu/virtiofsd"

    public let socketPath: String
    public let process: ChildProcess

    /// Starts the daemon sharing `folder` (which must exist) on a socket at `socketPath`, and waits
    /// until it listens. As root it chroots into the folder; otherwise it uses its namespace sandbox,
    /// which needs user namespaces.
    public init(sharing folder: String, socketPath: String, executable: String? = nil,
                timeout: Duration = .seconds(10)) throws(HostError) {
        let program: String
        if let executable {
            program = try Program.locate("virtiofsd", explicit: executable)
        } else if FileManager.default.isExecutableFile(atPath: Self.defaultPath) {
            program = Self.defaultPath
        } else {
            program = try Program.locate("virtiofsd")
        }
        self.socketPath = socketPath
        let sandbox = getuid() == 0 ? "chroot" : "namespace"
        process = try ChildProcess(executable: program, arguments: [
            "--socket-path=\(socketPath)", "-o", "source=\(folder)", "-o", "sandbox=\(sandbox)", "-o", "cache=auto"])
        let deadline = Deadline(in: timeout)
        while !FileManager.default.fileExists(atPath: socketPath) {
            if deadline.hasPassed || process.termination != nil {
                let said = process.finalErrorText().trimmingCharacters(in: .whitespacesAndNewlines)
                _ = process.terminate()
                throw HostError(.refused, "virtiofsd did not listen at \(socketPath): \(said)")
            }
            usleep(5_000)
        }
    }

    /// Stops the daemon (if it is still running) and removes its socket and the pid file it keeps
    /// beside other instances' (`fv_socket_lock`: /var/run/virtiofsd/ and the socket's path with
    /// '/' as '.'); safe to call again.
    public func stop() {
        _ = process.terminate()
        try? FileManager.default.removeItem(atPath: socketPath)
        try? FileManager.default.removeItem(atPath: "/var/run/virtiofsd/" + socketPath.replacingOccurrences(of: "/", with: ".")
                                            + ".pid")
    }

    deinit { stop() }
}
