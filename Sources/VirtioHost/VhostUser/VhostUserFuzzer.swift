import CVirtioHost
import ConfigLayout
import Foundation

/// Malformed vhost-user traffic from a fixed seed, for a server that must stay up through it: unknown
/// requests, wrong payload sizes, descriptors where none belong and missing where they do, payloads
/// that announce more than they carry, headers cut short, and sizes past any the protocol has.
public struct VhostUserFuzzer {
    public let path: String
    /// Deterministic, so a run repeats exactly.
    private var generator: SplitMix64
    /// Connections the server closed on the fuzzer, and messages sent.
    public private(set) var closedByServer = 0
    public private(set) var sent = 0

    public init(path: String, seed: UInt64) {
        self.path = path
        generator = SplitMix64(seed: seed)
    }

    /// Sends `count` messages, reconnecting whenever the server closes the connection.
    public mutating func run(_ count: Int) throws(HostError) {
        var socket = try connect()
        defer { socket.close() }
        while sent < count {
            let (bytes, descriptors, cut) = message()
            sent += 1
            defer { closeAll(descriptors) }
            let ok: Bool
            do throws(HostError) {
                // A server that stops reading is a hang, and an error; one that closes is fair.
                try socket.send(bytes, descriptors: descriptors, until: Deadline(in: .seconds(5)), what: "the server")
                ok = true
            } catch where error.kind == .timeout {
                throw error
            } catch {
                ok = false
            }
            // A whole message is judged before the next goes: the server answers a GET_FEATURES
            // behind it, or closes. Without that pause a fast sender fills the socket long before
            // a server's thread reads it, and counts closes it never sees.
            var closed = !ok
            if ok && !cut {
                closed = try !synchronise(socket)
            } else if ok {
                drain(socket)
                closed = !isOpen(socket)
            }
            if closed { closedByServer += 1 }
            if closed || cut {
                socket.close()
                socket = try connect()
            }
        }
    }

    /// Sends a GET_FEATURES and reads whatever comes until its answer; false when the server closes
    /// the connection first. A server that neither answers nor closes is hung: an error.
    private func synchronise(_ socket: Descriptor) throws(HostError) -> Bool {
        let channel = VhostUserChannel(socket, what: "the server")
        let request = VhostUserProtocol.Request.getFeatures.rawValue
        let deadline = Deadline(in: .seconds(5))
        do {
            try channel.send(VhostUserMessage(request: request), until: deadline)
            while let reply = try channel.receive(until: deadline) {
                closeAll(reply.descriptors)
                if reply.isReply && reply.request == request { return true }
            }
            return false
        } catch where error.kind == .timeout {
            throw HostError(.timeout, "the server neither answered nor closed after message #\(sent)")
        } catch {
            return false
        }
    }

    private func connect() throws(HostError) -> Descriptor {
        for _ in 0..<200 {
            let fd = cvh_unix_connect(path)
            if fd >= 0 { return Descriptor(fd) }
            usleep(5_000)
        }
        throw HostError.system("connecting to '\(path)'", errno: errno)
    }

    /// Reads and drops whatever the server answered so far, without waiting.
    private func drain(_ socket: Descriptor) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var entry = pollfd(fd: socket.raw, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 0) > 0 else { return }
            var fds = [Int32](repeating: -1, count: 8)
            var count: Int32 = 0, flags: Int32 = 0
            let got = buffer.withUnsafeMutableBytes { raw in
                fds.withUnsafeMutableBufferPointer { cvh_receive_with_fds(socket.raw, raw.baseAddress, raw.count, $0.baseAddress, 8, &count, &flags) }
            }
            closeAll(Array(fds.prefix(Int(count))))
            if got <= 0 { return }
        }
    }

    private func isOpen(_ socket: Descriptor) -> Bool {
        var entry = pollfd(fd: socket.raw, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 0) > 0 else { return true }
        var byte: UInt8 = 0
        return recv(socket.raw, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) != 0
    }

    /// One malformed (or, now and then, well-formed) message: its bytes, descriptors to send with
    /// it, and whether it is cut short (the connection is then dropped by the fuzzer).
    private mutating func message() -> (bytes: [UInt8], descriptors: [Int32], cut: Bool) {
        let request = UInt32.random(in: 0...45, using: &generator)
        var flags = UInt32.random(in: 0...15, using: &generator)
        if Bool.random(using: &generator) { flags = VhostUserMessage.version | (flags & VhostUserMessage.needReplyFlag) }
        let sizes = [0, 8, 12, 16, 24, 40, 264, Int.random(in: 0...300, using: &generator)]
        var payload = (0..<(sizes.randomElement(using: &generator) ?? 0)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        if request == VhostUserProtocol.Request.getConfig.rawValue || request == VhostUserProtocol.Request.setConfig.rawValue,
           payload.count >= 12, Bool.random(using: &generator) {
            // A config header whose size may or may not match what follows.
            let size = UInt32.random(in: 0...300, using: &generator)
            payload.replaceSubrange(4..<8, with: size.bytes)
        }
        var announced = UInt32(payload.count)
        var cut = false
        switch Int.random(in: 0..<20, using: &generator) {
        case 0: announced = UInt32.random(in: 4097...UInt32.max, using: &generator)  // past any payload
        case 1:
            announced = UInt32(payload.count) + UInt32.random(in: 1...64, using: &generator)  // announces more than it carries
            cut = true
        case 2:
            cut = true  // a header cut short
            return (Array(VhostUserMessage(request: request, flags: flags, payload: payload).encoded.prefix(Int.random(in: 1...11, using: &generator))), [], cut)
        default: break
        }
        var bytes = request.bytes + flags.bytes + announced.bytes + payload
        if cut { bytes = Array(bytes.prefix(12 + payload.count)) }
        var descriptors: [Int32] = []
        if Int.random(in: 0..<4, using: &generator) == 0 {
            var ends: [Int32] = [-1, -1]
            if cvh_pipe_cloexec(&ends) == 0 {
                descriptors = Array(ends.prefix(Int.random(in: 1...2, using: &generator)))
                if descriptors.count == 1 { close(ends[1]) }
            }
        }
        return (bytes, descriptors, cut)
    }
}
