import Foundation

/// Drains a descriptor on a thread of its own until end of stream, keeping the last `limit` bytes,
/// so a chatty child can never stall on a full pipe. What it collected is there at any moment.
final class StreamCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private var finished = false
    private let limit: Int
    private let descriptor: Descriptor

    init(_ descriptor: Descriptor, limit: Int = 1 << 20) {
        self.descriptor = descriptor
        self.limit = limit
        let thread = Thread { [self] in drain() }
        thread.name = "cfgspace stream collector"
        thread.start()
    }

    private func drain() {
        let fd = descriptor.raw
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { break }
            lock.lock()
            bytes += chunk.prefix(got)
            if bytes.count > limit { bytes.removeFirst(bytes.count - limit) }
            lock.unlock()
        }
        lock.lock()
        finished = true
        lock.unlock()
        descriptor.close()
    }

    /// Everything collected so far.
    var collected: [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return bytes
    }

    /// Everything collected so far, as text.
    var text: String { String(decoding: collected, as: UTF8.self) }

    /// Waits (bounded) for end of stream and returns everything collected.
    func waitForEnd(until deadline: Deadline) -> [UInt8] {
        while true {
            lock.lock()
            let done = finished
            lock.unlock()
            if done || deadline.hasPassed { return collected }
            usleep(1000)
        }
    }
}
