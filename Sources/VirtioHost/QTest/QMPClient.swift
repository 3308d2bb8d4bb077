import CVirtioHost
import Foundation

/// QEMU's machine protocol (QMP, docs/interop/qmp-spec.txt) over one end of a socket pair whose
/// other end QEMU holds: a greeting, `qmp_capabilities`, then one JSON command per line, each
/// answered by a `return` or an `error`, with events in between. A command may carry a descriptor
/// (SCM_RIGHTS), as `getfd` needs.
final class QMPClient {
    private let socket: Descriptor
    private let lines: LineReader
    private let timeout: Duration

    init(socket: Descriptor, timeout: Duration = .seconds(10)) throws(HostError) {
        self.socket = socket
        self.timeout = timeout
        lines = LineReader(socket, what: "QEMU's QMP monitor")
        guard let greeting = try lines.next(until: Deadline(in: timeout)), greeting.contains("\"QMP\"") else {
            throw HostError(.protocolViolation, "QEMU's QMP monitor did not greet")
        }
        _ = try execute("qmp_capabilities")
    }

    /// Runs a command and returns its `return` value; a QMP error is thrown in QEMU's words.
    @discardableResult
    func execute(_ command: String, _ arguments: [String: Any] = [:], passing descriptor: Int32? = nil) throws(HostError) -> Any {
        var message: [String: Any] = ["execute": command]
        if !arguments.isEmpty { message["arguments"] = arguments }
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])
        } catch {
            throw HostError(.protocolViolation, "QMP command '\(command)' cannot be written as JSON")
        }
        let bytes = Array(data) + [UInt8(ascii: "\n")]
        let deadline = Deadline(in: timeout)
        if let descriptor {
            try socket.send(bytes, descriptors: [descriptor], until: deadline, what: "QEMU's QMP monitor")
        } else {
            try socket.write(bytes, until: deadline, what: "QEMU's QMP monitor")
        }
        while true {
            guard let line = try lines.next(until: deadline) else {
                throw HostError(.protocolViolation, "QEMU closed its QMP monitor during '\(command)'")
            }
            guard let reply = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw HostError(.protocolViolation, "QMP answered '\(command)' with something not JSON: '\(line.prefix(120))'")
            }
            if reply["event"] != nil { continue }
            if let error = reply["error"] as? [String: Any] {
                throw HostError(.refused, "QEMU refused '\(command)': \(error["desc"] as? String ?? "\(error)")")
            }
            if let value = reply["return"] { return value }
            throw HostError(.protocolViolation, "QMP answered '\(command)' with neither return nor error")
        }
    }
}
