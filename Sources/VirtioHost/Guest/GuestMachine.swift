import Foundation

/// QEMU booting the guest image under TCG with a serial console on its standard output: the guest's
/// init reports on the console and powers off. Every wait is bounded by the machine's deadline; the
/// QEMU process runs in its own process group and is killed and reaped on every exit path. With
/// `qmp`, QEMU's monitor is on one end of a socket pair (QEMU holds the other as descriptor 3), so
/// commands can change a device while the guest runs and no socket file is left anywhere.
public final class GuestMachine {
    public struct Options: Sendable {
        public var image: GuestImage
        public var cpus: Int
        public var memoryMiB: Int
        /// Room for memory devices beyond the RAM (`-m ...,maxmem=`); 0 for none.
        public var deviceMemoryMiB: Int
        /// `cfgspace.expect=blk` and the like, after the console settings.
        public var kernelArguments: [String]
        /// QEMU arguments for the devices (`-device`, `-chardev`, `-netdev`).
        public var arguments: [String]
        /// Guest memory as a shareable memfd, as a vhost-user back-end needs.
        public var sharedMemory: Bool
        /// QEMU's monitor, for commands while the guest runs (`balloon`, `qom-set`).
        public var qmp: Bool
        /// QEMU's `-cpu`; nil for its default (qemu64, which lacks the SSE4.2 DPDK needs).
        public var cpu: String?
        public var executable: String?
        /// The whole boot, from start to power-off.
        public var timeout: Duration

        public init(image: GuestImage, cpus: Int = 2, memoryMiB: Int = 512, deviceMemoryMiB: Int = 0,
                    kernelArguments: [String] = [], arguments: [String] = [], sharedMemory: Bool = false,
                    qmp: Bool = false, cpu: String? = nil, executable: String? = nil, timeout: Duration = .seconds(120)) {
            self.image = image
            self.cpus = cpus
            self.memoryMiB = memoryMiB
            self.deviceMemoryMiB = deviceMemoryMiB
            self.kernelArguments = kernelArguments
            self.arguments = arguments
            self.sharedMemory = sharedMemory
            self.qmp = qmp
            self.cpu = cpu
            self.executable = executable
            self.timeout = timeout
        }
    }

    public let process: ChildProcess
    /// The guest's memory, as QEMU was told it.
    public let memoryMiB: Int
    public private(set) var report = GuestReport()
    /// This end of the monitor's socket pair, until the first command connects to it.
    private var monitorSocket: Descriptor?
    private var monitor: QMPClient?
    private let lines: LineReader
    private let deadline: Deadline
    private let timeout: Duration

    public init(_ options: Options) throws(HostError) {
        let qemu = try Program.locate("qemu-system-x86_64", explicit: options.executable)
        var machine = "pc,accel=tcg"
        var arguments: [String] = []
        if options.sharedMemory {
            machine += ",memory-backend=cfgspace-mem"
            arguments += ["-object", "memory-backend-memfd,id=cfgspace-mem,size=\(options.memoryMiB)M,share=on"]
        }
        // panic=-1 and -no-reboot: a guest that panics ends the run at once instead of hanging it.
        let append = (["console=ttyS0", "loglevel=3", "panic=-1"] + options.kernelArguments).joined(separator: " ")
        let maxmem = options.deviceMemoryMiB > 0 ? ",maxmem=\(options.memoryMiB + options.deviceMemoryMiB)M" : ""
        if let cpu = options.cpu { arguments += ["-cpu", cpu] }
        arguments += ["-machine", machine, "-smp", String(options.cpus), "-m", "\(options.memoryMiB)M" + maxmem,
                      "-kernel", options.image.kernel, "-initrd", options.image.initrd, "-append", append,
                      "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot"]
        // QEMU takes the monitor's end as descriptor 3 (the first passed), as QEMUMachine does.
        var theirs: Descriptor?
        if options.qmp {
            let pair = try Descriptor.socketPair()
            (monitorSocket, theirs) = (pair.0, pair.1)
            arguments += ["-chardev", "socket,id=cfgspace-qmp,fd=3", "-mon", "chardev=cfgspace-qmp,mode=control"]
        }
        process = try ChildProcess(executable: qemu, arguments: arguments + options.arguments, output: .pipe,
                                   passing: theirs.map { [$0.raw] } ?? [])
        theirs?.close()
        memoryMiB = options.memoryMiB
        guard let output = process.output else { throw HostError(.system, "QEMU's console has no pipe") }
        lines = LineReader(output, what: "the guest's console")
        deadline = Deadline(in: options.timeout)
        timeout = options.timeout
    }

    deinit { _ = process.terminate() }

    /// Runs a QMP command while the guest runs (the monitor is greeted on first use, so a QEMU that
    /// failed to start is reported by its console, not by a silent monitor).
    @discardableResult
    public func execute(_ command: String, _ arguments: [String: Any] = [:]) throws(HostError) -> Any {
        if monitor == nil {
            guard let socket = monitorSocket else { throw HostError(.refused, "the guest machine was started without QMP") }
            monitor = try QMPClient(socket: socket)
        }
        guard let monitor else { throw HostError(.refused, "QEMU's monitor is not connected") }
        return try monitor.execute(command, arguments)
    }

    /// Reads the console until `key` is reported (its value), or the guest ends (nil). A key
    /// reported already is answered at once.
    public func waitFor(_ key: String) throws(HostError) -> String? {
        if let value = report.value(key) { return value }
        while let line = try nextLine() {
            if let entry = report.take(line), entry.key == key { return entry.value }
        }
        return nil
    }

    /// Reads the console to the guest's power-off and waits for QEMU to exit.
    public func finish() throws(HostError) -> GuestReport {
        while let line = try nextLine() { report.take(line) }
        guard process.wait(until: Deadline(in: .seconds(10))) != nil else {
            throw HostError(.timeout, "QEMU did not exit after the guest's console closed")
        }
        return report
    }

    private func nextLine() throws(HostError) -> String? {
        do {
            return try lines.next(until: deadline)
        } catch where error.kind == .timeout {
            _ = process.terminate()
            throw HostError(.timeout, "the guest did not power off within \(timeout); its console ended with:\n"
                            + report.console.suffix(10).joined(separator: "\n"))
        }
    }
}
