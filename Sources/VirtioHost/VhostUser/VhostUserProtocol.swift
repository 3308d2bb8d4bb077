/// The facts of the vhost-user protocol that the back-end (serve), the front-ends (the probe's
/// client) and the interposer all go by, so none of them borrows another's: message numbers,
/// protocol feature bits, the largest config, and which requests always have a reply (QEMU's
/// docs/interop/vhost-user.rst, "Message types", "Protocol features", "Communication" and
/// "REPLY_ACK"). The header is in VhostUserMessage, payload layouts in VhostUserPayload.
public enum VhostUserProtocol {
    /// The front-end's requests, by number.
    public enum Request: UInt32, CaseIterable, Sendable {
        case getFeatures = 1, setFeatures, setOwner, resetOwner, setMemTable, setLogBase, setLogFD, setVringNum
        case setVringAddr, setVringBase, getVringBase, setVringKick, setVringCall, setVringErr
        case getProtocolFeatures, setProtocolFeatures, getQueueNum, setVringEnable, sendRARP, netSetMTU
        case setBackendReqFD, iotlbMessage, setVringEndian, getConfig, setConfig, createCryptoSession
        case closeCryptoSession, postcopyAdvise, postcopyListen, postcopyEnd, getInflightFD, setInflightFD
        case gpuSetSocket, resetDevice, vringKick, getMaxMemSlots, addMemReg, remMemReg, setStatus, getStatus

        /// `VHOST_USER_GET_CONFIG`.
        public var name: String { Self.names[Int(rawValue) - 1] }

        /// Every request's name, spelled once from its case name (`getInflightFD` → `GET_INFLIGHT_FD`).
        private static let names: [String] = allCases.map { request in
            let words = String(describing: request).reduce(into: "") { text, character in
                if character.isUppercase, !text.isEmpty { text += "_" }
                text += String(character).uppercased()
            }
            return "VHOST_USER_" + words.replacingOccurrences(of: "F_D", with: "FD")
        }
    }

    /// The back-end's requests on its own channel (`VHOST_USER_BACKEND_*`).
    public enum BackendRequest: UInt32, Sendable {
        case iotlbMessage = 1, configChange = 2, vringHostNotifier = 3
    }

    /// The protocol feature bits (`VHOST_USER_PROTOCOL_F_*`).
    public enum Feature: Int, CaseIterable, Sendable {
        case mq = 0, logSharedMemory = 1, rarp = 2, replyAck = 3, mtu = 4, backendRequests = 5, crossEndian = 6
        case cryptoSession = 7, pagefault = 8, config = 9, backendSendFD = 10, hostNotifier = 11, inflightSharedMemory = 12
        case resetDevice = 13, inbandNotifications = 14, configureMemorySlots = 15, status = 16

        public var mask: UInt64 { 1 << UInt64(rawValue) }

        /// The name docs/interop/vhost-user.rst gives it, after `VHOST_USER_PROTOCOL_F_`.
        public var name: String {
            switch self {
            case .mq: "MQ"
            case .logSharedMemory: "LOG_SHMFD"
            case .rarp: "RARP"
            case .replyAck: "REPLY_ACK"
            case .mtu: "NET_MTU"
            case .backendRequests: "BACKEND_REQ"
            case .crossEndian: "CROSS_ENDIAN"
            case .cryptoSession: "CRYPTO_SESSION"
            case .pagefault: "PAGEFAULT"
            case .config: "CONFIG"
            case .backendSendFD: "BACKEND_SEND_FD"
            case .hostNotifier: "HOST_NOTIFIER"
            case .inflightSharedMemory: "INFLIGHT_SHMFD"
            case .resetDevice: "RESET_DEVICE"
            case .inbandNotifications: "INBAND_NOTIFICATIONS"
            case .configureMemorySlots: "CONFIGURE_MEM_SLOTS"
            case .status: "STATUS"
            }
        }
    }

    /// VHOST_USER_F_PROTOCOL_FEATURES, bit 30 of the virtio feature word.
    static let protocolFeaturesBit = 30
    /// Bits of GET_FEATURES that belong to vhost, not to the virtio device: VHOST_F_LOG_ALL (26, the
    /// back-end can log dirty pages, linux/vhost.h) and VHOST_USER_F_PROTOCOL_FEATURES (30).
    static let vhostBits: [Int: String] = [26: "VHOST_F_LOG_ALL", 30: "VHOST_USER_F_PROTOCOL_FEATURES"]
    /// The largest config GET_CONFIG and SET_CONFIG carry (QEMU's VHOST_USER_MAX_CONFIG_SIZE).
    static let maximumConfig = 256

    /// The protocol features cfgspace speaks, as a back-end (serve) and as a front-end (the probe):
    /// MQ, REPLY_ACK, BACKEND_REQ, CONFIG, INFLIGHT_SHMFD, RESET_DEVICE and CONFIGURE_MEM_SLOTS.
    static let spoken: UInt64 = [Feature.mq, .replyAck, .backendRequests, .config, .inflightSharedMemory, .resetDevice,
                                 .configureMemorySlots].reduce(0) { $0 | $1.mask }

    /// Requests whose reply the protocol defines, whatever REPLY_ACK says (vhost-user.rst, REPLY_ACK:
    /// for messages that already solicit a reply, need_reply "brings no behavioural change").
    static func alwaysReplies(_ request: Request?) -> Bool {
        switch request {
        case .getFeatures, .getProtocolFeatures, .getVringBase, .getQueueNum, .getConfig, .getInflightFD, .getMaxMemSlots,
             .getStatus, .postcopyEnd: true
        default: false
        }
    }
}
