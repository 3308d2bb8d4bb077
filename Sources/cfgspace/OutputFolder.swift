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
    let root: URL
    private var made: Set<String> = []

    init(_ path: String) {
        root = URL(fileURLWithPath: path)
    }

    /// Whether the file was written (false: it already held these bytes).
    mutating func write(_ contents: String, to relativePath: String) throws -> Bool {
        let url = root.appendingPathComponent(relativePath)
        let bytes = Array(contents.utf8)
        if Self.holds(url.path, bytes) { return false }
        let folder = url.deletingLastPathComponent().path
        if !made.contains(folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            made.insert(folder)
        }
        let temporary = folder + "/.\(url.lastPathComponent).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputError(path: url.path, errno: errno) }
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
                throw OutputError(path: url.path, errno: error)
            }
            written += result
        }
        guard close(descriptor) == 0, rename(temporary, url.path) == 0 else {
            let error = errno
            unlink(temporary)
            throw OutputError(path: url.path, errno: error)
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
