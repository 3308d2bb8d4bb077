import CVirtioHost
import Foundation

/// What a Unix socket path must be before anything listens or connects there (sys/un.h: sun_path
/// holds 108 bytes with the terminating NUL), and whether two paths name one socket.
public enum UnixSocketPath {
    /// The longest path `struct sockaddr_un` holds.
    public static let maximumLength = 107

    /// Why `path` cannot be a socket address; nil when it can.
    public static func problem(_ path: String) -> String? {
        let length = path.utf8.count
        if length == 0 { return "the path is empty" }
        if length > maximumLength {
            return "'\(path)' is \(length) bytes, longer than a Unix socket path holds (at most \(maximumLength) bytes)"
        }
        return nil
    }

    /// Whether `a` and `b` name the same place: the same file when both exist, else the same path once
    /// each folder is resolved (`./`, `..` and symbolic links).
    public static func same(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        if stat(a, &first) == 0, stat(b, &second) == 0 { return first.st_dev == second.st_dev && first.st_ino == second.st_ino }
        return resolved(a) == resolved(b)
    }

    private static func resolved(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().resolvingSymlinksInPath().standardizedFileURL.path
        return folder + "/" + url.lastPathComponent
    }

    /// Whether something listens at `path` now; a path that cannot be reached is an error.
    public static func isListening(_ path: String) throws(HostError) -> Bool {
        switch cvh_unix_listening(path) {
        case 1: return true
        case 0: return false
        default: throw HostError.system("reaching the socket '\(path)'", errno: errno)
        }
    }
}
