import CVirtioHost
import Foundation
import TestSupport
@testable import VirtioHost

/// A vhost-user front-end the tests drive message by message: what QEMU sends, in whatever order a
/// test needs, with every wait bounded.
final class TestFrontEnd {
    typealias Request = VhostUserProtocol.Request
    let channel: VhostUserChannel
    /// Our end of the back-end channel, once given with SET_BACKEND_REQ_FD.
    private(set) var backend: VhostUserChannel?
    let timeout: Duration

    init(_ path: String, timeout: Duration = .seconds(5)) throws {
        let fd = cvh_unix_connect(path)
        guard fd >= 0 else { throw TestFailure("cannot connect to \(path): \(String(cString: strerror(errno)))") }
        channel = VhostUserChannel(Descriptor(fd), what: "the back-end")
        self.timeout = timeout
    }

    /// A request that expects an answer.
    func call(_ request: Request, _ payload: [UInt8] = [], flags: UInt32 = VhostUserMessage.version) throws -> VhostUserMessage {
        try channel.call(VhostUserMessage(request: request.rawValue, flags: flags, payload: payload), until: Deadline(in: timeout))
    }

    /// A request sent without waiting for anything.
    func send(_ request: Request, _ payload: [UInt8] = [], flags: UInt32 = VhostUserMessage.version,
              descriptors: [Int32] = []) throws {
        try channel.send(VhostUserMessage(request: request.rawValue, flags: flags, payload: payload, descriptors: descriptors),
                         until: Deadline(in: timeout))
    }

    func u64(_ request: Request) throws -> UInt64 {
        let reply = try call(request)
        guard let value = VhostUserPayload.u64(reply.payload) else { throw TestFailure("\(request.name) answered no u64") }
        return value
    }

    /// What QEMU does first: features, protocol features (as many of `wanted` as offered), owner.
    func negotiate(_ wanted: [VhostUserProtocol.Feature]) throws {
        _ = try u64(.getFeatures)
        let offered = try u64(.getProtocolFeatures)
        try send(.setProtocolFeatures, (offered & wanted.reduce(0) { $0 | $1.mask }).bytes)
        try send(.setOwner)
    }

    /// Gives the back-end a channel of its own (SET_BACKEND_REQ_FD) and keeps our end, once the
    /// back-end holds it: a connection's messages are handled in order, so a query answered behind
    /// it says that a change made from now on is told on the channel.
    func giveBackendChannel() throws {
        let (ours, theirs) = try Descriptor.socketPair()
        try send(.setBackendReqFD, descriptors: [theirs.raw])
        theirs.close()
        backend = VhostUserChannel(ours, what: "the back-end channel")
        _ = try u64(.getFeatures)
    }

    /// GET_CONFIG of `size` bytes at `offset`: the bytes, or nil for the back-end's error (an empty payload).
    func config(offset: Int = 0, size: Int) throws -> [UInt8]? {
        let request = VhostUserPayload.Config(offset: offset, size: size, bytes: [UInt8](repeating: 0, count: size))
        let reply = try call(.getConfig, request.encoded)
        return reply.payload.isEmpty ? nil : VhostUserPayload.Config(reply.payload)?.bytes
    }

    /// SET_CONFIG with need-reply (REPLY_ACK must be agreed): the back-end's answer, 0 for success.
    func setConfig(offset: Int, bytes: [UInt8], migration: Bool = false) throws -> UInt64 {
        let payload = VhostUserPayload.Config(offset: offset, size: bytes.count, flags: migration ? 1 : 0, bytes: bytes).encoded
        let reply = try call(.setConfig, payload, flags: VhostUserMessage.version | VhostUserMessage.needReplyFlag)
        return VhostUserPayload.u64(reply.payload) ?? UInt64.max
    }

    /// The next request on the back-end channel (a config change), acknowledged when it asks.
    func backendRequest() throws -> VhostUserMessage? {
        guard let backend, let message = try backend.receive(until: Deadline(in: timeout)) else { return nil }
        if message.needsReply { try backend.send(message.reply(UInt64(0).bytes), until: Deadline(in: timeout)) }
        return message
    }

    /// Whether the back-end closed the connection (waiting up to the timeout for it to).
    func isClosedByPeer() -> Bool {
        do {
            return try channel.receive(until: Deadline(in: timeout)) == nil
        } catch {
            return error.kind != .timeout
        }
    }

    func close() {
        channel.socket.close()
        backend?.socket.close()
    }

    deinit { close() }
}

/// QEMU 7.2's config buffer for vhost-user-input, as a driver's accesses reach the back-end: every
/// read fetches the whole config into the buffer first (virtio_config_modern_readb, hw/virtio/virtio.c;
/// vhost_input_get_config, hw/input/vhost-user-input.c), and a byte written goes into the buffer,
/// which is then sent whole, 136 bytes at offset 0, with no fetch before it
/// (virtio_config_modern_writeb; vhost_input_set_config).
final class QEMUInputConfig {
    static let length = 136
    let frontEnd: TestFrontEnd
    private(set) var buffer = [UInt8](repeating: 0, count: length)
    /// The back-end's answers to each SET_CONFIG (0 for success).
    private(set) var acknowledgements: [UInt64] = []

    init(_ frontEnd: TestFrontEnd) { self.frontEnd = frontEnd }

    func read(_ offset: Int, count: Int = 1) throws -> [UInt8] {
        guard let bytes = try frontEnd.config(size: Self.length) else { throw TestFailure("GET_CONFIG of 136 bytes refused") }
        buffer = bytes
        return Array(buffer[offset..<offset + count])
    }

    func write(_ offset: Int, _ value: UInt8) throws {
        buffer[offset] = value
        acknowledgements.append(try frontEnd.setConfig(offset: 0, bytes: buffer))
    }

    /// Linux's virtinput_cfg_select (drivers/virtio/virtio_input.c): select, then subsel, then size.
    func select(_ select: UInt8, _ subsel: UInt8) throws -> UInt8 {
        try write(0, select)
        try write(1, subsel)
        return try read(2)[0]
    }
}
