import Foundation
import VirtioHost
import VirtioModel

/// `cfgspace serve`'s server, in this process on a thread of its own as the command runs it,
/// listening in a scratch folder until stopped.
final class InProcessServer {
    let socket: String
    private let folder: URL
    private let stopper: Descriptor
    private let done = DispatchSemaphore(value: 0)

    /// `pinnedTo`: the CPU the server's thread runs on, when placement matters to a figure.
    init(_ served: ServedDevice, pinnedTo cpu: Int?) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfgspace-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        socket = folder.appendingPathComponent("serve.sock").path
        let server = try VhostUserServer(path: socket, served: served, log: .silent)
        let (stop, stopped) = try Descriptor.socketPair()
        stopper = stop
        let done = self.done
        Thread {
            if let cpu { ThreadPlacement.pinCurrentThread(to: cpu) }
            try? server.run(stop: stopped)
            done.signal()
        }.start()
    }

    /// Stops the server (bounded) and removes its folder.
    func stop() {
        stopper.close()
        _ = done.wait(timeout: .now() + 10)
        try? FileManager.default.removeItem(at: folder)
    }
}
