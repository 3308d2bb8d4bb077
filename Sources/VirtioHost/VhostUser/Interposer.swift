import ConfigLayout
import CVirtioHost
import Foundation
import VirtioModel

/// `cfgspace serve --vhost-user PATH --upstream SOCKET`: sits between a front-end (QEMU) and a real
/// back-end. Every message and its descriptors pass through both ways, so the data path stays
/// between them, untouched. The one exception is the configuration the front-end sees, which is
/// cfgspace's: the upstream's values (capacity, ...) unless overridden, laid out under the chosen
/// interpretation. SET_CONFIG and config-change notices are translated both ways.
public final class Interposer: ConnectionHandler {
    typealias Payload = VhostUserPayload
    let frontend: VhostUserChannel
    let upstream: VhostUserClient
    /// The server's device: the layout, the interpretation, and the values set by hand, which win.
    /// Every connection shares it; a `set` command line changes it.
    let settings: SharedDevice
    let timeout: Duration
    let log: ServeLog
    /// The device features the front-end may see, of those the upstream offers; nil for all of them.
    let offerOnly: FeatureSet?
    /// Bits the front-end never sees, transport bits included.
    let withheld: FeatureSet
    /// Whether the layout is net's, whose back-ends count queue pairs in GET_QUEUE_NUM.
    private let countsQueuePairs: Bool

    /// What the upstream offers, once known: learnt from its answers to the front-end, or asked by
    /// the interposer itself when the front-end needs an answer it never asked for (GET_CONFIG
    /// first, SET_PROTOCOL_FEATURES with no GET_PROTOCOL_FEATURES before it). Both are queries with
    /// no effect on the upstream.
    private var knownFeatures: UInt64?
    private var knownProtocol: UInt64?
    /// The rings the upstream has, from GET_QUEUE_NUM (asked when MQ is offered), else the
    /// protocol's limit.
    private var knownRings: Int?
    private var frontendProtocol: UInt64 = 0
    /// The device the front-end sees, rebuilt whenever the upstream's config or the overrides change.
    private var device: ServedDevice?
    private var frontendBackend: VhostUserChannel?
    private var upstreamBackend: VhostUserChannel?
    /// An upstream back-end request waiting for the front-end's reply, to be relayed.
    private var relaying: VhostUserMessage?
    private var awaitingFrontend: Deadline?

    init(frontend: VhostUserChannel, upstream path: String, offerOnly: FeatureSet?, withheld: FeatureSet = FeatureSet(),
         context: ConnectionContext) throws(HostError) {
        self.frontend = frontend
        upstream = try VhostUserClient(connectingTo: path, timeout: context.timeout)
        settings = context.device
        self.offerOnly = offerOnly
        self.withheld = withheld
        timeout = context.timeout
        log = context.log
        countsQueuePairs = context.device.access { $0.device.id == 1 }
    }

    private var upstreamFeatures: UInt64 { knownFeatures ?? 0 }
    private var upstreamProtocol: UInt64 { knownProtocol ?? 0 }

    /// The upstream's features and protocol features, asked now if no answer passed by yet.
    private func learnUpstream() throws(HostError) {
        if knownFeatures == nil { knownFeatures = try upstream.features() }
        if knownProtocol == nil, upstreamFeatures & 1 << UInt64(VhostUserProtocol.protocolFeaturesBit) != 0 {
            knownProtocol = try upstream.getProtocolFeatures()
        }
    }

    /// How many rings the upstream has: GET_QUEUE_NUM's answer when it offers MQ (doubled for net,
    /// whose back-ends count queue pairs: net/vhost-user.c, DPDK's vhost_user_get_queue_num), else
    /// the protocol's limit.
    private func rings() throws(HostError) -> Int {
        if let knownRings { return knownRings }
        try learnUpstream()
        var rings = Payload.ringLimit
        if upstreamProtocol & VhostUserProtocol.Feature.mq.mask != 0 {
            let queues = Int(clamping: try upstream.queueCount())
            rings = countsQueuePairs ? queues.multipliedReportingOverflow(by: 2).partialValue : queues
        }
        knownRings = rings
        return rings
    }

    /// The bits 24 to 41 belong to the transport and to vhost (the spec's "reserved for extensions
    /// to the queue and feature negotiation mechanisms"): a mask of device features leaves them alone.
    static let transportBits: ClosedRange<Int> = 24...41

    /// The features offered to the front-end: the upstream's, less the device features not in
    /// `offerOnly` and less every withheld bit.
    private var offeredFeatures: UInt64 {
        let withheldMask = withheld.words.first ?? 0
        guard let offerOnly else { return upstreamFeatures & ~withheldMask }
        var mask = offerOnly.words.first ?? 0
        for bit in Self.transportBits { mask |= 1 << UInt64(bit) }
        return upstreamFeatures & mask & ~withheldMask
    }

    var extraDescriptors: [Int32] {
        [upstream.channel.socket.raw] + (upstreamBackend.map { [$0.socket.raw] } ?? [])
            + (awaitingFrontend != nil ? frontendBackend.map { [$0.socket.raw] } ?? [] : [])
    }

    var wakeUp: Deadline? { awaitingFrontend }

    func close() {
        upstream.close()
        frontendBackend?.socket.close()
        upstreamBackend?.socket.close()
    }

    func interrupt() {
        for socket in [upstream.channel.socket, frontendBackend?.socket, upstreamBackend?.socket].compactMap({ $0 }) {
            shutdown(socket.raw, Int32(SHUT_RDWR))
        }
    }

    func timedOut() {
        log("the front-end did not answer a back-end request in time")
        awaitingFrontend = nil
        relaying = nil
    }

    func ready(_ fd: Int32) -> Bool {
        do {
            if fd == frontend.socket.raw { return try fromFrontend() }
            if fd == upstream.channel.socket.raw {
                log("the upstream back-end closed its connection")
                return false
            }
            if let upstreamBackend, fd == upstreamBackend.socket.raw { return try fromUpstreamBackend() }
            if let frontendBackend, fd == frontendBackend.socket.raw { try fromFrontendBackend() }
            return true
        } catch {
            log("closing: \(error.description)")
            return false
        }
    }

    // MARK: - The front-end's requests

    private func fromFrontend() throws(HostError) -> Bool {
        guard let message = try frontend.receive(until: Deadline(in: timeout)) else {
            log("the front-end hung up")
            return false
        }
        if let problem = Payload.problem(with: message, logSharedMemory: agreed(.logSharedMemory)) {
            closeAll(message.descriptors)
            log("closing: \(problem)")
            return false
        }
        // A ring the upstream does not have never reaches it: a back-end may take the index on trust.
        if let ring = Payload.ringIndex(of: message), let problem = Payload.ringProblem(message, ring: ring, rings: try rings()) {
            closeAll(message.descriptors)
            log("closing: \(problem); not passed on")
            return false
        }
        switch message.knownRequest {
        case .getConfig: try answerConfig(message)
        case .setConfig: try translateWrite(message)
        case .getProtocolFeatures: try forwardProtocolFeatures(message)
        case .setProtocolFeatures:
            try learnUpstream()
            frontendProtocol = Payload.u64(message.payload) ?? 0
            var upstreamMessage = message
            upstreamMessage.payload = (frontendProtocol & upstreamProtocol).bytes
            try forward(upstreamMessage)
        case .setBackendReqFD: try swapBackendChannel(message)
        default: try forward(message)
        }
        return true
    }

    private func agreed(_ feature: VhostUserProtocol.Feature) -> Bool {
        frontendProtocol & upstreamProtocol & feature.mask != 0
    }

    /// Whether the upstream answers a message: the requests that always reply, and any with
    /// need-reply once REPLY_ACK is agreed.
    private func expectsReply(_ message: VhostUserMessage) -> Bool {
        VhostUserProtocol.alwaysReplies(message.knownRequest) || (message.needsReply && agreed(.replyAck))
            || (message.knownRequest == .setLogBase && agreed(.logSharedMemory))
            || (message.knownRequest == .postcopyAdvise && agreed(.pagefault))
    }

    /// Passes a message and its descriptors upstream, and the reply (with its descriptors) back.
    private func forward(_ message: VhostUserMessage) throws(HostError) {
        defer { closeAll(message.descriptors) }
        guard expectsReply(message) else {
            try upstream.channel.send(message, until: Deadline(in: timeout))
            return
        }
        let reply = try upstream.channel.call(message, until: Deadline(in: timeout))
        defer { closeAll(reply.descriptors) }
        if message.knownRequest == .getQueueNum, let queues = Payload.u64(reply.payload), knownRings == nil {
            knownRings = countsQueuePairs ? Int(clamping: queues).multipliedReportingOverflow(by: 2).partialValue
                : Int(clamping: queues)
        }
        if message.knownRequest == .getFeatures, let features = Payload.u64(reply.payload) {
            knownFeatures = features
            try frontend.send(message.reply(offeredFeatures.bytes), until: Deadline(in: timeout))
            return
        }
        try frontend.send(reply, until: Deadline(in: timeout))
    }

    /// The upstream's protocol features, with CONFIG: the interposer answers config itself.
    private func forwardProtocolFeatures(_ message: VhostUserMessage) throws(HostError) {
        let reply = try upstream.channel.call(message, until: Deadline(in: timeout))
        closeAll(reply.descriptors)
        knownProtocol = Payload.u64(reply.payload) ?? 0
        try frontend.send(message.reply((upstreamProtocol | VhostUserProtocol.Feature.config.mask).bytes), until: Deadline(in: timeout))
    }

    /// The front-end's back-end channel stays here; the upstream gets a channel of the interposer's.
    private func swapBackendChannel(_ message: VhostUserMessage) throws(HostError) {
        frontendBackend?.socket.close()
        frontendBackend = message.descriptors.first.map { VhostUserChannel(Descriptor($0), what: "the front-end's back-end channel") }
        let (ours, theirs) = try Descriptor.socketPair()
        upstreamBackend?.socket.close()
        upstreamBackend = VhostUserChannel(ours, what: "the upstream's back-end channel")
        // forward() closes what it sent: the upstream holds its own copy by then.
        try forward(message.with([theirs.release()]))
    }

    /// GET_CONFIG from cfgspace's device, built from the upstream's current config.
    private func answerConfig(_ message: VhostUserMessage) throws(HostError) {
        let device = try currentDevice()
        guard let request = Payload.Config(message.payload), request.offset + request.size <= device.structSize else {
            try frontend.send(message.reply([]), until: Deadline(in: timeout))
            return
        }
        let bytes = device.bytes(modern: true)
        let window = (request.offset..<request.offset + request.size).map { $0 < bytes.count ? bytes[$0] : 0 }
        try frontend.send(message.reply(Payload.Config(offset: request.offset, size: request.size, flags: request.flags,
                                                       bytes: window).encoded), until: Deadline(in: timeout))
    }

    /// SET_CONFIG at the served layout's offsets, passed upstream at each field's fixed offset.
    private func translateWrite(_ message: VhostUserMessage) throws(HostError) {
        guard let config = Payload.Config(message.payload) else { return }
        let device = try currentDevice()
        var failed = false
        switch device.write(offset: config.offset, bytes: config.bytes, migration: config.flags == 1, modern: true) {
        case .refused(let reason):
            log("SET_CONFIG \(config.size) bytes at \(config.offset) refused: \(reason)")
            failed = true
        case .applied(let fields, let kept):
            if !kept.isEmpty { log("SET_CONFIG \(config.size) bytes at \(config.offset): kept as served: " + kept.joined(separator: ", ")) }
            let fixed = Layout(device: device.device, features: device.offered, interpretation: .fixed)
            for path in fields {
                guard let placed = fixed.field(path), let offset = placed.offset, let value = device.image.value(path) else { continue }
                let bytes = ConfigImage.encode(value, as: placed.field.type, ConfigImage.Encoding(isModern: true, guestIsLittleEndian: true))
                do {
                    try upstream.setConfig(offset: offset, bytes: bytes)
                    log("SET_CONFIG \(path): at \(config.offset) from the front-end, at \(offset) upstream")
                } catch {
                    log("the upstream refused SET_CONFIG of \(path): \(error.description)")
                    failed = true
                }
            }
        }
        if message.needsReply && agreed(.replyAck) {
            try frontend.send(message.reply(UInt64(failed ? 1 : 0).bytes), until: Deadline(in: timeout))
        }
    }

    /// The device the front-end sees, built from the upstream's current config.
    private func currentDevice() throws(HostError) -> ServedDevice {
        if let device { return device }
        try learnUpstream()
        var offered = FeatureSet(words: [offeredFeatures])
        for bit in VhostUserProtocol.vhostBits.keys { offered.remove(bit) }
        var bytes: [UInt8] = []
        if upstreamProtocol & VhostUserProtocol.Feature.config.mask != 0 {
            let size = settings.access { Layout(device: $0.device, features: offered, interpretation: .fixed).size }
            (_, bytes) = try upstream.largestConfig(upTo: min(VhostUserProtocol.maximumConfig, size))
        } else {
            log("the upstream does not offer CONFIG: serving the layout's values and those set by hand")
        }
        let upstreamConfig = bytes
        let built = try settings.access { settings throws(HostError) in
            try Self.frontendDevice(upstreamConfig: upstreamConfig, offered: offered, settings: settings)
        }
        device = built
        return built
    }

    /// The device a front-end sees through an interposer: the upstream's config decoded at its fixed
    /// offsets over the features offered to the front-end, the values set by hand (`settings`) over
    /// it, laid out under the settings' interpretation.
    public static func frontendDevice(upstreamConfig bytes: [UInt8], offered: FeatureSet,
                                      settings: ServedDevice) throws(HostError) -> ServedDevice {
        let fixed = Layout(device: settings.device, features: offered, interpretation: .fixed)
        // A field-sized array (p9's tag, char[tag_len]) lies past the fixed struct, and the runtime
        // serves none: its length field is taken, its bytes are not.
        var values = ConfigDecoder.decode(bytes, layout: fixed, encoding: ConfigImage.Encoding(isModern: true, guestIsLittleEndian: true))
            .compactMap { decoded -> (path: String, value: FieldValue)? in
                if case .flexible = decoded.field.field.type { return nil }
                return decoded.value.map { (path: decoded.field.path, value: $0) }
            }
        let overrides = settings.image.values
        values.removeAll { overrides[$0.path] != nil }
        values += overrides.sorted { $0.key < $1.key }.map { (path: $0.key, value: $0.value) }
        do {
            return try ServedDevice(device: settings.device, interpretation: settings.interpretation, offered: offered,
                                    values: values)
        } catch {
            throw HostError(.refused, "the upstream's config does not fit the layout: \(error.description)")
        }
    }

    // MARK: - Config changes

    func configChanged() {
        device = nil
        tellFrontend(relay: nil)
    }

    /// Sends CONFIG_CHANGE_MSG on the front-end's back-end channel; `relay` is the upstream request
    /// to answer once the front-end has.
    private func tellFrontend(relay: VhostUserMessage?) {
        guard let frontendBackend, frontendProtocol & VhostUserProtocol.Feature.config.mask != 0 else {
            log("the front-end has no back-end channel to hear of the change")
            return
        }
        let ack = frontendProtocol & VhostUserProtocol.Feature.replyAck.mask != 0
        let message = VhostUserMessage(request: VhostUserProtocol.BackendRequest.configChange.rawValue,
                                       flags: VhostUserMessage.version | (ack ? VhostUserMessage.needReplyFlag : 0))
        do {
            try frontendBackend.send(message, until: Deadline(in: timeout))
            log("config change sent to the front-end")
            if ack {
                awaitingFrontend = Deadline(in: timeout)
                relaying = relay
            } else if let relay {
                try upstreamBackend?.send(relay.reply(UInt64(0).bytes), until: Deadline(in: timeout))
            }
        } catch {
            log("config change not sent: \(error.description)")
        }
    }

    /// A request from the upstream back-end: a config change is taken in and passed on; anything
    /// else goes to the front-end as it came.
    private func fromUpstreamBackend() throws(HostError) -> Bool {
        guard let upstreamBackend, let message = try upstreamBackend.receive(until: Deadline(in: timeout)) else {
            log("the upstream closed its back-end channel")
            self.upstreamBackend = nil
            return true
        }
        if message.request == VhostUserProtocol.BackendRequest.configChange.rawValue {
            log("the upstream's config changed")
            device = nil
            tellFrontend(relay: message.needsReply ? message : nil)
            return true
        }
        defer { closeAll(message.descriptors) }
        guard let frontendBackend else { return true }
        try frontendBackend.send(message, until: Deadline(in: timeout))
        if message.needsReply {
            awaitingFrontend = Deadline(in: timeout)
            relaying = message
        }
        return true
    }

    /// The front-end's answer to a back-end request, relayed to the upstream when it asked.
    private func fromFrontendBackend() throws(HostError) {
        guard let frontendBackend else { return }
        guard let reply = try frontendBackend.receive(until: Deadline(in: timeout)) else {
            log("the front-end closed its back-end channel")
            frontendBackend.socket.close()
            self.frontendBackend = nil
            awaitingFrontend = nil
            relaying = nil
            return
        }
        defer { closeAll(reply.descriptors) }
        awaitingFrontend = nil
        log("the front-end answered: \(Payload.u64(reply.payload).map { $0 == 0 ? "ok" : "failed (\($0))" } ?? "no value")")
        if let relaying {
            try upstreamBackend?.send(relaying.reply(reply.payload), until: Deadline(in: timeout))
        }
        relaying = nil
    }
}

extension VhostUserMessage {
    /// The same message carrying `descriptors`.
    func with(_ descriptors: [Int32]) -> VhostUserMessage {
        var copy = self
        copy.descriptors = descriptors
        return copy
    }
}
