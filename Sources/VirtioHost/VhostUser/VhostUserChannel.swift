import CVirtioHost
import Foundation

/// One end of a vhost-user socket: whole messages in and out, descriptors included, each wait
/// bounded. A message that breaks the framing (a payload larger than any the protocol has, a
/// stream cut inside a message) is an error and the connection is done.
public final class VhostUserChannel {
    public let socket: Descriptor
    let what: String

    public init(_ socket: Descriptor, what: String) {
        self.socket = socket
        self.what = what
    }

    /// The next message, or nil when the peer closed the connection between messages.
    public func receive(until deadline: Deadline) throws(HostError) -> VhostUserMessage? {
        var header = [UInt8](repeating: 0, count: VhostUserMessage.headerSize)
        var descriptors: [Int32] = []
        var got = 0
        while got < header.count {
            guard try socket.wait(for: Int16(POLLIN), until: deadline) else {
                closeAll(descriptors)
                throw HostError(.timeout, "\(what) sent no message in time")
            }
            var fds = [Int32](repeating: -1, count: VhostUserMessage.maximumDescriptors)
            var fdCount: Int32 = 0
            var flags: Int32 = 0
            let received = header.withUnsafeMutableBytes { buffer in
                fds.withUnsafeMutableBufferPointer { fdBuffer in
                    cvh_receive_with_fds(socket.raw, buffer.baseAddress! + got, buffer.count - got, fdBuffer.baseAddress,
                                         Int32(fdBuffer.count), &fdCount, &flags)
                }
            }
            descriptors += fds.prefix(Int(fdCount))
            if received < 0 {
                if errno == EAGAIN { continue }
                closeAll(descriptors)
                throw HostError.system("receiving from \(what)", errno: errno)
            }
            if received == 0 {
                closeAll(descriptors)
                if got == 0 { return nil }
                throw HostError(.protocolViolation, "\(what) closed the connection inside a message header")
            }
            got += received
        }
        var reader = PayloadReader(header)
        let request = reader.u32() ?? 0, flags = reader.u32() ?? 0, size = Int(reader.u32() ?? 0)
        guard size <= VhostUserMessage.maximumPayload else {
            closeAll(descriptors)
            throw HostError(.protocolViolation, "\(what) announced a \(size)-byte payload; none is larger than "
                            + "\(VhostUserMessage.maximumPayload)")
        }
        var payload: [UInt8] = []
        while payload.count < size {
            let chunk: [UInt8]
            do {
                chunk = try socket.read(upTo: size - payload.count, until: deadline, what: what)
            } catch {
                closeAll(descriptors)
                throw error
            }
            guard !chunk.isEmpty else {
                closeAll(descriptors)
                throw HostError(.protocolViolation, "\(what) closed the connection inside a payload")
            }
            payload += chunk
        }
        return VhostUserMessage(request: request, flags: flags, payload: payload, descriptors: descriptors)
    }

    /// Sends a message with its descriptors (which stay open here; the caller owns them).
    public func send(_ message: VhostUserMessage, until deadline: Deadline) throws(HostError) {
        let bytes = message.encoded
        var sent = 0
        var first = true
        while sent < bytes.count {
            guard try socket.wait(for: Int16(POLLOUT), until: deadline) else {
                throw HostError(.timeout, "\(what) took no message in time")
            }
            let fds = first ? message.descriptors : []
            let count = bytes.withUnsafeBytes { buffer in
                fds.withUnsafeBufferPointer { fdBuffer in
                    cvh_send_with_fds(socket.raw, buffer.baseAddress! + sent, buffer.count - sent, fdBuffer.baseAddress,
                                      Int32(fdBuffer.count))
                }
            }
            if count < 0 {
                if errno == EAGAIN { continue }
                if errno == EPIPE || errno == ECONNRESET { throw HostError(.protocolViolation, "\(what) closed the connection") }
                throw HostError.system("sending to \(what)", errno: errno)
            }
            sent += count
            first = false
        }
    }

    /// Sends a request and waits for its reply, which must answer the same request.
    public func call(_ message: VhostUserMessage, until deadline: Deadline) throws(HostError) -> VhostUserMessage {
        try send(message, until: deadline)
        guard let reply = try receive(until: deadline) else {
            throw HostError(.protocolViolation, "\(what) closed the connection instead of answering \(message.requestName)")
        }
        guard reply.isReply, reply.request == message.request else {
            closeAll(reply.descriptors)
            throw HostError(.protocolViolation, "\(what) answered \(message.requestName) with \(reply.requestName)"
                            + (reply.isReply ? "" : " (not marked as a reply)"))
        }
        return reply
    }
}

/// Closes descriptors nobody will use.
func closeAll(_ descriptors: [Int32]) {
    for fd in descriptors where fd >= 0 { close(fd) }
}
