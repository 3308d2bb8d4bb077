import VirtioModel

/// The first stage of a QEMU probe: QEMU started with the one device asked for, its qdev id and a
/// harmless backend added, and the properties in force for it (the machine type's compat
/// properties, -global and -device).
struct ProbeMachine {
    /// The qdev id a probe gives its device when the spec names none.
    static let probeID = "cfgspace-probe"

    /// The device as asked for, and as started.
    let requested: QEMUDeviceSpec
    let started: QEMUDeviceSpec
    /// The catalogue's entry for the driver; nil for a driver it does not know.
    let type: QEMUDeviceType?
    /// The device's qdev id.
    let id: String
    let qemu: QEMUMachine
    /// What the machine type, -global and -device set, as the sizing and the checks read them.
    let properties: QEMUDeviceProperties
    let version: String

    /// Starts QEMU for `requested`; the caller quits it.
    static func start(_ requested: QEMUDeviceSpec, _ options: QEMUProbe.Options) throws(HostError) -> ProbeMachine {
        let (started, machineOptions) = Self.options(for: requested, options)
        let qemu: QEMUMachine
        do {
            qemu = try QEMUMachine(machineOptions)
        } catch where options.machine != nil {
            throw HostError(error.kind, "\(error.description) (--machine \(machineOptions.machine))")
        }
        let properties = QEMUDeviceProperties(machine: machineOptions.machine, spec: started,
                                              qemuArguments: options.qemuArguments)
        let version: String
        do {
            version = try qemu.version()
        } catch {
            qemu.quit()
            throw error
        }
        return ProbeMachine(requested: requested, started: started, type: QEMUDeviceType.forDriver(requested.driver),
                            id: requested.value("id") ?? probeID, qemu: qemu, properties: properties, version: version)
    }

    /// How QEMU is started for a device: the device with its qdev id and harmless backend, the machine
    /// its transport needs, and 16 MiB of RAM unless someone asked for more (a smaller stream to
    /// migrate, a faster start; nothing runs in it).
    static func options(for requested: QEMUDeviceSpec, _ options: QEMUProbe.Options) -> (QEMUDeviceSpec, QEMUMachine.Options) {
        let id = requested.value("id") ?? probeID
        let type = QEMUDeviceType.forDriver(requested.driver)
        let (started, backend) = type?.realize(requested.adding("id", id)) ?? (requested.adding("id", id), [])
        var arguments = backend + options.qemuArguments
        if !arguments.contains("-m") { arguments += ["-m", "16M"] }
        return (started, .init(machine: options.machine ?? QEMUDeviceType.machine(for: requested.driver),
                               devices: [started.description],
                               arguments: arguments, executable: options.qemu, timeout: options.timeout))
    }

    /// A warning the probe itself causes, not the device: a NIC made with no -netdev has no peer
    /// (net_check_clients in QEMU 7.2's net/net.c), which changes nothing the probe reads.
    static func isOwnNoise(_ warning: String) -> Bool {
        warning.hasSuffix("warning: nic \(probeID) has no peer")
    }

    /// What the probe tells of the machine once it is done with it.
    func facts() -> QEMUProbeResult.Machine {
        QEMUProbeResult.Machine(qemuVersion: version, requested: requested, started: started, type: qemu.options.machine,
                                properties: properties, arguments: qemu.options.commandLine(),
                                warnings: qemu.warnings.filter { !Self.isOwnNoise($0) },
                                qtestCommands: qemu.qtest.commandCount, process: qemu.process.pid)
    }
}
