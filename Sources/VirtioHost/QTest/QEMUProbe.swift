import ConfigLayout
import VirtioModel

/// `cfgspace probe qemu`: starts QEMU with one virtio device, drives it as a driver would over qtest,
/// and holds what it serves against cfgspace's layout, its QEMU sizing and what QEMU's properties
/// promise.
public enum QEMUProbe {
    public struct Options: Sendable {
        /// The `-device` value: `virtio-net-pci,mq=off,host_mtu=9000`.
        public var device: String
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

        public init(device: String, layout: (path: String, device: Device)? = nil, drivers: [String] = [], cpus: Int = 1,
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

    /// The qdev id a probe gives its device when the spec names none.
    static let probeID = "cfgspace-probe"

    /// A warning the probe itself causes, not the device: a NIC made with no -netdev has no peer
    /// (net_check_clients in QEMU 7.2's net/net.c), which changes nothing the probe reads.
    static func isOwnNoise(_ warning: String) -> Bool {
        warning.hasSuffix("warning: nic \(probeID) has no peer")
    }

    public static func run(_ options: Options) throws(HostError) -> QEMUProbeResult {
        let requested = try QEMUDeviceSpec.parse(options.device).get()
        let type = QEMUDeviceType.forDriver(requested.driver)
        let id = requested.value("id") ?? probeID
        let (started, machineOptions) = Self.machineOptions(for: requested, options)
        let machine: QEMUMachine
        do {
            machine = try QEMUMachine(machineOptions)
        } catch where options.machine != nil {
            throw HostError(error.kind, "\(error.description) (--machine \(machineOptions.machine))")
        }
        defer { machine.quit() }
        // What the machine type, -global and -device set, as the sizing and the checks read them.
        let properties = QEMUDeviceProperties(machine: machineOptions.machine, spec: started,
                                              qemuArguments: options.qemuArguments)
        let version = try machine.version()
        let target = try ProbeTarget.locate(on: machine, id: id)
        let layoutPath: String, device: Device
        if let given = options.layout {
            (layoutPath, device) = given
        } else {
            let builtin = try ProbeTarget.layout(forID: target.virtioID, likely: type?.layout,
                                                 includeFolders: options.includeFolders)
            (layoutPath, device) = (builtin.path, builtin.device.asOf(nil))
        }
        let registers = target.primary

        // Negotiate everything offered, as a driver that knows every feature would.
        try registers.reset()
        try registers.writeStatus(DeviceStatus.acknowledge.rawValue)
        try registers.writeStatus(DeviceStatus([.acknowledge, .driver]).rawValue)
        let offered = FeatureSet(words: pairs(try registers.deviceFeatures(windows: 4)))
        // A driver accepts only what it knows: here, every bit the layout declares. (QEMU's legacy
        // interface offers VIRTIO_F_BAD_FEATURE, bit 30, to catch drivers that accept everything.)
        let wanted = offered.intersection(FeatureSet(bits: device.allFeatures.filter { !$0.isLegacyOnly || !registers.isModern }.map(\.bit)))
        let accepted = try negotiate(registers, offered: wanted)
        let fixed = Layout(device: device, features: offered, interpretation: .fixed)
        var selections: [QEMUProbeResult.Selection] = []
        for selector in device.selectors { selections += try SelectionProbe(registers: registers, layout: fixed).run(selector) }
        let encoding = ConfigImage.Encoding(isModern: registers.isModern && device.isSet("VERSION_1", in: offered),
                                            guestIsLittleEndian: true)
        // A field-sized array can reach well past the fixed struct: read far enough to see it end.
        let flexible = fixed.fields.contains { if case .flexible = $0.field.type { true } else { false } }
        let readCount = min(registers.configWindow, max(Layout(device: device, features: offered, interpretation: .fixed,
                                                               sizing: .qemu).qemuSize(with: properties.qemu), fixed.size)
                                                        + (flexible ? 288 : 32))
        let reader = ConfigReader(registers: registers)
        let generation = try registers.readGeneration()
        let bytes = try reader.read(count: readCount, layout: fixed)
        let predicted = predictedLength(device, offered: offered, properties: properties.qemu, selections: selections,
                                        bytes: bytes, encoding: encoding)
        let lowerBound = (bytes.lastIndex { $0 != 0xff } ?? -1) + 1

        let legacyViews = try readLegacyViews(target, count: readCount, layout: fixed)
        let label = "QEMU \(started.driver) at \(target.location)"
        let runs = try options.drivers.map { driver throws(HostError) in
            try runDriver(driver, registers: registers, label: label, device: device, offered: offered,
                          configBytes: bytes, configSize: predicted, selections: selections, cpus: options.cpus)
        }

        let changeRuns = try options.watchesChanges ? watchChanges(machine, target: target, id: id, device: device,
                                                                  offered: wanted, configSize: predicted,
                                                                  properties: properties.qemu, label: label) : []

        // Settle the device in a known state, refresh its config, and read the length QEMU migrates.
        let settledStatus = try negotiate(registers, offered: wanted, settle: true)
        let settledBytes = try reader.read(count: readCount, layout: fixed)
        let length = exactLength(machine, target: target, status: settledStatus, offered: wanted, registers: registers,
                                 served: settledBytes, lowerBound: lowerBound)
        let pastEnd = try reader.readPastEnd(length.value).map { QEMUProbeResult.PastEndRead(offset: $0.offset, width: $0.width, bytes: $0.bytes) }

        let fields = analyse(bytes, device: device, offered: offered, length: length.value, encoding: encoding)
        let known = Set(device.allFeatures.map(\.bit))
        let findings = ProbeChecks(device: device, type: type, started: started, properties: properties, offered: offered,
                                   length: length, predicted: predicted, selections: selections, bytes: bytes,
                                   encoding: encoding, fields: fields, pastEnd: pastEnd,
                                   featuresAccepted: accepted, legacyViews: legacyViews, virtioID: target.virtioID)
        return QEMUProbeResult(
            qemuVersion: version, requested: requested, started: started, machine: machine.options.machine,
            properties: properties,
            qemuArguments: machine.options.commandLine(), location: target.location, isTransitional: target.isTransitional,
            transport: registers.transportName, isModern: registers.isModern, layoutPath: layoutPath, device: device, offered: offered,
            unknownBits: offered.bits.filter { !known.contains($0) }, featuresAccepted: accepted, generation: generation,
            bytes: bytes, length: length, predictedLength: predicted, pastEnd: pastEnd, legacyViews: legacyViews,
            selections: selections, fields: fields, checks: findings.all(), warnings: machine.warnings.filter { !Self.isOwnNoise($0) }, driverRuns: runs,
            changeRuns: changeRuns,
            qtestCommands: machine.qtest.commandCount, qemuProcess: machine.process.pid)
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

    /// How QEMU is started for a device: the device with its qdev id and harmless backend, the machine
    /// its transport needs, and 16 MiB of RAM unless someone asked for more (a smaller stream to
    /// migrate, a faster start; nothing runs in it).
    public static func machineOptions(for requested: QEMUDeviceSpec, _ options: Options) -> (QEMUDeviceSpec, QEMUMachine.Options) {
        let id = requested.value("id") ?? probeID
        let type = QEMUDeviceType.forDriver(requested.driver)
        let (started, backend) = type?.realize(requested.adding("id", id)) ?? (requested.adding("id", id), [])
        var arguments = backend + options.qemuArguments
        if !arguments.contains("-m") { arguments += ["-m", "16M"] }
        return (started, .init(machine: options.machine ?? QEMUDeviceType.machine(for: requested.driver),
                               devices: [started.description],
                               arguments: arguments, executable: options.qemu, timeout: options.timeout))
    }

    /// 32-bit windows as 64-bit words.
    static func pairs(_ windows: [UInt32]) -> [UInt64] {
        stride(from: 0, to: windows.count, by: 2).map { index in
            UInt64(windows[index]) | (index + 1 < windows.count ? UInt64(windows[index + 1]) << 32 : 0)
        }
    }

    /// Writes every offered feature and sets FEATURES_OK (modern interfaces): whether the device kept
    /// it, or nil on a legacy interface. With `settle`, resets first and returns nothing of note.
    @discardableResult
    static func negotiate(_ registers: any VirtioRegisters, offered: FeatureSet, settle: Bool) throws(HostError) -> UInt8 {
        if settle {
            try registers.reset()
            try registers.writeStatus(DeviceStatus([.acknowledge, .driver]).rawValue)
        }
        _ = try negotiate(registers, offered: offered)
        return try registers.readStatus()
    }

    private static func negotiate(_ registers: any VirtioRegisters, offered: FeatureSet) throws(HostError) -> Bool? {
        let windows = registers.isModern ? max(2, (offered.bits.last ?? 0) / 32 + 1) : 1
        for window in 0..<windows { try registers.writeDriverFeatures(window: window, offered.window(window)) }
        guard registers.isModern else { return nil }
        let status = DeviceStatus([.acknowledge, .driver, .featuresOK])
        try registers.writeStatus(status.rawValue)
        return DeviceStatus(rawValue: try registers.readStatus()).contains(.featuresOK)
    }

    /// The configuration through the legacy interface of a transitional function: at 20, then at 24
    /// with MSI-X enabled. The device is reset before and after.
    private static func readLegacyViews(_ target: ProbeTarget, count: Int, layout: Layout) throws(HostError) -> [QEMUProbeResult.LegacyView] {
        guard target.isTransitional, target.primary.isModern, let function = target.function else { return [] }
        var views: [QEMUProbeResult.LegacyView] = []
        for msix in [false, true] {
            if msix, !(try function.enableMSIX()) { break }
            guard let legacy = VirtioPCILegacy(function: function, deviceID: target.virtioID, msixEnabled: msix) else { break }
            try legacy.reset()
            try legacy.writeStatus(DeviceStatus([.acknowledge, .driver]).rawValue)
            let features = try legacy.readDeviceFeatures(window: 0)
            try legacy.writeDriverFeatures(window: 0, features)
            let bytes = try ConfigReader(registers: legacy).read(count: min(count, legacy.configWindow), layout: layout)
            views.append(.init(configOffset: legacy.configOffset, bytes: bytes, offered: FeatureSet(words: [UInt64(features)])))
            try legacy.reset()
        }
        return views
    }

    /// A driver model's run on the device, and the same run on the `qemu` model set up as the device is.
    private static func runDriver(_ name: String, registers: any VirtioRegisters, label: String, device: Device,
                                  offered: FeatureSet, configBytes: [UInt8], configSize: Int,
                                  selections: [QEMUProbeResult.Selection], cpus: Int) throws(HostError) -> QEMUProbeResult.DriverRun {
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
        for selection in selections {
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
    private static func watchChanges(_ machine: QEMUMachine, target: ProbeTarget, id: String, device: Device,
                                     offered: FeatureSet, configSize: Int, properties: QemuProperties,
                                     label: String) throws(HostError) -> [QEMUProbeResult.ChangeRun] {
        let registers = target.primary
        // The cases need FEATURES_OK and a generation register: a modern interface.
        guard registers.isModern else { return [] }
        let run = ConfigChangeRun(machine: machine, registers: registers, label: label + " (\(registers.transportName))",
                                  device: device, offered: offered, configSize: configSize, properties: properties)
        let cases = ConfigChangeRun.cases(for: device, id: id, ramSize: try machine.ramSize())
        var runs: [QEMUProbeResult.ChangeRun] = []
        for change in cases { runs.append(try run.run(change)) }
        return runs
    }

    /// The length from the migration stream, or the lower bound with the reason.
    private static func exactLength(_ machine: QEMUMachine, target: ProbeTarget, status: UInt8, offered: FeatureSet,
                                    registers: any VirtioRegisters, served: [UInt8], lowerBound: Int) -> QEMUProbeResult.ConfigLength {
        let stream: [UInt8]
        do {
            stream = try machine.migrationStream()
        } catch {
            return .atLeast(lowerBound, reason: "the migration stream was not available: \(error.description)")
        }
        let featuresLow = offered.window(0)
        if let length = MigrationStream.configLength(in: stream, idPrefix: target.migrationID, status: status,
                                                     featuresLow: featuresLow, served: served, atLeast: lowerBound) {
            return .exact(length)
        }
        return .atLeast(lowerBound, reason: "no single place in the migration stream matched the bytes read")
    }

    /// Every leaf field, read at its fixed offset and at the offset a packed reading gives.
    static func analyse(_ bytes: [UInt8], device: Device, offered: FeatureSet, length: Int,
                        encoding: ConfigImage.Encoding) -> [QEMUProbeResult.Field] {
        let fixed = Layout(device: device, features: offered, interpretation: .fixed)
        let packed = Layout(device: device, features: offered, interpretation: .packed)
        let decoded = ConfigDecoder.decode(bytes, layout: fixed, encoding: encoding)
        let packedDecoded = ConfigDecoder.decode(bytes, layout: packed, encoding: encoding)
        return decoded.enumerated().compactMap { index, entry in
            guard let offset = entry.field.offset else { return nil }
            let placed = entry.field
            let packedEntry = packedDecoded.first { $0.field.path == placed.path }
            let packedOffset = packedEntry?.field.offset
            let readsFrom: [String] = packedOffset.map { start in
                guard start != offset else { return [] }
                return fixed.fields.filter { other in
                    guard let otherStart = other.offset, other.path != placed.path else { return false }
                    return otherStart < start + placed.size && start < otherStart + other.size
                }.map(\.path)
            } ?? []
            _ = index
            return QEMUProbeResult.Field(
                path: placed.path, type: placed.field.type.name, condition: placed.field.conditionText, exists: placed.exists,
                isValid: placed.isValid, offset: offset, size: placed.size, isInside: offset + placed.size <= length,
                bytes: entry.bytes, value: entry.value, packedOffset: packedOffset, packedBytes: packedEntry?.bytes,
                packedValue: packedEntry?.value, packedReadsFrom: readsFrom)
        }
    }
}
