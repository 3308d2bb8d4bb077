import VirtioModel

/// A vhost-user message (docs/interop/vhost-user.rst, "Message Specification"): a 12-byte header of
/// request, flags and payload size in native byte order, the payload, and the file descriptors that
/// travel with it (SCM_RIGHTS).
public struct VhostUserMessage: Sendable {
    public static let headerSize = 12
    /// The largest payload accepted: above every payload the protocol defines.
    public static let maximumPayload = 4096
    /// The most descriptors one message may carry (eight memory regions is QEMU's most).
    public static let maximumDescriptors = 32

    /// Flags: version 1 in bits 0-1, reply in bit 2, need-reply in bit 3.
    public static let version: UInt32 = 0x1
    public static let replyFlag: UInt32 = 1 << 2
    public static let needReplyFlag: UInt32 = 1 << 3

    public var request: UInt32
    public var flags: UInt32
    public var payload: [UInt8]
    /// Descriptors received with the message, owned by it until someone takes them.
    public var descriptors: [Int32]

    public init(request: UInt32, flags: UInt32 = VhostUserMessage.version, payload: [UInt8] = [], descriptors: [Int32] = []) {
        self.request = request
        self.flags = flags
        self.payload = payload
        self.descriptors = descriptors
    }

    public var knownRequest: VhostUserProtocol.Request? { VhostUserProtocol.Request(rawValue: request) }
    public var isReply: Bool { flags & Self.replyFlag != 0 }
    public var needsReply: Bool { flags & Self.needReplyFlag != 0 }

    /// The header and payload as they go on the wire.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.headerSize + payload.count)
        for word in [request, flags, UInt32(payload.count)] { bytes += word.bytes }
        return bytes + payload
    }

    /// The request's name for logs: `VHOST_USER_GET_CONFIG`, or its number.
    public var requestName: String { knownRequest?.name ?? "request \(request)" }

    /// A reply to this message with `payload`.
    public func reply(_ payload: [UInt8], descriptors: [Int32] = []) -> VhostUserMessage {
        VhostUserMessage(request: request, flags: Self.version | Self.replyFlag, payload: payload, descriptors: descriptors)
    }
}

extension FixedWidthInteger {
    /// Native (little-endian on every host cfgspace runs on) bytes.
    var bytes: [UInt8] { (0..<(Self.bitWidth / 8)).map { UInt8(truncatingIfNeeded: self >> (8 * $0)) } }
}

/// Reads native-order numbers out of a payload, never past its end.
struct PayloadReader {
    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func u64() -> UInt64? { number(8) }
    mutating func u32() -> UInt32? { number(4).map(UInt32.init) }
    mutating func u16() -> UInt16? { number(2).map { UInt16($0) } }

    mutating func take(_ count: Int) -> [UInt8]? {
        guard count >= 0, position + count <= bytes.count else { return nil }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// A little-endian number of `width` bytes, read in place.
    private mutating func number(_ width: Int) -> UInt64? {
        guard position + width <= bytes.count else { return nil }
        let value = LittleEndian.value(bytes[position..<position + width])
        position += width
        return value
    }
}
