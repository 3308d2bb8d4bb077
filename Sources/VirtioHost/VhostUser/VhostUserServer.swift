import CVirtioHost
import Foundation
import VirtioModel

/// `cfgspace serve --vhost-user PATH`: listens on a Unix socket and serves a device's configuration
/// to one front-end at a time, as a vhost-user back-end. Connections are served one after another; a
/// fault on one closes that connection and never the server. Command lines (`set capacity=4096`)
/// change the device while it runs, and the front-end hears of it on its back-end channel.
public final class VhostUserServer: @unchecked Sendable {
    public let path: String
    let served: ServedDevice
    let queues: Int
    let timeout: Duration
    let log: @Sendable (String) -> Void
    private let listener: Descriptor
    private var session: VhostUserSession?
    private var connection: VhostUserChannel?
    private var awaitingAck: Deadline?
    /// Connections served so far.
    public private(set) var connectionsServed = 0

    public init(path: String, served: ServedDevice, queues: Int = 8, timeout: Duration = .seconds(5),
                log: @escaping @Sendable (String) -> Void) throws(HostError) {
        let fd = cvh_unix_listen(path, 8)
        guard fd >= 0 else { throw HostError.system("listening at '\(path)'", errno: errno) }
        self.path = path
        self.served = served
        self.queues = queues
        self.timeout = timeout
        self.log = log
        listener = Descriptor(fd)
    }

    deinit {
        listener.close()
        unlink(path)
    }

    /// Serves until `stop` turns readable (a byte, or its write end closed) or a `quit` command;
    /// command lines come from `commands` (standard input), if given.
    public func run(commands: Descriptor? = nil, stop: Descriptor? = nil) throws(HostError) {
        let lines = commands.map { LineReader($0, what: "the command input") }
        var commandsOpen = commands != nil
        while true {
            var watched: [(fd: Int32, role: Role)] = []
            if let stop { watched.append((stop.raw, .stop)) }
            if commandsOpen, let commands { watched.append((commands.raw, .command)) }
            if let connection { watched.append((connection.socket.raw, .connection)) } else { watched.append((listener.raw, .listener)) }
            if let channel = session?.backendChannel, awaitingAck != nil { watched.append((channel.socket.raw, .backendChannel)) }
            var entries = watched.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let wait = awaitingAck.map { $0.remainingMilliseconds } ?? -1
            let ready = poll(&entries, nfds_t(entries.count), wait)
            if ready < 0 {
                if errno == EINTR { continue }
                throw HostError.system("poll", errno: errno)
            }
            if ready == 0, awaitingAck != nil {
                log("the front-end did not acknowledge the config change in time")
                awaitingAck = nil
                continue
            }
            for (index, entry) in entries.enumerated() where entry.revents != 0 {
                switch watched[index].role {
                case .stop:
                    return
                case .command:
                    guard let line = try? lines?.next(until: Deadline(in: timeout)) else {
                        commandsOpen = false
                        continue
                    }
                    if try command(line) == .quit { return }
                case .listener:
                    accept()
                case .connection:
                    serveOne()
                case .backendChannel:
                    readAck()
                }
            }
        }
    }

    private enum Role { case stop, command, listener, connection, backendChannel }

    private func accept() {
        let fd = cvh_unix_accept(listener.raw)
        guard fd >= 0 else { return }
        connectionsServed += 1
        connection = VhostUserChannel(Descriptor(fd), what: "the front-end")
        session = VhostUserSession(served: served, queues: queues, log: log)
        log("connection \(connectionsServed) opened")
    }

    private func end(_ reason: String) {
        log("connection \(connectionsServed) closed: \(reason)")
        connection?.socket.close()
        connection = nil
        session = nil
        awaitingAck = nil
    }

    /// One message from the front-end, answered.
    private func serveOne() {
        guard let connection, let session else { return }
        do {
            guard let message = try connection.receive(until: Deadline(in: timeout)) else {
                end("the front-end hung up")
                return
            }
            switch session.handle(message) {
            case .reply(let reply):
                defer { closeAll(reply.descriptors) }
                try connection.send(reply, until: Deadline(in: timeout))
                log("\(message.requestName) → answered (\(reply.payload.count) bytes)")
            case .silence:
                log(message.requestName)
            case .close(let reason):
                end(reason)
            }
        } catch {
            end(error.description)
        }
    }

    private func readAck() {
        guard let channel = session?.backendChannel else { return }
        do {
            guard let reply = try channel.receive(until: Deadline(in: timeout)) else {
                log("the front-end closed its back-end channel")
                awaitingAck = nil
                return
            }
            closeAll(reply.descriptors)
            log("config change acknowledged: \(VhostUserPayload.u64(reply.payload).map { $0 == 0 ? "ok" : "failed (\($0))" } ?? "no value")")
        } catch {
            log("the back-end channel failed: \(error.description)")
        }
        awaitingAck = nil
    }

    /// What a command line asks.
    enum CommandResult { case done, quit }

    /// `set FIELD=VALUE ...` changes fields and tells the front-end; `quit` stops serving.
    @discardableResult
    func command(_ line: String) throws(HostError) -> CommandResult {
        let words = line.split(separator: " ").map(String.init)
        switch words.first {
        case nil: return .done
        case "quit", "exit": return .quit
        case "set":
            var changed = false
            for assignment in words.dropFirst() {
                guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                    log("error: '\(assignment)' is not field=value")
                    continue
                }
                do {
                    changed = try served.set(String(assignment[..<equals]), text: String(assignment[assignment.index(after: equals)...]))
                        || changed
                } catch {
                    log("error: \(error.description)")
                }
            }
            guard changed else { return .done }
            log("set \(words.dropFirst().joined(separator: " "))")
            if let session, try session.sendConfigChange(until: Deadline(in: timeout)) {
                awaitingAck = Deadline(in: timeout)
                log("config change sent; waiting for the acknowledgement")
            } else if session != nil {
                log("config change sent")
            }
            return .done
        default:
            log("error: unknown command '\(words[0])'; commands are 'set FIELD=VALUE ...' and 'quit'")
            return .done
        }
    }
}
