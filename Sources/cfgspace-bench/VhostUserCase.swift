import ConfigLayout
import Foundation
import VirtioHost
import VirtioModel

/// Case 7, second half: GET_CONFIG round trips on one connection to `cfgspace serve` (in process,
/// on a thread of its own, as the command runs it), beside a plain echo of the same bytes over a
/// Unix socket pair: the floor any request and reply over a socket pays. The far ends (serve's
/// thread, the echo's) run on CPU 0; the near end (this thread) runs on CPU 0 for one placement and
/// on CPU 1 for the other, so that both pairs always share a placement: left to the scheduler, one
/// pair may share a CPU while the other crosses, and a virtual machine's cross-CPU wake-up costs
/// several times a same-CPU switch.
enum VhostUserCase {
    static func roundTrips(repeats: Int) -> CaseResult {
        var result = CaseResult(number: 7, title: "vhost-user GET_CONFIG round trips on one connection, beside a plain echo",
                                target: "at least 0.5× the echo's rate")
        let iterations = 2000
        do {
            let device = try LayoutLoader().load(argument: "blk").devices.first.unwrapped("the built-in blk layout")
            let served = try ServedDevice(device: device, interpretation: .fixed, offered: ServedDevice.defaultFeatures(of: device),
                                          values: [("capacity", .integer(2_097_152))])
            // What QEMU asks for: offset 0 and the whole struct (60 bytes for blk with every feature).
            let size = served.structSize
            let server = try InProcessServer(served, pinnedTo: 0)
            defer { server.stop() }
            let client = try connect(server.socket)
            defer { client.close() }
            try client.negotiateProtocolFeatures(VhostUserProtocol.Feature.config.mask)

            // The same bytes each way as the GET_CONFIG request and reply: header, config header, body.
            let echo = try EchoPair(messageSize: 12 + 12 + size)
            defer { echo.close() }
            var placements = [("one CPU", 0)]
            if ThreadPlacement.processorCount > 1 { placements.append(("across two CPUs", 1)) }
            var ratios: [Double] = []
            for (placement, cpu) in placements {
                ThreadPlacement.pinCurrentThread(to: cpu)
                let (plain, serve) = try Bench.interleave(
                    ("echo, \(placement)", { try echo.roundTrip() }),
                    ("GET_CONFIG, \(placement)", {
                        guard try client.config(offset: 0, size: size)?.count == size else {
                            throw HostError(.protocolViolation, "serve refused GET_CONFIG")
                        }
                    }), repeats: repeats, iterations: iterations)
                result.measurements += [plain, serve]
                ratios.append(plain.median / serve.median)
                result.figures.append(("\(placement): rates (median)",
                                       String(format: "GET_CONFIG %.0f/s, echo %.0f/s, %.2f× the echo",
                                              1 / serve.median, 1 / plain.median, ratios.last ?? 0)))
            }
            result.notes.append("GET_CONFIG of the whole \(size)-byte struct (blk, every feature); the echo moves "
                                + "\(12 + 12 + size) bytes each way, as the request and reply do")
            result.met = ratios.allSatisfy { $0 >= 0.5 }
        } catch {
            result.notes.append("not measured: \(error)")
        }
        return result
    }

    /// Connects once the server listens (bounded).
    private static func connect(_ socket: String) throws -> VhostUserClient {
        let deadline = Deadline(in: .seconds(5))
        while true {
            do { return try VhostUserClient(connectingTo: socket) } catch {
                if deadline.hasPassed { throw error }
                usleep(1000)
            }
        }
    }
}

/// A thread echoing fixed-size messages over a socket pair with blocking reads and writes.
private final class EchoPair: @unchecked Sendable {
    private let near: Descriptor
    private let far: Descriptor
    private let size: Int
    private var buffer: [UInt8]
    private let done = DispatchSemaphore(value: 0)

    init(messageSize: Int) throws {
        (near, far) = try Descriptor.socketPair()
        size = messageSize
        buffer = [UInt8](repeating: 0x5a, count: messageSize)
        let far = self.far.raw, size = messageSize, done = self.done
        Thread {
            ThreadPlacement.pinCurrentThread(to: 0)
            var echo = [UInt8](repeating: 0, count: size)
            while EchoPair.exchange(read: far, write: far, &echo) {}
            done.signal()
        }.start()
    }

    func roundTrip() throws {
        guard Self.send(near.raw, buffer), Self.receive(near.raw, &buffer) else {
            throw HostError(.protocolViolation, "the echo stopped")
        }
    }

    /// Reads a whole message and writes it back; false at end of stream.
    private static func exchange(read: Int32, write: Int32, _ bytes: inout [UInt8]) -> Bool {
        receive(read, &bytes) && send(write, bytes)
    }

    private static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let wrote = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + sent, $0.count - sent) }
            if wrote <= 0 { if wrote < 0 && errno == EINTR { continue }; return false }
            sent += wrote
        }
        return true
    }

    private static func receive(_ fd: Int32, _ bytes: inout [UInt8]) -> Bool {
        var got = 0
        let count = bytes.count
        while got < count {
            let read = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, count - got) }
            if read <= 0 { if read < 0 && errno == EINTR { continue }; return false }
            got += read
        }
        return true
    }

    func close() {
        near.close()
        _ = done.wait(timeout: .now() + 5)
        far.close()
    }
}


