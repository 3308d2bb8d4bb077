/// What each request's payload and descriptors must be (docs/interop/vhost-user.rst, "Front-end
/// message types"), and the payloads cfgspace reads and writes.
public enum VhostUserPayload {
    typealias Request = VhostUserProtocol.Request

    /// The protocol feature bits, by the name payloads and reports have long used.
    public typealias ProtocolFeature = VhostUserProtocol.Feature

    /// Bit 8 of a vring kick, call or error payload: no descriptor comes with it.
    static let noDescriptorFlag: UInt64 = 1 << 8

    /// Why a message's payload or descriptors are wrong for its request; nil when they are right.
    static func problem(with message: VhostUserMessage, logSharedMemory: Bool) -> String? {
        guard let request = message.knownRequest else { return "request \(message.request) is not a vhost-user request" }
        let size = message.payload.count, fds = message.descriptors.count
        func expect(_ sizes: Set<Int>, _ descriptors: ClosedRange<Int>) -> String? {
            if !sizes.contains(size) {
                return "\(request.name) carries \(size) payload bytes; it takes " + sizes.sorted().map(String.init).joined(separator: " or ")
            }
            if !descriptors.contains(fds) {
                return "\(request.name) came with \(fds) descriptor\(fds == 1 ? "" : "s"); it takes "
                    + (descriptors.lowerBound == descriptors.upperBound ? "\(descriptors.lowerBound)" : "\(descriptors.lowerBound) to \(descriptors.upperBound)")
            }
            return nil
        }
        switch request {
        case .getFeatures, .setOwner, .resetOwner, .getProtocolFeatures, .getQueueNum, .resetDevice, .getMaxMemSlots,
             .getStatus, .postcopyAdvise, .postcopyListen, .postcopyEnd:
            return expect([0], 0...0)
        case .setFeatures, .setProtocolFeatures, .sendRARP, .netSetMTU, .setStatus, .closeCryptoSession:
            return expect([8], 0...0)
        case .setVringNum, .setVringBase, .getVringBase, .setVringEnable, .setVringEndian, .vringKick:
            return expect([8], 0...0)
        case .setVringAddr:
            return expect([40], 0...0)
        case .setVringKick, .setVringCall, .setVringErr:
            guard size == 8 else { return expect([8], 0...1) }
            var reader = PayloadReader(message.payload)
            let noDescriptor = (reader.u64() ?? 0) & noDescriptorFlag != 0
            return expect([8], noDescriptor ? 0...0 : 1...1)
        case .setMemTable:
            var reader = PayloadReader(message.payload)
            guard let regions = reader.u32(), regions <= 8 else { return "\(request.name) lists more than 8 regions" }
            return expect([8 + 32 * Int(regions)], Int(regions)...Int(regions))
        case .setLogBase:
            return logSharedMemory ? expect([16], 1...1) : expect([8], 0...0)
        case .setLogFD, .setBackendReqFD, .gpuSetSocket:
            return expect([0], 1...1)
        case .iotlbMessage:
            return expect([32], 0...0)
        case .getConfig, .setConfig:
            guard size >= 12 else { return "\(request.name) carries \(size) payload bytes, fewer than its 12-byte header" }
            var reader = PayloadReader(message.payload)
            _ = reader.u32()
            let length = Int(reader.u32() ?? 0)
            guard length <= VhostUserProtocol.maximumConfig else { return "\(request.name) asks for \(length) bytes; the most is \(VhostUserProtocol.maximumConfig)" }
            return expect([12 + length], 0...0)
        case .getInflightFD:
            return expect([24], 0...0)
        case .setInflightFD:
            return expect([24], 1...1)
        case .addMemReg:
            return expect([40], 1...1)
        case .remMemReg:
            return expect([40], 0...1)
        case .createCryptoSession:
            return "\(request.name) needs VHOST_USER_PROTOCOL_F_CRYPTO_SESSION, which is not offered"
        }
    }

    /// `VhostUserConfig`: offset, size, flags, then the bytes.
    struct Config {
        var offset: Int
        var size: Int
        /// 0 for a driver's write, 1 for live migration.
        var flags: UInt32
        var bytes: [UInt8]

        init(offset: Int, size: Int, flags: UInt32 = 0, bytes: [UInt8]) {
            self.offset = offset
            self.size = size
            self.flags = flags
            self.bytes = bytes
        }

        init?(_ payload: [UInt8]) {
            var reader = PayloadReader(payload)
            guard let offset = reader.u32(), let size = reader.u32(), let flags = reader.u32(),
                  let bytes = reader.take(Int(size)) else { return nil }
            self.init(offset: Int(offset), size: Int(size), flags: flags, bytes: bytes)
        }

        var encoded: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(12 + bytes.count)
            for word in [UInt32(offset), UInt32(size), flags] { out += word.bytes }
            return out + bytes
        }
    }

    /// The most rings any vhost-user back-end can have: a kick, call or error message names its ring
    /// in the payload's low 8 bits (VHOST_USER_VRING_IDX_MASK, docs/interop/vhost-user.rst).
    static let ringLimit = 256

    /// The ring a message names: the index of `vhost_vring_state` or `vhost_vring_addr`, or the low
    /// byte of a kick, call or error payload; nil for a message that names none.
    static func ringIndex(of message: VhostUserMessage) -> UInt32? {
        var reader = PayloadReader(message.payload)
        switch message.knownRequest {
        case .setVringNum, .setVringBase, .getVringBase, .setVringEnable, .setVringEndian, .vringKick, .setVringAddr:
            return reader.u32()
        case .setVringKick, .setVringCall, .setVringErr:
            return reader.u64().map { UInt32($0 & 0xff) }
        default:
            return nil
        }
    }

    /// Why a message's ring is out of range for a back-end with `rings` rings (nil when it is not):
    /// libvhost-user indexes its ring array with the number as it comes (vu_set_vring_num_exec), so
    /// qemu-storage-daemon 7.2 writes past its array on any ring past its queues, and dies of SIGSEGV
    /// on 0xffffffff.
    static func ringProblem(_ message: VhostUserMessage, ring: UInt32, rings: Int) -> String? {
        let limit = min(rings, ringLimit)
        guard Int(ring) >= limit else { return nil }
        return "\(message.requestName) names ring \(ring); there are \(limit) (0 to \(limit - 1))"
    }

    /// `struct vhost_vring_state`: index and number.
    static func vringState(_ payload: [UInt8]) -> (index: UInt32, number: UInt32)? {
        var reader = PayloadReader(payload)
        guard let index = reader.u32(), let number = reader.u32() else { return nil }
        return (index, number)
    }

    static func u64(_ payload: [UInt8]) -> UInt64? {
        var reader = PayloadReader(payload)
        return reader.u64()
    }
}
