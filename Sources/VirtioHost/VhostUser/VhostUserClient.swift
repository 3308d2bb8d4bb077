import CVirtioHost
import Foundation

/// The front-end's side of a vhost-user connection: what `cfgspace probe vhost-user` and the
/// interposer ask a real back-end (qemu-storage-daemon, or any other).
public final class VhostUserClient {
    let channel: VhostUserChannel
    let timeout: Duration
    /// The protocol features both sides agreed on.
    public private(set) var protocolFeatures: UInt64 = 0

    public init(connectingTo path: String, timeout: Duration = .seconds(10)) throws(HostError) {
        let fd = cvh_unix_connect(path)
        guard fd >= 0 else { throw HostError.system("connecting to the vhost-user socket '\(path)'", errno: errno) }
        channel = VhostUserChannel(Descriptor(fd), what: "the back-end at '\(path)'")
        self.timeout = timeout
    }

    init(channel: VhostUserChannel, timeout: Duration) {
        self.channel = channel
        self.timeout = timeout
    }

    private func call(_ request: VhostUserProtocol.Request, _ payload: [UInt8] = []) throws(HostError) -> VhostUserMessage {
        try channel.call(VhostUserMessage(request: request.rawValue, payload: payload), until: Deadline(in: timeout))
    }

    private func send(_ request: VhostUserProtocol.Request, _ payload: [UInt8] = [], needsReply: Bool = false) throws(HostError) {
        let ack = needsReply && protocolFeatures & VhostUserProtocol.Feature.replyAck.mask != 0
        let flags = VhostUserMessage.version | (ack ? VhostUserMessage.needReplyFlag : 0)
        let message = VhostUserMessage(request: request.rawValue, flags: flags, payload: payload)
        if ack {
            let reply = try channel.call(message, until: Deadline(in: timeout))
            guard VhostUserPayload.u64(reply.payload) == 0 else {
                throw HostError(.refused, "the back-end refused \(request.name)")
            }
        } else {
            try channel.send(message, until: Deadline(in: timeout))
        }
    }

    private func u64(_ reply: VhostUserMessage, for request: VhostUserProtocol.Request) throws(HostError) -> UInt64 {
        closeAll(reply.descriptors)
        guard reply.payload.count == 8, let value = VhostUserPayload.u64(reply.payload) else {
            throw HostError(.protocolViolation, "the back-end answered \(request.name) with \(reply.payload.count) bytes, not 8")
        }
        return value
    }

    public func features() throws(HostError) -> UInt64 { try u64(try call(.getFeatures), for: .getFeatures) }

    public func getProtocolFeatures() throws(HostError) -> UInt64 {
        try u64(try call(.getProtocolFeatures), for: .getProtocolFeatures)
    }

    /// Agrees on `wanted`, as far as the back-end offers it; returns what was agreed.
    @discardableResult
    public func negotiateProtocolFeatures(_ wanted: UInt64) throws(HostError) -> UInt64 {
        let agreed = try getProtocolFeatures() & wanted
        try send(.setProtocolFeatures, agreed.bytes)
        protocolFeatures = agreed
        return agreed
    }

    public func setOwner() throws(HostError) { try send(.setOwner) }

    public func queueCount() throws(HostError) -> UInt64 { try u64(try call(.getQueueNum), for: .getQueueNum) }

    /// GET_CONFIG for `size` bytes at `offset`; nil when the back-end answers with its error, an
    /// empty payload.
    public func config(offset: Int = 0, size: Int) throws(HostError) -> [UInt8]? {
        let request = VhostUserPayload.Config(offset: offset, size: size, bytes: [UInt8](repeating: 0, count: size))
        let reply = try call(.getConfig, request.encoded)
        closeAll(reply.descriptors)
        if reply.payload.isEmpty { return nil }
        guard let config = VhostUserPayload.Config(reply.payload), config.size == size, config.bytes.count == size else {
            throw HostError(.protocolViolation, "the back-end answered GET_CONFIG for \(size) bytes with \(reply.payload.count) "
                            + "payload bytes")
        }
        return config.bytes
    }

    /// The back-end's config size: the largest GET_CONFIG from offset 0 it answers, searched down from
    /// `limit` (libvhost-user back-ends refuse a size past their struct with an empty payload).
    func largestConfig(upTo limit: Int) throws(HostError) -> (Int, [UInt8]) {
        if let whole = try config(size: limit) { return (limit, whole) }
        var low = 0, high = limit  // low is answered (0 trivially), high is not
        var best: [UInt8] = []
        while high - low > 1 {
            let middle = (low + high) / 2
            if let bytes = try config(size: middle) {
                low = middle
                best = bytes
            } else {
                high = middle
            }
        }
        return (low, best)
    }

    /// SET_CONFIG of `bytes` at `offset` as a driver's write (flags 0).
    public func setConfig(offset: Int, bytes: [UInt8]) throws(HostError) {
        try send(.setConfig, VhostUserPayload.Config(offset: offset, size: bytes.count, bytes: bytes).encoded, needsReply: true)
    }

    public func close() { channel.socket.close() }
}
