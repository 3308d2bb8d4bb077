import CVirtioHost
import Foundation

/// What serves one front-end's connection: the plain back-end, or the interposer in front of a real
/// one. The connection's loop watches the descriptors a handler names and hands it each that is ready.
protocol ConnectionHandler: AnyObject {
    /// Descriptors to watch besides the connection itself, and when to stop waiting for one (an
    /// acknowledgement); nil waits without end, as for a front-end that says nothing.
    var extraDescriptors: [Int32] { get }
    var wakeUp: Deadline? { get }
    /// The front-end's connection, or another watched descriptor, is ready; false ends the connection.
    func ready(_ fd: Int32) -> Bool
    /// The wake-up deadline passed.
    func timedOut()
    /// The device changed (a `set` on standard input, or another front-end's write): tell the front-end.
    func configChanged()
    /// Called from another thread while the server stops: wakes any wait on the handler's own sockets
    /// (shutdown(2), never close) so that its connection ends at once.
    func interrupt()
    func close()
}

/// What a connection's handler knows of its server.
struct ConnectionContext {
    let number: Int
    /// The server's log, each line naming the connection.
    let log: ServeLog
    let device: SharedDevice
    let timeout: Duration
    /// Tells every other connection's front-end that this one changed the device.
    let changedDevice: @Sendable () -> Void
}

/// One front-end's connection to `serve`, served on a thread of its own, so that a front-end that
/// says nothing, or stops inside a message, holds up no other. A notice pipe wakes it: a byte when
/// the device changed, the write end closed when the server stops.
final class ServeConnection: @unchecked Sendable {
    let number: Int
    private let channel: VhostUserChannel
    private let handler: any ConnectionHandler
    private let log: ServeLog
    private let notices: (read: Descriptor, write: Descriptor)
    private let noticeLock = NSLock()
    private let finished = DispatchSemaphore(value: 0)

    init(number: Int, channel: VhostUserChannel, handler: any ConnectionHandler, log: ServeLog) throws(HostError) {
        self.number = number
        self.channel = channel
        self.handler = handler
        self.log = log
        notices = try Descriptor.pipe()
        _ = fcntl(notices.write.raw, F_SETFL, O_NONBLOCK)
        _ = fcntl(notices.read.raw, F_SETFL, O_NONBLOCK)
    }

    /// Serves the connection on a thread of its own; `ended` runs on that thread when it is over.
    func start(ended: @escaping @Sendable (ServeConnection) -> Void) {
        Thread { [self] in
            serve()
            ended(self)
            finished.signal()
        }.start()
    }

    /// The device changed: the connection tells its front-end. Notices that pile up before it wakes
    /// come to one (the front-end reads the config as it is then).
    func deviceChanged() {
        noticeLock.lock()
        defer { noticeLock.unlock() }
        var byte: UInt8 = 1
        _ = Glibc.write(notices.write.raw, &byte, 1)
    }

    /// Ends the connection from another thread.
    func stop() {
        noticeLock.lock()
        notices.write.close()
        noticeLock.unlock()
        handler.interrupt()
        shutdown(channel.socket.raw, Int32(SHUT_RDWR))
    }

    /// Waits (bounded) for the connection's thread to end; false when it has not.
    func waitForEnd(until deadline: Deadline) -> Bool {
        finished.wait(timeout: .now() + .milliseconds(Int(deadline.remainingMilliseconds))) == .success
    }

    private func serve() {
        defer {
            handler.close()
            channel.socket.close()
            noticeLock.lock()
            notices.write.close()
            noticeLock.unlock()
            notices.read.close()
        }
        while true {
            let watched = [channel.socket.raw, notices.read.raw] + handler.extraDescriptors
            var entries = watched.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&entries, nfds_t(entries.count), handler.wakeUp?.remainingMilliseconds ?? -1)
            if ready < 0 {
                if errno == EINTR { continue }
                log("closing: poll failed: \(String(cString: strerror(errno)))")
                return
            }
            if ready == 0 {
                handler.timedOut()
                continue
            }
            for entry in entries where entry.revents != 0 {
                if entry.fd == notices.read.raw {
                    guard drainNotices() else {
                        log("closed: the server is stopping")
                        return
                    }
                    handler.configChanged()
                } else if !handler.ready(entry.fd) {
                    log("closed")
                    return
                }
            }
        }
    }

    /// Reads every notice waiting; false when the server closed the pipe (it is stopping).
    private func drainNotices() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(notices.read.raw, $0.baseAddress, $0.count) }
            if got > 0 { continue }
            if got < 0 && errno == EINTR { continue }
            return got < 0 && errno == EAGAIN
        }
    }
}
