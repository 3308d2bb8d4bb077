import ConfigLayout
import CVirtioHost
import Foundation
import VirtioModel

/// What serves one front-end's connection: the plain back-end, or the interposer in front of a real
/// one. The server's loop watches the descriptors a handler names and hands it each that is ready.
protocol ConnectionHandler: AnyObject {
    /// Descriptors to watch besides the connection itself, and when to stop waiting for one (an
    /// acknowledgement); nil waits without end, as for a front-end that says nothing.
    var extraDescriptors: [Int32] { get }
    var wakeUp: Deadline? { get }
    /// The front-end's connection, or another watched descriptor, is ready; false ends the connection.
    func ready(_ fd: Int32) -> Bool
    /// The wake-up deadline passed.
    func timedOut()
    /// Fields were set on standard input: tell the front-end.
    func configChanged()
    func close()
}

/// `cfgspace serve --vhost-user PATH`: listens on a Unix socket and serves one front-end at a time,
/// as a vhost-user back-end (or as an interposer in front of a real one). Connections are served one
/// after another; a fault on one closes that connection and never the server. Command lines
/// (`set capacity=4096`) change the device while it runs.
public final class VhostUserServer: @unchecked Sendable {
    public let path: String
    let served: ServedDevice
    let timeout: Duration
    let log: ServeLog
    private let listener: Descriptor
    private let makeHandler: (VhostUserChannel, VhostUserServer) throws(HostError) -> any ConnectionHandler
    private var handler: (any ConnectionHandler)?
    private var connection: VhostUserChannel?
    /// Connections served so far.
    public private(set) var connectionsServed = 0

    /// A back-end serving `served` itself.
    public convenience init(path: String, served: ServedDevice, queues: Int = 8, timeout: Duration = .seconds(5),
                            log: ServeLog) throws(HostError) {
        try self.init(path: path, served: served, timeout: timeout, log: log) { channel, server in
            let session = VhostUserSession(served: server.served, queues: queues, log: server.log.callAsFunction)
            return BackendHandler(channel: channel, session: session, timeout: timeout, log: server.log)
        }
    }

    /// An interposer between a front-end and the back-end at `upstream`: everything passes through
    /// but the configuration, which is `served`'s, with the upstream's values unless overridden.
    /// `served`'s values are the ones set by hand; they win over the upstream's.
    /// `offerOnly` limits the device features the front-end sees to those listed (of the upstream's);
    /// `withheld` are bits it never sees (those a chosen spec version does not list).
    public convenience init(path: String, upstream: String, served: ServedDevice, offerOnly: FeatureSet? = nil,
                            withheld: FeatureSet = FeatureSet(), timeout: Duration = .seconds(5),
                            log: ServeLog) throws(HostError) {
        try self.init(path: path, served: served, timeout: timeout, log: log) { channel, server throws(HostError) in
            try Interposer(frontend: channel, upstream: upstream, settings: server.served, offerOnly: offerOnly,
                           withheld: withheld, timeout: timeout, log: server.log)
        }
    }

    init(path: String, served: ServedDevice, timeout: Duration, log: ServeLog,
         makeHandler: @escaping (VhostUserChannel, VhostUserServer) throws(HostError) -> any ConnectionHandler) throws(HostError) {
        let fd = cvh_unix_listen(path, 8)
        guard fd >= 0 else {
            if errno == EEXIST {
                throw HostError(.refused, "'\(path)' exists and is not a socket; give --vhost-user a new path")
            }
            throw HostError.system("listening at '\(path)'", errno: errno)
        }
        self.path = path
        self.served = served
        self.timeout = timeout
        self.log = log
        self.makeHandler = makeHandler
        listener = Descriptor(fd)
    }

    deinit {
        handler?.close()
        listener.close()
        unlink(path)
    }

    /// Serves until `stop` turns readable (a byte, or its write end closed) or a `quit` command;
    /// command lines come from `commands` (standard input), if given.
    public func run(commands: Descriptor? = nil, stop: Descriptor? = nil) throws(HostError) {
        let lines = commands.map { LineReader($0, what: "the command input") }
        var commandsOpen = commands != nil
        while true {
            var watched: [Int32] = []
            if let stop { watched.append(stop.raw) }
            if commandsOpen, let commands { watched.append(commands.raw) }
            if let connection, let handler {
                watched += [connection.socket.raw] + handler.extraDescriptors
            } else {
                watched.append(listener.raw)
            }
            var entries = watched.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&entries, nfds_t(entries.count), handler?.wakeUp?.remainingMilliseconds ?? -1)
            if ready < 0 {
                if errno == EINTR { continue }
                throw HostError.system("poll", errno: errno)
            }
            if ready == 0 {
                handler?.timedOut()
                continue
            }
            for entry in entries where entry.revents != 0 {
                if let stop, entry.fd == stop.raw { return }
                if let commands, entry.fd == commands.raw {
                    guard let line = try? lines?.next(until: Deadline(in: timeout)) else {
                        commandsOpen = false
                        continue
                    }
                    if command(line) == .quit { return }
                } else if entry.fd == listener.raw {
                    accept()
                } else if let handler, connection != nil, !handler.ready(entry.fd) {
                    end()
                }
            }
        }
    }

    private func accept() {
        let fd = cvh_unix_accept(listener.raw)
        guard fd >= 0 else { return }
        connectionsServed += 1
        let channel = VhostUserChannel(Descriptor(fd), what: "the front-end")
        do {
            handler = try makeHandler(channel, self)
            connection = channel
            log("connection \(connectionsServed) opened")
        } catch {
            log("connection \(connectionsServed) refused: \(error.description)")
            channel.socket.close()
        }
    }

    private func end() {
        log("connection \(connectionsServed) closed")
        handler?.close()
        handler = nil
        connection?.socket.close()
        connection = nil
    }

    /// What a command line asks.
    enum CommandResult { case done, quit }

    /// `set FIELD=VALUE ...` changes fields and tells the front-end; `quit` stops serving.
    @discardableResult
    func command(_ line: String) -> CommandResult {
        let words = line.split(separator: " ").map(String.init)
        switch words.first {
        case nil: return .done
        case "quit", "exit":
            log("quit: closing \(path) and leaving")
            return .quit
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
            if let handler { handler.configChanged() } else { log("no front-end is connected to tell") }
            return .done
        default:
            log("error: unknown command '\(words[0])'; commands are 'set FIELD=VALUE ...' and 'quit'")
            return .done
        }
    }
}

/// The plain back-end's connection: messages answered by a session, config changes sent on the
/// front-end's back-end channel, and their acknowledgements read.
final class BackendHandler: ConnectionHandler {
    let channel: VhostUserChannel
    let session: VhostUserSession
    let timeout: Duration
    let log: ServeLog
    private(set) var wakeUp: Deadline?

    init(channel: VhostUserChannel, session: VhostUserSession, timeout: Duration, log: ServeLog) {
        self.channel = channel
        self.session = session
        self.timeout = timeout
        self.log = log
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
            if try session.sendConfigChange(until: Deadline(in: timeout)) {
                wakeUp = Deadline(in: timeout)
                log("config change sent; waiting for the acknowledgement")
            } else {
                log("config change sent")
            }
        } catch {
            log("config change not sent: \(error.description)")
        }
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
