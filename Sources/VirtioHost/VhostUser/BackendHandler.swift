import CVirtioHost
import Foundation

/// The plain back-end's connection: messages answered by a session, config changes sent on the
/// front-end's back-end channel, and their acknowledgements read.
final class BackendHandler: ConnectionHandler {
    let channel: VhostUserChannel
    let session: VhostUserSession
    let timeout: Duration
    let log: ServeLog
    private(set) var wakeUp: Deadline?

    init(channel: VhostUserChannel, session: VhostUserSession, context: ConnectionContext) {
        self.channel = channel
        self.session = session
        timeout = context.timeout
        log = context.log
    }

    var extraDescriptors: [Int32] {
        wakeUp != nil ? session.backendChannel.map { [$0.socket.raw] } ?? [] : []
    }

    func ready(_ fd: Int32) -> Bool {
        if fd == channel.socket.raw { return serveOne() }
        readAck()
        return true
    }

    func timedOut() {
        log("the front-end did not acknowledge the config change in time")
        wakeUp = nil
    }

    func configChanged() {
        do {
            switch try session.sendConfigChange(until: Deadline(in: timeout)) {
            case .awaitingAcknowledgement:
                wakeUp = Deadline(in: timeout)
                log("config change sent; waiting for the acknowledgement")
            case .sent: log("config change sent")
            case .notSent: log("config change not sent: the front-end gave no back-end channel, or did not agree CONFIG")
            }
        } catch {
            log("config change not sent: \(error.description)")
        }
    }

    func interrupt() {
        if let backend = session.backendChannel { shutdown(backend.socket.raw, Int32(SHUT_RDWR)) }
    }

    func close() { session.backendChannel?.socket.close() }

    /// One message from the front-end, answered; false when the connection is over.
    private func serveOne() -> Bool {
        do {
            guard let message = try channel.receive(until: Deadline(in: timeout)) else {
                log("the front-end hung up")
                return false
            }
            switch session.handle(message) {
            case .reply(let reply):
                defer { closeAll(reply.descriptors) }
                try channel.send(reply, until: Deadline(in: timeout))
                log.routine("\(message.requestName) → answered (\(reply.payload.count) bytes)")
            case .silence:
                log.routine(message.requestName)
            case .close(let reason):
                log("closing: \(reason)")
                return false
            }
            return true
        } catch {
            log("closing: \(error.description)")
            return false
        }
    }

    private func readAck() {
        guard let backend = session.backendChannel else { return }
        do {
            guard let reply = try backend.receive(until: Deadline(in: timeout)) else {
                log("the front-end closed its back-end channel")
                wakeUp = nil
                return
            }
            closeAll(reply.descriptors)
            log("config change acknowledged: \(VhostUserPayload.u64(reply.payload).map { $0 == 0 ? "ok" : "failed (\($0))" } ?? "no value")")
        } catch {
            log("the back-end channel failed: \(error.description)")
        }
        wakeUp = nil
    }
}
