import ConfigLayout
import CVirtioHost
import Foundation
import VirtioModel

/// `cfgspace serve --vhost-user PATH`: listens on a Unix socket and serves every front-end that
/// connects, each on a thread of its own, as a vhost-user back-end (or as an interposer in front of a
/// real one). All of them see one device: a change, by a `set` command line or by one front-end's
/// write, is announced to every other. A fault on one connection closes that connection and never
/// the server.
public final class VhostUserServer: @unchecked Sendable {
    /// The most connections served at once; one more is closed at once, and the log says why.
    public static let maximumConnections = 64
    /// Connections the kernel holds before they are accepted.
    static let backlog = 128
    /// The socket's mode unless asked otherwise: the owner's alone, as for any control socket.
    public static let defaultSocketMode: mode_t = 0o600

    public let path: String
    let device: SharedDevice
    let timeout: Duration
    let log: ServeLog
    private let listener: Descriptor
    private let makeHandler: (VhostUserChannel, ConnectionContext) throws(HostError) -> any ConnectionHandler
    private let lock = NSLock()
    private var connections: [Int: ServeConnection] = [:]
    private var opened = 0

    /// Connections accepted so far.
    public var connectionsServed: Int {
        lock.lock()
        defer { lock.unlock() }
        return opened
    }

    /// Connections being served now.
    public var openConnections: Int {
        lock.lock()
        defer { lock.unlock() }
        return connections.count
    }

    /// A back-end serving `served` itself.
    public convenience init(path: String, served: ServedDevice, queues: Int = 8, socketMode: mode_t = defaultSocketMode,
                            timeout: Duration = .seconds(5), log: ServeLog) throws(HostError) {
        try self.init(path: path, served: served, socketMode: socketMode, timeout: timeout, log: log) { channel, context in
            BackendHandler(channel: channel, session: VhostUserSession(context: context, queues: queues), context: context)
        }
    }

    /// An interposer between a front-end and the back-end at `upstream`: everything passes through
    /// but the configuration, which is `served`'s, with the upstream's values unless overridden.
    /// `served`'s values are the ones set by hand; they win over the upstream's.
    /// `offerOnly` limits the device features the front-end sees to those listed (of the upstream's);
    /// `withheld` are bits it never sees (those a chosen spec version does not list).
    /// The upstream is checked first: not this server's own path, a path a socket can have, and
    /// something listening there.
    public convenience init(path: String, upstream: String, served: ServedDevice, offerOnly: FeatureSet? = nil,
                            withheld: FeatureSet = FeatureSet(), socketMode: mode_t = defaultSocketMode,
                            timeout: Duration = .seconds(5), log: ServeLog) throws(HostError) {
        try Self.checkUpstream(upstream, for: path)
        try self.init(path: path, served: served, socketMode: socketMode, timeout: timeout, log: log) { channel, context throws(HostError) in
            try Interposer(frontend: channel, upstream: upstream, offerOnly: offerOnly, withheld: withheld, context: context)
        }
    }

    init(path: String, served: ServedDevice, socketMode: mode_t, timeout: Duration, log: ServeLog,
         makeHandler: @escaping (VhostUserChannel, ConnectionContext) throws(HostError) -> any ConnectionHandler) throws(HostError) {
        if let problem = UnixSocketPath.problem(path) { throw HostError(.refused, problem) }
        let fd = cvh_unix_listen(path, Int32(Self.backlog), Int32(socketMode))
        guard fd >= 0 else {
            switch errno {
            case EEXIST: throw HostError(.refused, "'\(path)' exists and is not a socket; give --vhost-user a new path")
            case EADDRINUSE:
                throw HostError(.refused, "something is listening at '\(path)' (another back-end, or another serve); "
                                + "give --vhost-user a new path, or stop that one first")
            default: throw HostError.system("listening at '\(path)'", errno: errno)
            }
        }
        self.path = path
        device = SharedDevice(served)
        self.timeout = timeout
        self.log = log
        self.makeHandler = makeHandler
        listener = Descriptor(fd)
    }

    /// Refuses an upstream that can never work, before anything listens.
    static func checkUpstream(_ upstream: String, for path: String) throws(HostError) {
        if let problem = UnixSocketPath.problem(upstream) { throw HostError(.refused, "the upstream \(problem)") }
        if UnixSocketPath.same(upstream, path) {
            throw HostError(.refused, "the upstream '\(upstream)' is its own socket ('\(path)'): give the back-end's socket")
        }
        guard try UnixSocketPath.isListening(upstream) else {
            throw HostError(.refused, "nothing listens at the upstream '\(upstream)': start the back-end first")
        }
    }

    deinit {
        stopConnections()
        listener.close()
        unlink(path)
    }

    /// Serves until `stop` turns readable (a byte, or its write end closed) or a `quit` command;
    /// command lines come from `commands` (standard input), if given. Every connection is closed
    /// before it returns.
    public func run(commands: Descriptor? = nil, stop: Descriptor? = nil) throws(HostError) {
        defer { stopConnections() }
        let lines = commands.map { LineReader($0, what: "the command input") }
        var commandsOpen = commands != nil
        while true {
            var watched = [listener.raw]
            if let stop { watched.append(stop.raw) }
            if commandsOpen, let commands { watched.append(commands.raw) }
            var entries = watched.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if poll(&entries, nfds_t(entries.count), -1) < 0 {
                if errno == EINTR { continue }
                throw HostError.system("poll", errno: errno)
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
                }
            }
        }
    }

    private func accept() {
        let fd = cvh_unix_accept(listener.raw)
        guard fd >= 0 else { return }
        let channel = VhostUserChannel(Descriptor(fd), what: "the front-end")
        lock.lock()
        opened += 1
        let number = opened, open = connections.count
        lock.unlock()
        guard open < Self.maximumConnections else {
            log("connection \(number) refused: \(open) connections are open, the most serve holds at once")
            channel.socket.close()
            return
        }
        let context = ConnectionContext(number: number, log: log.prefixed("connection \(number): "), device: device,
                                        timeout: timeout) { [weak self] in self?.announceChange(except: number) }
        do {
            let connection = try ServeConnection(number: number, channel: channel, handler: try makeHandler(channel, context),
                                                 log: context.log)
            lock.lock()
            connections[number] = connection
            lock.unlock()
            log("connection \(number) opened")
            connection.start { [weak self] ended in self?.forget(ended) }
        } catch {
            log("connection \(number) refused: \(error.description)")
            channel.socket.close()
        }
    }

    private func forget(_ connection: ServeConnection) {
        lock.lock()
        connections[connection.number] = nil
        lock.unlock()
    }

    /// Tells every connection but `except` that the device changed; how many were told.
    @discardableResult
    private func announceChange(except: Int? = nil) -> Int {
        lock.lock()
        let told = connections.values.filter { $0.number != except }
        lock.unlock()
        for connection in told { connection.deviceChanged() }
        return told.count
    }

    /// Ends every connection and waits (bounded) for their threads.
    private func stopConnections() {
        lock.lock()
        let open = Array(connections.values)
        lock.unlock()
        for connection in open { connection.stop() }
        let deadline = Deadline(in: timeout + .seconds(1))
        for connection in open where !connection.waitForEnd(until: deadline) {
            log("connection \(connection.number) did not end in time")
        }
    }

    /// What a command line asks.
    enum CommandResult { case done, quit }

    /// `set FIELD=VALUE ...` changes fields and tells every front-end; `quit` stops serving.
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
                let field = String(assignment[..<equals]), text = String(assignment[assignment.index(after: equals)...])
                do {
                    changed = try device.access { served throws(FieldValueError) in try served.set(field, text: text) } || changed
                } catch {
                    log("error: \(error.description)")
                }
            }
            guard changed else { return .done }
            log("set \(words.dropFirst().joined(separator: " "))")
            if announceChange() == 0 { log("no front-end is connected to tell") }
            return .done
        default:
            log("error: unknown command '\(words[0])'; commands are 'set FIELD=VALUE ...' and 'quit'")
            return .done
        }
    }
}
