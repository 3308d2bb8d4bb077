import Foundation

/// A QEMU started for qtest: the CPU stopped before its first instruction (`-S`), so that firmware
/// never touches the PCI configuration ports, nothing but the devices asked for (`-nodefaults`), the
/// qtest protocol on standard input and output, and QMP on a socket pair. It is a supervised child:
/// `quit()`, deinit, exit and fatal signals all end it.
public final class QEMUMachine {
    public struct Options: Sendable {
        /// `pc` for PCI devices, `microvm` for virtio-mmio ones.
        public var machine: String
        /// `-device` values, in order.
        public var devices: [String]
        /// Further arguments, passed as given (`-object`, `-blockdev`, `-netdev`, ...).
        public var arguments: [String]
        /// The program; nil finds qemu-system-x86_64 on PATH.
        public var executable: String?
        /// How long any one exchange with QEMU may take.
        public var timeout: Duration
        /// Run the machine with its CPU parked in a firmware that only halts, instead of stopped before
        /// its first instruction (`-S`). Devices that start only on a running machine (vhost-user's
        /// `virtio_device_should_start`) need it; no firmware touches the PCI bus either way.
        public var parked: Bool

        public init(machine: String = "pc", devices: [String] = [], arguments: [String] = [],
                    executable: String? = nil, timeout: Duration = .seconds(20), parked: Bool = false) {
            self.machine = machine
            self.devices = devices
            self.arguments = arguments
            self.executable = executable
            self.timeout = timeout
            self.parked = parked
        }

        /// The command line after the program's name; `firmware` is the parking firmware's path.
        public func commandLine(firmware: String? = nil) -> [String] {
            ["-machine", machine, "-nodefaults", "-display", "none"] + (firmware.map { ["-bios", $0] } ?? ["-S"])
                + ["-qtest", "stdio", "-qtest-log", "none",
                   "-chardev", "socket,id=cfgspace-qmp,fd=3", "-mon", "chardev=cfgspace-qmp,mode=control"]
                + devices.flatMap { ["-device", $0] } + arguments
        }
    }

    public let options: Options
    public let process: ChildProcess
    /// The parking firmware's folder, removed when the machine goes.
    private let firmwareFolder: TemporaryFolder?
    public let qtest: QTestClient
    let qmp: QMPClient

    public init(_ options: Options) throws(HostError) {
        self.options = options
        let program = try Program.locate("qemu-system-x86_64", explicit: options.executable)
        let firmware = options.parked ? try ParkingFirmware.write() : nil
        firmwareFolder = firmware?.folder
        let (ours, theirs) = try Descriptor.socketPair()
        let process: ChildProcess
        do {
            process = try ChildProcess(executable: program, arguments: options.commandLine(firmware: firmware?.path),
                                       input: .pipe, output: .pipe, errors: .pipe, passing: [theirs.raw])
        } catch {
            firmware?.folder.remove()
            throw error
        }
        theirs.close()
        self.process = process
        // ChildProcess made both pipes; they are there.
        guard let input = process.input, let output = process.output else {
            throw HostError(.system, "QEMU's standard streams were not connected")
        }
        qtest = QTestClient(channel: PipeChannel(input: input, output: output), timeout: options.timeout)
        do {
            qmp = try QMPClient(socket: ours, timeout: options.timeout)
        } catch {
            throw Self.startFailure(process, error)
        }
    }

    deinit {
        process.terminate(grace: .milliseconds(500))
        firmwareFolder?.remove()
    }

    /// Why QEMU did not start, in its own words when it said any.
    private static func startFailure(_ process: ChildProcess, _ error: HostError) -> HostError {
        let ended = process.wait(until: Deadline(in: .seconds(5)))
        process.terminate(grace: .milliseconds(200))
        let said = process.finalErrorText().split(separator: "\n").map { line in
            line.hasPrefix("qemu-system-x86_64: ") ? line.dropFirst("qemu-system-x86_64: ".count) : line
        }.joined(separator: "\n")
        guard !said.isEmpty else {
            return HostError(error.kind, "QEMU did not start (\(ended.map { "\($0)" } ?? "no answer")): \(error.description)")
        }
        return HostError(.refused, said)
    }

    /// Warnings QEMU printed while it ran, one per line.
    public var warnings: [String] {
        process.errorText.split(separator: "\n").map(String.init)
    }

    /// QEMU's version, `7.2.22`, with Debian's package string when there is one.
    public func version() throws(HostError) -> String {
        let answer = try qmp.execute("query-version") as? [String: Any]
        let numbers = answer?["qemu"] as? [String: Any]
        let parts = ["major", "minor", "micro"].map { (numbers?[$0] as? Int).map(String.init) ?? "?" }
        let package = (answer?["package"] as? String).map { $0.isEmpty ? "" : " (\($0.trimmingCharacters(in: .whitespaces)))" } ?? ""
        return parts.joined(separator: ".") + package
    }

    /// QMP's `query-pci`: every function on bus 0 with its qdev id.
    func pciDevices() throws(HostError) -> [[String: Any]] {
        let buses = try qmp.execute("query-pci") as? [[String: Any]] ?? []
        return buses.flatMap { $0["devices"] as? [[String: Any]] ?? [] }
    }

    /// The guest's RAM in bytes (QMP `query-memory-size-summary`, base-memory).
    public func ramSize() throws(HostError) -> UInt64 {
        let answer = try qmp.execute("query-memory-size-summary") as? [String: Any]
        guard let bytes = (answer?["base-memory"] as? NSNumber)?.uint64Value else {
            throw HostError(.protocolViolation, "QEMU's query-memory-size-summary gave no base-memory")
        }
        return bytes
    }

    /// Where QEMU put the PCI device with qdev id `id`.
    public func pciAddress(ofDevice id: String) throws(HostError) -> PCIFunction.Address? {
        for entry in try pciDevices() where entry["qdev_id"] as? String == id {
            guard let slot = entry["slot"] as? Int, let function = entry["function"] as? Int else { continue }
            return PCIFunction.Address(bus: entry["bus"] as? Int ?? 0, slot: slot, function: function)
        }
        return nil
    }

    /// The machine's migration stream, taken through a pipe (QMP `getfd`, then `migrate fd:`): the
    /// state QEMU would send to another QEMU, devices' configuration included. The VM stays stopped.
    public func migrationStream(timeout: Duration = .seconds(20)) throws(HostError) -> [UInt8] {
        let (read, write) = try Descriptor.pipe()
        try qmp.execute("getfd", ["fdname": "cfgspace-migration"], passing: write.raw)
        write.close()
        let collector = StreamCollector(read, limit: 1 << 30)
        try qmp.execute("migrate", ["uri": "fd:cfgspace-migration"])
        let deadline = Deadline(in: timeout)
        while true {
            let state = try qmp.execute("query-migrate") as? [String: Any]
            switch state?["status"] as? String {
            case "completed":
                return collector.waitForEnd(until: deadline)
            case "failed", "cancelled":
                throw HostError(.refused, "QEMU could not migrate: \(state?["error-desc"] as? String ?? "no reason given")")
            default:
                guard !deadline.hasPassed else { throw HostError(.timeout, "QEMU's migration did not finish in \(timeout.spoken)") }
                usleep(2000)
            }
        }
    }

    /// Ends QEMU: SIGTERM (qtest's own way, as libqtest does it), then SIGKILL.
    public func quit() {
        process.terminate(grace: .seconds(2))
    }
}
