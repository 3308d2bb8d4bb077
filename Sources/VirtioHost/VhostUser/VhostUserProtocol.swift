/// Rules of the vhost-user protocol that the server, the interposer and the probe all go by, so
/// none of them borrows another's (QEMU's docs/interop/vhost-user.rst, "Communication" and
/// "REPLY_ACK"). Message numbers and payload layouts are in VhostUserMessage and VhostUserPayload.
enum VhostUserProtocol {
    /// Requests whose reply the protocol defines, whatever REPLY_ACK says (vhost-user.rst, REPLY_ACK:
    /// for messages that already solicit a reply, need_reply "brings no behavioural change").
    static func alwaysReplies(_ request: VhostUserMessage.Request?) -> Bool {
        switch request {
        case .getFeatures, .getProtocolFeatures, .getVringBase, .getQueueNum, .getConfig, .getInflightFD, .getMaxMemSlots,
             .getStatus, .postcopyEnd: true
        default: false
        }
    }
}
