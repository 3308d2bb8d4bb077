import Foundation
import VirtioHost
import VirtioModel

/// `cfgspace serve`'s server, in this process on a thread of its own as the command runs it,
/// listening in a scratch folder until stopped.
final class InProcessServer {
    let socket: String
    let server: VhostUserServer
    private let folder: TemporaryFolder
    private let stopper: Descriptor
    private let done = DispatchSemaphore(value: 0)

    /// A back-end serving `served`. `pinnedTo`: the CPU the server's thread runs on (its connections'
    /// threads inherit it), when placement matters to a figure.
    convenience init(_ served: ServedDevice, pinnedTo cpu: Int?) throws {
        try self.init(pinnedTo: cpu) { path in try VhostUserServer(path: path, served: served, log: .silent) }
    }

    /// The server `make` builds at the socket path it is given.
    init(pinnedTo cpu: Int?, _ make: (String) throws -> VhostUserServer) throws {
        folder = try TemporaryFolder(prefix: "cfgspace-bench")
        socket = folder.file("serve.sock")
        let server = try make(socket)
        self.server = server
        let (stop, stopped) = try Descriptor.socketPair()
        stopper = stop
        let done = self.done
        Thread {
            if let cpu { ThreadPlacement.pinCurrentThread(to: cpu) }
            try? server.run(stop: stopped)
            stopped.close()
            done.signal()
        }.start()
    }

    /// Stops the server (bounded) and removes its folder.
    func stop() {
        stopper.close()
        _ = done.wait(timeout: .now() + 10)
        folder.remove()
    }
}
