import CVirtioHost
import Foundation

/// A folder of this process's own under the temporary directory (TMPDIR), removed with everything in
/// it on `remove()`, on deinit, at exit, and when SIGINT, SIGTERM, SIGHUP or SIGQUIT ends the process
/// (the watcher in CVirtioHost removes every folder still registered before the signal takes its
/// course). Nothing a command makes there outlives it, short of SIGKILL.
public final class TemporaryFolder: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var removed = false

    /// A new folder named `<prefix>-XXXXXX` (mkdtemp), readable by its owner alone.
    public init(prefix: String) throws(HostError) {
        cvh_install_cleanup_handlers()
        let base = FileManager.default.temporaryDirectory.path
        var template = Array((base + "/" + prefix + "-XXXXXX").utf8CString)
        guard cvh_make_folder(&template) == 0 else {
            if errno == EINTR { throw HostError(.refused, "the process is ending: no new folder for \(prefix)") }
            throw HostError.system("making a folder under \(base)", errno: errno)
        }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Installs the cleanup handlers now (a pipe pair and a watcher thread, made once), so that a
    /// count of open descriptors taken afterwards does not see them appear.
    public static func prepare() { cvh_install_cleanup_handlers() }

    public var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Removes the folder and everything in it; safe to call again.
    public func remove() {
        lock.lock()
        let already = removed
        removed = true
        lock.unlock()
        if !already { cvh_remove_folder(path) }
    }

    deinit { remove() }
}
