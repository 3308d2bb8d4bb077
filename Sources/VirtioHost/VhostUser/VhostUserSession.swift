import CVirtioHost
import Foundation
import VirtioModel

/// One front-end's connection to `cfgspace serve`: what it negotiated, and the answer to each of its
/// messages. There is no data path: memory tables, rings and their descriptors are accepted as the
/// protocol requires and let go.
final class VhostUserSession {
    typealias Payload = VhostUserPayload
    typealias Request = VhostUserProtocol.Request

    /// What a message comes to.
    enum Outcome {
        case reply(VhostUserMessage)
        case silence
        /// The connection cannot go on; why.
        case close(String)
    }

    let device: SharedDevice
    let queues: Int
    let log: ServeLog
    /// Tells the other front-ends that this one changed the device.
    private let changedDevice: @Sendable () -> Void
    private(set) var acked: UInt64 = 0
    private(set) var protocolFeatures: UInt64 = 0
    private(set) var owned = false
    private(set) var status: UInt64 = 0
    private var vringBases: [UInt32: UInt32] = [:]
    /// The back-end channel QEMU gave with SET_BACKEND_REQ_FD.
    private(set) var backendChannel: VhostUserChannel?

    init(context: ConnectionContext, queues: Int) {
        device = context.device
        self.queues = queues
        log = context.log
        changedDevice = context.changedDevice
        (offeredFeatures, version1) = context.device.access { served in
            ((served.offered.words.first ?? 0) | 1 << UInt64(VhostUserProtocol.protocolFeaturesBit),
             served.device.feature(named: "VERSION_1").map { 1 << UInt64($0.bit) } ?? 0)
        }
    }

    /// The device features offered, with VHOST_USER_F_PROTOCOL_FEATURES.
    let offeredFeatures: UInt64

    func has(_ feature: VhostUserProtocol.Feature) -> Bool { protocolFeatures & feature.mask != 0 }

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
        if let ring = Payload.ringIndex(of: message), let problem = Payload.ringProblem(message, ring: ring, rings: queues) {
            closeAll(message.descriptors)
            return .close(problem)
        }
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
            return .reply(message.reply(VhostUserProtocol.spoken.bytes))
        case .setProtocolFeatures:
            protocolFeatures = (u64 ?? 0) & VhostUserProtocol.spoken
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
        let modern = isModern
        let window: [UInt8]? = device.access { served in
            guard let request = Payload.Config(message.payload), request.offset + request.size <= served.structSize else {
                return nil
            }
            let bytes = served.bytes(modern: modern)
            var window = Array(bytes[min(request.offset, bytes.count)..<min(request.offset + request.size, bytes.count)])
            window += repeatElement(0, count: request.size - window.count)
            return window
        }
        guard let window, let request = Payload.Config(message.payload) else {
            log("GET_CONFIG past the struct: answered with an empty payload")
            return .reply(message.reply([]))
        }
        return .reply(message.reply(Payload.Config(offset: request.offset, size: request.size, flags: request.flags,
                                                   bytes: window).encoded))
    }

    /// SET_CONFIG: the driver-writable fields it holds (the live-migration flag writes any), every
    /// other front-end told when the device changed.
    private func setConfig(_ message: VhostUserMessage) -> Outcome {
        guard let config = Payload.Config(message.payload) else { return .close("SET_CONFIG carries no config") }
        let modern = isModern, migration = config.flags == 1
        let result = device.access { $0.write(offset: config.offset, bytes: config.bytes, migration: migration, modern: modern) }
        let what = "SET_CONFIG \(config.size) bytes at \(config.offset)" + (migration ? " (migration)" : "")
        switch result {
        case .applied(let fields, let kept):
            log(what + ": " + (fields.isEmpty ? "nothing changed" : "wrote " + fields.joined(separator: ", "))
                + (kept.isEmpty ? "" : "; kept as served: " + kept.joined(separator: ", ")))
            if !fields.isEmpty { changedDevice() }
            return .silence
        case .refused(let reason):
            log("\(what) refused: \(reason)")
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

    /// What became of a config-change notice.
    enum ConfigChangeNotice { case notSent, sent, awaitingAcknowledgement }

    /// Tells the front-end its config changed (VHOST_USER_BACKEND_CONFIG_CHANGE_MSG), asking for an
    /// acknowledgement when REPLY_ACK is negotiated; without a back-end channel, or without CONFIG
    /// agreed, nothing is sent.
    func sendConfigChange(until deadline: Deadline) throws(HostError) -> ConfigChangeNotice {
        guard let backendChannel, has(.config) else { return .notSent }
        let ack = has(.replyAck)
        let flags = VhostUserMessage.version | (ack ? VhostUserMessage.needReplyFlag : 0)
        try backendChannel.send(VhostUserMessage(request: VhostUserProtocol.BackendRequest.configChange.rawValue, flags: flags),
                                until: deadline)
        return ack ? .awaitingAcknowledgement : .sent
    }
}
