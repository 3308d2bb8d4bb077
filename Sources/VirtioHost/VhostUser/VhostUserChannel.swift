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
        var descriptors: [Int32] = []
        do throws(HostError) {
            let header = try read(VhostUserMessage.headerSize, into: &descriptors, until: deadline, part: "header")
            guard let header else { return nil }
            var reader = PayloadReader(header)
            let request = reader.u32() ?? 0, flags = reader.u32() ?? 0, size = Int(reader.u32() ?? 0)
            guard size <= VhostUserMessage.maximumPayload else {
                throw HostError(.protocolViolation, "\(what) announced a \(size)-byte payload; none is larger than "
                                + "\(VhostUserMessage.maximumPayload)")
            }
            let payload = size == 0 ? [] : try read(size, into: &descriptors, until: deadline, part: "payload") ?? []
            return VhostUserMessage(request: request, flags: flags, payload: payload, descriptors: descriptors)
        } catch {
            closeAll(descriptors)
            throw error
        }
    }

    /// Exactly `count` bytes, gathering any descriptors that come with them; nil when the peer closed
    /// the connection before the first byte of a header.
    private func read(_ count: Int, into descriptors: inout [Int32], until deadline: Deadline,
                      part: String) throws(HostError) -> [UInt8]? {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let received = try socket.receive(upTo: count - bytes.count, maximumDescriptors: VhostUserMessage.maximumDescriptors,
                                              until: deadline, what: what)
            descriptors += received.descriptors
            guard !received.droppedDescriptors, descriptors.count <= VhostUserMessage.maximumDescriptors else {
                throw HostError(.protocolViolation, "\(what) sent more than \(VhostUserMessage.maximumDescriptors) descriptors")
            }
            if received.bytes.isEmpty {
                if bytes.isEmpty && part == "header" { return nil }
                throw HostError(.protocolViolation, "\(what) closed the connection inside a message \(part)")
            }
            bytes += received.bytes
        }
        return bytes
    }

    /// Sends a message with its descriptors (which stay open here; the caller owns them).
    public func send(_ message: VhostUserMessage, until deadline: Deadline) throws(HostError) {
        try socket.send(message.encoded, descriptors: message.descriptors, until: deadline, what: what)
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
