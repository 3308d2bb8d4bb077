import CVirtioHost
import Foundation

/// A file descriptor this process owns: closed exactly once, when `close()` is called or the owner
/// goes away. Reads and writes take a deadline and never block past it.
public final class Descriptor: @unchecked Sendable {
    private let lock = NSLock()
    private var fd: Int32

    public init(_ fd: Int32) {
        self.fd = fd
    }

    deinit { close() }

    /// The raw descriptor, or -1 once closed.
    public var raw: Int32 {
        lock.lock()
        defer { lock.unlock() }
        return fd
    }

    public var isOpen: Bool { raw >= 0 }

    public func close() {
        lock.lock()
        let old = fd
        fd = -1
        lock.unlock()
        if old >= 0 { _ = Glibc.close(old) }
    }

    /// Hands the descriptor over to the caller, who must close it.
    public func release() -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        let old = fd
        fd = -1
        return old
    }

    /// Waits until the descriptor is readable (or writable); false when the deadline passed first.
    func wait(for events: Int16, until deadline: Deadline) throws(HostError) -> Bool {
        while true {
            var entry = pollfd(fd: raw, events: events, revents: 0)
            guard entry.fd >= 0 else { throw HostError(.system, "the descriptor is closed") }
            let ready = poll(&entry, 1, deadline.remainingMilliseconds)
            if ready > 0 { return true }
            if ready == 0 { return false }
            if errno != EINTR { throw HostError.system("poll", errno: errno) }
        }
    }

    /// Reads what is available, up to `count` bytes, waiting for at least one; an empty result means
    /// end of stream. Throws a timeout when nothing arrives before the deadline.
    public func read(upTo count: Int, until deadline: Deadline, what: String) throws(HostError) -> [UInt8] {
        guard try wait(for: Int16(POLLIN), until: deadline) else {
            throw HostError(.timeout, "no answer from \(what) in time")
        }
        var buffer = [UInt8](repeating: 0, count: max(1, count))
        while true {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(raw, $0.baseAddress, $0.count) }
            if got >= 0 { return Array(buffer.prefix(got)) }
            if errno == EINTR { continue }
            if errno == EAGAIN { return try read(upTo: count, until: deadline, what: what) }
            throw HostError.system("reading from \(what)", errno: errno)
        }
    }

    /// Writes every byte before the deadline.
    public func write(_ bytes: [UInt8], until deadline: Deadline, what: String) throws(HostError) {
        var sent = 0
        while sent < bytes.count {
            guard try wait(for: Int16(POLLOUT), until: deadline) else {
                throw HostError(.timeout, "\(what) took no input in time")
            }
            let wrote = bytes.withUnsafeBytes { Glibc.write(raw, $0.baseAddress! + sent, $0.count - sent) }
            if wrote < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                if errno == EPIPE { throw HostError(.protocolViolation, "\(what) closed its input") }
                throw HostError.system("writing to \(what)", errno: errno)
            }
            sent += wrote
        }
    }

    /// A pipe as (read end, write end), both close-on-exec.
    static func pipe() throws(HostError) -> (read: Descriptor, write: Descriptor) {
        var ends: [Int32] = [-1, -1]
        guard cvh_pipe_cloexec(&ends) == 0 else { throw HostError.system("pipe", errno: errno) }
        return (Descriptor(ends[0]), Descriptor(ends[1]))
    }

    /// A connected pair of Unix stream sockets, both close-on-exec.
    public static func socketPair() throws(HostError) -> (Descriptor, Descriptor) {
        var ends: [Int32] = [-1, -1]
        guard cvh_socketpair_cloexec(&ends) == 0 else { throw HostError.system("socketpair", errno: errno) }
        return (Descriptor(ends[0]), Descriptor(ends[1]))
    }
}
