import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where `generate` writes: a file whose bytes are already there is left alone, keeping its
/// modification time, so a build that depends on Generated/ rebuilds nothing when nothing changed;
/// any other file is written beside its place and renamed over it, so a reader never sees half a file.
/// Nothing is synced to disk: these are build outputs, written again on demand, and a sync per file
/// cost more than generating them.
struct OutputFolder {
    /// The folder's path as given, without trailing slashes (paths are joined as strings: URL's
    /// joining cost more than comparing the file).
    let root: String
    private var made: Set<String> = []

    init(_ path: String) {
        var root = path.isEmpty ? "." : path
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    /// Whether the file was written (false: it already held these bytes).
    mutating func write(_ contents: String, to relativePath: String) throws -> Bool {
        let path = (root == "/" ? "" : root) + "/" + relativePath
        let bytes = Array(contents.utf8)
        if Self.holds(path, bytes) { return false }
        let slash = path.lastIndex(of: "/") ?? path.startIndex
        let folder = String(path[..<slash])
        let name = String(path[path.index(after: slash)...])
        if !made.contains(folder) {
            try FileManager.default.createDirectory(atPath: folder.isEmpty ? "/" : folder, withIntermediateDirectories: true)
            made.insert(folder)
        }
        let temporary = folder + "/.\(name).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputError(path: path, errno: errno) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                buffer.baseAddress.map { Glibc.write(descriptor, $0 + written, buffer.count - written) } ?? 0
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                let error = errno
                close(descriptor)
                unlink(temporary)
                throw OutputError(path: path, errno: error)
            }
            written += result
        }
        guard close(descriptor) == 0, rename(temporary, path) == 0 else {
            let error = errno
            unlink(temporary)
            throw OutputError(path: path, errno: error)
        }
        return true
    }
}

extension OutputFolder {
    /// Whether the file at `path` holds exactly `bytes`: its size first, then its contents, read
    /// with plain system calls (FileManager's reading cost more than generating the file).
    static func holds(_ path: String, _ bytes: [UInt8]) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, Int(status.st_size) == bytes.count else {
            return false
        }
        var existing = [UInt8](repeating: 0, count: bytes.count)
        var filled = 0
        while filled < bytes.count {
            let result = existing.withUnsafeMutableBytes { buffer in
                buffer.baseAddress.map { read(descriptor, $0 + filled, buffer.count - filled) } ?? 0
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { return false }
            filled += result
        }
        return existing == bytes
    }
}

struct OutputError: Error, CustomStringConvertible {
    let path: String
    let errno: Int32
    var description: String { "cannot write '\(path)': \(String(cString: strerror(errno)))" }
}
