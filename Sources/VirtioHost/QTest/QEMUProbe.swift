import ConfigLayout
import VirtioModel

/// `cfgspace probe qemu`: starts QEMU with one virtio device, drives it as a driver would over qtest,
/// and holds what it serves against cfgspace's layout, its QEMU sizing and what QEMU's properties
/// promise.
public enum QEMUProbe {
    public struct Options: Sendable {
        /// The `-device` value, parsed once by whoever asks for the probe:
        /// `virtio-net-pci,mq=off,host_mtu=9000`.
        public var device: QEMUDeviceSpec
        /// The layout to hold the device against; nil picks the built-in one by the device's ID.
        public var layout: (path: String, device: Device)?
        /// Driver models to run against the device, by name, each beside the same run on the `qemu`
        /// model; each must drive the device's type.
        public var drivers: [String]
        /// The guest's CPUs the driver models assume, for drivers that size queues by them.
        public var cpus: Int
        public var qemu: String?
        public var qemuArguments: [String]
        public var timeout: Duration
        /// The machine type (`pc-i440fx-4.0`); nil for the driver's usual one, `pc` or `microvm`.
        public var machine: String?
        /// Run the probe's own driver too (`--driver basic`): it watches config_generation while the
        /// config changes through QMP and by its own writes, beside the `qemu` model.
        public var watchesChanges: Bool
        /// Where to look for the device's layout when none is given, before the built-in ones: the
        /// `--include` folders, then `CFGSPACE_PATH`'s.
        public var includeFolders: [String]

        public init(device: QEMUDeviceSpec, layout: (path: String, device: Device)? = nil, drivers: [String] = [], cpus: Int = 1,
                    qemu: String? = nil, qemuArguments: [String] = [], machine: String? = nil,
                    watchesChanges: Bool = false, includeFolders: [String] = [], timeout: Duration = .seconds(20)) {
            self.device = device
            self.includeFolders = includeFolders
            self.machine = machine
            self.watchesChanges = watchesChanges
            self.layout = layout
            self.drivers = drivers
            self.cpus = cpus
            self.qemu = qemu
            self.qemuArguments = qemuArguments
            self.timeout = timeout
        }
    }

    /// How QEMU is started for a device, as the probe's machine stage starts it.
    public static func machineOptions(for requested: QEMUDeviceSpec, _ options: Options) -> (QEMUDeviceSpec, QEMUMachine.Options) {
        ProbeMachine.options(for: requested, options)
    }

    /// The probe in its stages, each a value the next takes: the machine, the target device and
    /// its layout, the negotiated features, the configuration read, the driver models' runs, the
    /// configuration's length (last: the migration stream that gives it stops the machine), and
    /// the verdict.
    public static func run(_ options: Options) throws(HostError) -> QEMUProbeResult {
        let machine = try ProbeMachine.start(options.device, options)
        defer { machine.qemu.quit() }
        let target = try ProbeTarget.locate(on: machine.qemu, id: machine.id)
        let layout = try target.layout(given: options.layout, likely: machine.type?.layout,
                                       includeFolders: options.includeFolders)
        let device = layout.device
        let negotiation = try ProbeNegotiation.negotiate(target.primary, device: device)
        let read = try QEMUConfigRead.read(target, device: device, negotiation: negotiation,
                                           properties: machine.properties.qemu)
        let predicted = predictedLength(device, offered: negotiation.offered, properties: machine.properties.qemu,
                                        selections: read.selections, bytes: read.bytes, encoding: read.encoding)

        let label = "QEMU \(machine.started.driver) at \(target.location)"
        let runs = try options.drivers.map { driver throws(HostError) in
            try runDriver(driver, registers: target.primary, label: label, read: read, configSize: predicted,
                          cpus: options.cpus)
        }
        let changeRuns = try options.watchesChanges
            ? watchChanges(machine, target: target, device: device, offered: negotiation.wanted, configSize: predicted,
                           label: label)
            : []

        let (observation, pastEnd) = try read.measure(on: machine.qemu, target: target)
        let verdict = ProbeVerdict(started: machine.started, type: machine.type, properties: machine.properties,
                                   virtioID: target.virtioID, read: read, observation: observation, pastEnd: pastEnd,
                                   predicted: predicted)
        return QEMUProbeResult(qemu: machine.facts(), target: target.facts(layout: layout), negotiation: negotiation,
                               observation: observation, pastEnd: pastEnd, legacyViews: read.legacyViews,
                               selections: read.selections, predictedLength: predicted, checks: verdict.all(),
                               driverRuns: runs, changeRuns: changeRuns)
    }

    /// cfgspace's QEMU sizing over the offered features and the properties in force; where QEMU
    /// sizes by the values it serves (`selected(u)`), the union's offset plus the largest size the
    /// selections served. A field-sized array's end counts the bytes its length field gives.
    static func predictedLength(_ device: Device, offered: FeatureSet, properties: QemuProperties,
                                selections: [QEMUProbeResult.Selection], bytes: [UInt8],
                                encoding: ConfigImage.Encoding) -> Int {
        let layout = Layout(device: device, features: offered, interpretation: .fixed, sizing: .qemu)
        let values = ConfigDecoder.decode(bytes, layout: layout, encoding: encoding)
        func measure(_ anchor: SizeAnchor) -> Int {
            switch anchor {
            case .selected(let union):
                return layout.measure(.offset(of: union)) + (selections.map(\.size).max() ?? 0)
            case .end(let path):
                guard let field = layout.field(path.joined(separator: ".")), case .flexible(_, let count) = field.field.type,
                      case .integer(let length)? = values.first(where: { $0.field.path == count })?.value else {
                    return layout.measure(anchor)
                }
                return layout.measure(anchor) + Int(clamping: length)
            default:
                return layout.measure(anchor)
            }
        }
        let table = QemuSizeTable(device: device)
        let ends = table.entries.filter { device.holds($0.condition, in: offered) }.map { measure($0.anchor) }
            + table.propertyEntries.filter { properties.isOn($0.property) }.map { measure($0.anchor) }
        return max(measure(device.qemuMinimumSize), ends.max() ?? 0)
    }

    /// A driver model's run on the device, and the same run on the `qemu` model set up as the device is.
    private static func runDriver(_ name: String, registers: any VirtioRegisters, label: String, read: QEMUConfigRead,
                                  configSize: Int, cpus: Int) throws(HostError) -> QEMUProbeResult.DriverRun {
        let (device, offered, configBytes) = (read.device, read.negotiation.offered, read.bytes)
        let simulator = Simulator(device: device)
        guard let driver = DriverKind.named(name, for: device) else {
            throw HostError(.refused, "--driver \(name) does not drive \(device.name); its drivers are "
                            + simulator.drivers.map(\.name).joined(separator: ", "))
        }
        try registers.reset()
        let port = QEMURegisterPort(registers, label: label + " (\(registers.transportName))")
        let real = simulator.run(driver: driver, on: port, offered: offered, configSize: configSize, configBytes: configBytes,
                                 cpus: cpus)
        // What each selection served, for the model to answer select and subsel as the device did.
        var contents: SelectionContents = [:]
        for selection in read.selections {
            contents[ServedDevice.Selection(select: selection.select, subselect: selection.subselect ?? 0)] = selection.bytes
        }
        let (scenario, values) = simulator.scenarioMatching(driver: driver, configBytes: configBytes, configSize: configSize,
                                                            offered: offered, cpus: cpus, selections: contents)
        let model: Outcome
        do {
            model = try simulator.run(scenario, offered: offered, parsed: values)
        } catch {
            throw HostError(.refused, "the qemu model could not take what the device served: \(error.description)")
        }
        return .init(driver: driver, real: real, model: model,
                     differences: TraceDiff.compare(real: real.trace, model: model.trace, device: device))
    }

    /// The config changes the probe's own driver watches on this device, each beside the models.
    private static func watchChanges(_ machine: ProbeMachine, target: ProbeTarget, device: Device, offered: FeatureSet,
                                     configSize: Int, label: String) throws(HostError) -> [QEMUProbeResult.ChangeRun] {
        let registers = target.primary
        // The cases need FEATURES_OK and a generation register: a modern interface.
        guard registers.isModern else { return [] }
        let run = ConfigChangeRun(machine: machine.qemu, registers: registers, label: label + " (\(registers.transportName))",
                                  device: device, offered: offered, configSize: configSize,
                                  properties: machine.properties.qemu)
        let cases = ConfigChangeRun.cases(for: device, id: machine.id, ramSize: try machine.qemu.ramSize())
        var runs: [QEMUProbeResult.ChangeRun] = []
        for change in cases { runs.append(try run.run(change)) }
        return runs
    }
}
