/// Lines from a descriptor, each waited for with a deadline. A line longer than `limit` is an error,
/// not a reason to grow without bound.
final class LineReader {
    private let descriptor: Descriptor
    private let what: String
    private let limit: Int
    private var buffer: [UInt8] = []

    init(_ descriptor: Descriptor, what: String, limit: Int = 1 << 20) {
        self.descriptor = descriptor
        self.what = what
        self.limit = limit
    }

    /// The next line without its line end; nil at end of stream.
    func next(until deadline: Deadline) throws(HostError) -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard buffer.count <= limit else {
                throw HostError(.protocolViolation, "\(what) sent a line longer than \(limit) bytes")
            }
            let chunk = try descriptor.read(upTo: 4096, until: deadline, what: what)
            if chunk.isEmpty {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            buffer += chunk
        }
    }
}
