import CVirtioHost
import Foundation
import VirtioModel

/// One front-end's connection to `cfgspace serve`: what it negotiated, and the answer to each of its
/// messages. There is no data path: memory tables, rings and their descriptors are accepted as the
/// protocol requires and let go.
final class VhostUserSession {
    typealias Payload = VhostUserPayload
    typealias Request = VhostUserMessage.Request

    /// What a message comes to.
    enum Outcome {
        case reply(VhostUserMessage)
        case silence
        /// The connection cannot go on; why.
        case close(String)
    }

    let served: ServedDevice
    let queues: Int
    let log: (String) -> Void
    /// The protocol features offered: MQ, REPLY_ACK, BACKEND_REQ, CONFIG, INFLIGHT_SHMFD,
    /// RESET_DEVICE and CONFIGURE_MEM_SLOTS.
    static let offeredProtocolFeatures: UInt64 = [Payload.ProtocolFeature.mq, .replyAck, .backendRequests, .config,
                                                  .inflightSharedMemory, .resetDevice, .configureMemorySlots]
        .reduce(0) { $0 | $1.mask }

    private(set) var acked: UInt64 = 0
    private(set) var protocolFeatures: UInt64 = 0
    private(set) var owned = false
    private(set) var status: UInt64 = 0
    private var vringBases: [UInt32: UInt32] = [:]
    /// The back-end channel QEMU gave with SET_BACKEND_REQ_FD.
    private(set) var backendChannel: VhostUserChannel?

    init(served: ServedDevice, queues: Int, log: @escaping (String) -> Void) {
        self.served = served
        self.queues = queues
        self.log = log
        version1 = served.device.feature(named: "VERSION_1").map { 1 << UInt64($0.bit) } ?? 0
    }

    /// The device features offered, with VHOST_USER_F_PROTOCOL_FEATURES.
    var offeredFeatures: UInt64 {
        (served.offered.words.first ?? 0) | 1 << UInt64(Payload.protocolFeaturesBit)
    }

    func has(_ feature: Payload.ProtocolFeature) -> Bool { protocolFeatures & feature.mask != 0 }

    /// Whether VERSION_1 is negotiated: the config is then in its modern, little-endian form.
    var isModern: Bool { acked & version1 != 0 }
    /// VERSION_1's mask in the feature word; 0 for a layout without it.
    private let version1: UInt64

    func handle(_ message: VhostUserMessage) -> Outcome {
        if let problem = Payload.problem(with: message, logSharedMemory: has(.logSharedMemory)) {
            closeAll(message.descriptors)
            // A front-end that asked for an acknowledgement gets a failure; any other fault ends the connection.
            if message.needsReply && has(.replyAck) && message.knownRequest != nil && !VhostUserProtocol.alwaysReplies(message.knownRequest) {
                log("refused \(message.requestName): \(problem)")
                return .reply(message.reply(UInt64(1).bytes))
            }
            if message.knownRequest == .getConfig {
                log("refused \(message.requestName): \(problem)")
                return .reply(message.reply([]))
            }
            return .close(problem)
        }
        guard let request = message.knownRequest else { return .close("unknown request \(message.request)") }
        let outcome = answer(request, message)
        if case .silence = outcome, message.needsReply, has(.replyAck) {
            return .reply(message.reply(UInt64(0).bytes))
        }
        return outcome
    }

    private func answer(_ request: Request, _ message: VhostUserMessage) -> Outcome {
        let u64 = Payload.u64(message.payload)
        switch request {
        case .getFeatures:
            return .reply(message.reply(offeredFeatures.bytes))
        case .setFeatures:
            acked = u64 ?? 0
            let unoffered = acked & ~offeredFeatures
            log("SET_FEATURES 0x\(String(acked, radix: 16))" + (unoffered != 0 ? ", with bits never offered: 0x\(String(unoffered, radix: 16))" : ""))
            return .silence
        case .getProtocolFeatures:
            return .reply(message.reply(Self.offeredProtocolFeatures.bytes))
        case .setProtocolFeatures:
            protocolFeatures = (u64 ?? 0) & Self.offeredProtocolFeatures
            log("SET_PROTOCOL_FEATURES 0x\(String(u64 ?? 0, radix: 16))")
            return .silence
        case .setOwner:
            owned = true
            return .silence
        case .resetOwner, .resetDevice:
            acked = 0
            status = 0
            vringBases = [:]
            return .silence
        case .getQueueNum:
            return .reply(message.reply(UInt64(queues).bytes))
        case .getMaxMemSlots:
            return .reply(message.reply(UInt64(32).bytes))
        case .setVringBase:
            if let state = Payload.vringState(message.payload) { vringBases[state.index] = state.number }
            return .silence
        case .getVringBase:
            let index = Payload.vringState(message.payload)?.index ?? 0
            return .reply(message.reply(index.bytes + (vringBases[index] ?? 0).bytes))
        case .getConfig:
            return getConfig(message)
        case .setConfig:
            return setConfig(message)
        case .setBackendReqFD:
            backendChannel = message.descriptors.first.map { VhostUserChannel(Descriptor($0), what: "the front-end's back-end channel") }
            return .silence
        case .getInflightFD:
            return inflight(message)
        case .setStatus:
            status = u64 ?? 0
            return .silence
        case .getStatus:
            return .reply(message.reply(status.bytes))
        case .postcopyAdvise, .postcopyListen, .postcopyEnd:
            // Postcopy needs VHOST_USER_PROTOCOL_F_PAGEFAULT, which is never offered.
            return .close("\(request.name) needs VHOST_USER_PROTOCOL_F_PAGEFAULT, which is not offered")
        default:
            // Memory tables, rings, kicks, calls, logs, inflight areas: accepted, nothing to keep.
            closeAll(message.descriptors)
            return .silence
        }
    }

    /// GET_CONFIG: the requested window of the served bytes, zeros where a packed layout's bytes end
    /// before the struct does. A window past the struct gets libvhost-user's error, an empty payload
    /// (vu_blk_get_config refuses a length past its struct the same way).
    private func getConfig(_ message: VhostUserMessage) -> Outcome {
        let limit = served.structSize
        guard let request = Payload.Config(message.payload), request.offset + request.size <= limit else {
            log("GET_CONFIG past the \(limit)-byte struct: answered with an empty payload")
            return .reply(message.reply([]))
        }
        let bytes = served.bytes(modern: isModern)
        var window = Array(bytes[min(request.offset, bytes.count)..<min(request.offset + request.size, bytes.count)])
        window += repeatElement(0, count: request.size - window.count)
        return .reply(message.reply(Payload.Config(offset: request.offset, size: request.size, flags: request.flags,
                                                   bytes: window).encoded))
    }

    /// SET_CONFIG: driver-writable fields only (the live-migration flag allows the rest).
    private func setConfig(_ message: VhostUserMessage) -> Outcome {
        guard let config = Payload.Config(message.payload) else { return .close("SET_CONFIG carries no config") }
        let result = served.write(offset: config.offset, bytes: config.bytes, migration: config.flags == 1, modern: isModern)
        switch result {
        case .applied(let fields):
            log("SET_CONFIG \(config.size) bytes at \(config.offset): " + (fields.isEmpty ? "nothing changed" : "wrote " + fields.joined(separator: ", ")))
            return .silence
        case .refused(let reason):
            log("SET_CONFIG \(config.size) bytes at \(config.offset) refused: \(reason)")
            return message.needsReply && has(.replyAck) ? .reply(message.reply(UInt64(1).bytes)) : .silence
        }
    }

    /// GET_INFLIGHT_FD: a zeroed shared area for each queue's inflight state (the split-ring layout:
    /// a 16-byte header and 16 bytes a descriptor, each queue's area a multiple of 64 bytes).
    private func inflight(_ message: VhostUserMessage) -> Outcome {
        var reader = PayloadReader(message.payload)
        _ = reader.u64()
        _ = reader.u64()
        let count = Int(reader.u16() ?? 1), size = Int(reader.u16() ?? 128)
        let perQueue = (16 + 16 * size + 63) / 64 * 64
        let total = perQueue * max(count, 1)
        let fd = cvh_memfd("cfgspace-inflight", total)
        guard fd >= 0 else { return .close("no shared memory for the inflight area: \(String(cString: strerror(errno)))") }
        let payload = UInt64(total).bytes + UInt64(0).bytes + UInt16(count).bytes + UInt16(size).bytes + [UInt8](repeating: 0, count: 4)
        return .reply(message.reply(payload, descriptors: [fd]))
    }

    /// Tells the front-end its config changed (VHOST_USER_BACKEND_CONFIG_CHANGE_MSG), asking for an
    /// acknowledgement when REPLY_ACK is negotiated; whether a reply is awaited.
    func sendConfigChange(until deadline: Deadline) throws(HostError) -> Bool {
        guard let backendChannel, has(.config) else { return false }
        let ack = has(.replyAck)
        let flags = VhostUserMessage.version | (ack ? VhostUserMessage.needReplyFlag : 0)
        try backendChannel.send(VhostUserMessage(request: VhostUserMessage.BackendRequest.configChange.rawValue, flags: flags),
                                until: deadline)
        return ack
    }
}
