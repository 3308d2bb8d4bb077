/// The line protocol of QEMU's `-qtest` (qtest.c `qtest_process_command`): port I/O and guest
/// memory accesses, each answered with `OK`, `OK <value>` or `FAIL <reason>`. With the CPU stopped
/// (`-S`), these accesses are the only activity on the machine's buses.
///
/// Every reply is checked: a value that does not fit the access, a reply that is neither OK nor
/// FAIL, or silence past the deadline is an error, never a guess.
public final class QTestClient {
    /// Where the protocol's lines travel: QEMU's standard input and output, or a test's script.
    public protocol Channel: AnyObject {
        func send(_ line: String, until deadline: Deadline) throws(HostError)
        /// The next line, or nil at end of stream.
        func receive(until deadline: Deadline) throws(HostError) -> String?
    }

    private let channel: any Channel
    private let timeout: Duration
    /// How many commands went over the wire: the cost of a probe, for its report.
    public private(set) var commandCount = 0

    public init(channel: any Channel, timeout: Duration = .seconds(10)) {
        self.channel = channel
        self.timeout = timeout
    }

    /// Sends one command and returns the words after `OK`.
    @discardableResult
    public func command(_ line: String) throws(HostError) -> [Substring] {
        let deadline = Deadline(in: timeout)
        try channel.send(line, until: deadline)
        commandCount += 1
        return try reply(to: line, until: deadline)
    }

    /// The next reply, for `line`: the words after OK, or an error.
    private func reply(to line: String, until deadline: Deadline) throws(HostError) -> [Substring] {
        while true {
            guard let reply = try channel.receive(until: deadline) else {
                throw HostError(.protocolViolation, "QEMU closed the qtest channel after '\(line)'")
            }
            let words = reply.split(separator: " ")
            switch words.first {
            case "OK": return words.dropFirst().map { $0 }
            case "FAIL":
                throw HostError(.refused, "qtest refused '\(line)': \(words.dropFirst().joined(separator: " "))")
            case "IRQ":
                // Interrupt notices arrive between replies once interrupts are intercepted.
                continue
            default:
                throw HostError(.protocolViolation, "unexpected qtest reply to '\(line)': '\(reply.prefix(120))'")
            }
        }
    }

    /// Sends commands without waiting between them, then takes their replies in order: one round
    /// trip for many accesses. Batches stay small enough that neither side's pipe can fill while the
    /// other waits.
    public func pipeline(_ lines: [String]) throws(HostError) -> [[Substring]] {
        var replies: [[Substring]] = []
        replies.reserveCapacity(lines.count)
        var start = 0
        while start < lines.count {
            let batch = lines[start..<min(start + 256, lines.count)]
            let deadline = Deadline(in: timeout)
            try channel.send(batch.joined(separator: "\n"), until: deadline)
            commandCount += batch.count
            for line in batch { replies.append(try reply(to: line, until: deadline)) }
            start += batch.count
        }
        return replies
    }

    /// Memory or port reads of one width each, pipelined; each value checked against its width.
    public func read(_ accesses: [(address: UInt64, width: Int, port: Bool)]) throws(HostError) -> [UInt64] {
        var lines: [String] = []
        for access in accesses {
            let mnemonic = try Self.mnemonic(access.width)
            lines.append((access.port ? "in" : "read") + mnemonic + " 0x" + String(access.address, radix: 16))
        }
        let replies = try pipeline(lines)
        var values: [UInt64] = []
        for (index, words) in replies.enumerated() {
            values.append(try Self.number(words, for: lines[index], width: accesses[index].width))
        }
        return values
    }

    /// A command whose reply carries one number that must fit `width` bytes.
    private func value(_ line: String, width: Int) throws(HostError) -> UInt64 {
        try Self.number(try command(line), for: line, width: width)
    }

    private static func number(_ words: [Substring], for line: String, width: Int) throws(HostError) -> UInt64 {
        guard words.count == 1, let number = Self.parseNumber(words[0]) else {
            throw HostError(.protocolViolation, "qtest answered '\(line)' with '\(words.joined(separator: " "))', not a number")
        }
        guard width >= 8 || number >> UInt64(8 * width) == 0 else {
            throw HostError(.protocolViolation, "qtest answered the \(width)-byte access '\(line)' with \(words[0]), "
                            + "which does not fit")
        }
        return number
    }

    static func parseNumber(_ text: Substring) -> UInt64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) }
        return UInt64(text)
    }

    private static func mnemonic(_ width: Int) throws(HostError) -> String {
        switch width {
        case 1: "b"
        case 2: "w"
        case 4: "l"
        case 8: "q"
        default: throw HostError(.protocolViolation, "no \(width)-byte access exists")
        }
    }

    // MARK: - Port I/O

    public func portRead(_ width: Int, _ port: UInt16) throws(HostError) -> UInt32 {
        guard width != 8 else { throw HostError(.protocolViolation, "port I/O has no 8-byte access") }
        return UInt32(truncatingIfNeeded: try value("in\(try Self.mnemonic(width)) 0x\(String(port, radix: 16))", width: width))
    }

    public func portWrite(_ width: Int, _ port: UInt16, _ value: UInt32) throws(HostError) {
        guard width != 8 else { throw HostError(.protocolViolation, "port I/O has no 8-byte access") }
        try command("out\(try Self.mnemonic(width)) 0x\(String(port, radix: 16)) 0x\(String(value, radix: 16))")
    }

    // MARK: - Memory

    public func memoryRead(_ width: Int, _ address: UInt64) throws(HostError) -> UInt64 {
        try value("read\(try Self.mnemonic(width)) 0x\(String(address, radix: 16))", width: width)
    }

    public func memoryWrite(_ width: Int, _ address: UInt64, _ value: UInt64) throws(HostError) {
        try command("write\(try Self.mnemonic(width)) 0x\(String(address, radix: 16)) 0x\(String(value, radix: 16))")
    }
}

/// The qtest channel over QEMU's standard input and output.
final class PipeChannel: QTestClient.Channel {
    private let input: Descriptor
    private let lines: LineReader

    init(input: Descriptor, output: Descriptor) {
        self.input = input
        lines = LineReader(output, what: "QEMU's qtest channel")
    }

    func send(_ line: String, until deadline: Deadline) throws(HostError) {
        try input.write(Array((line + "\n").utf8), until: deadline, what: "QEMU's qtest channel")
    }

    func receive(until deadline: Deadline) throws(HostError) -> String? {
        try lines.next(until: deadline)
    }
}
