import ConfigLayout
import Spelling

/// Runs scenarios against one device type's layout: the driver and device models that fit it, their
/// defaults, and the runs themselves.
public struct Simulator: Sendable {
    public let device: Device
    /// The catalogues it picks from: every registered model unless told otherwise.
    public let driverKinds: [DriverKind]
    public let deviceKinds: [DeviceKind]

    public init(device: Device, driverKinds: [DriverKind] = DriverKind.all, deviceKinds: [DeviceKind] = DeviceKind.all) {
        self.device = device
        self.driverKinds = driverKinds
        self.deviceKinds = deviceKinds
    }

    /// The driver models that drive this device type, its own first.
    public var drivers: [DriverKind] { DriverKind.available(for: device, in: driverKinds) }

    /// The device models that serve it.
    public var devices: [DeviceKind] { DeviceKind.available(for: device, in: deviceKinds) }

    /// A device kind's default offered features, as far as the layout knows them.
    public func defaultFeatures(_ kind: DeviceKind) -> FeatureSet {
        device.features(named: kind.defaults(device).features)
    }

    /// Why a driver and a device model cannot run against this layout, if they cannot.
    func check(_ scenario: Scenario) throws(ScenarioError) {
        let (driver, model) = (scenario.driver, scenario.device)
        if let layout = driver.layout, layout != device.name {
            throw ScenarioError("\(driver.name) drives \(layout), not \(device.name); \(device.name)'s drivers are "
                                + drivers.map(\.name).joined(separator: ", "))
        }
        if let layout = model.layout, layout != device.name {
            throw ScenarioError("\(model.name) models \(layout), not \(device.name); \(device.name)'s device models are "
                                + devices.map(\.name).joined(separator: ", "))
        }
        let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        let missing = driver.fields.filter { layout.field($0) == nil }
        if !missing.isEmpty {
            throw ScenarioError("\(driver.name) reads fields '\(device.name)' lacks: " + missing.joined(separator: ", "))
        }
    }

    /// The values a scenario gives the device: its defaults, then the scenario's, checked by type.
    func values(for scenario: Scenario) throws(ScenarioError) -> [(field: String, value: FieldValue)] {
        let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        var result: [(field: String, value: FieldValue)] = []
        // Defaults name fields of the standard layout; a layout of the user's own may lack some.
        let defaults = scenario.device.defaults(device).values.filter { layout.field($0.field) != nil }
        for (name, text) in defaults + scenario.values {
            guard let placed = layout.field(name) else {
                let hint = Suggestion.closest(to: name, in: layout.fields.map(\.path)).map { "; did you mean '\($0)'?" } ?? ""
                throw ScenarioError("'\(name)' is not a field of \(device.name)\(hint)")
            }
            if let settable = scenario.device.settableFields, !settable.contains(name) {
                throw ScenarioError("\(scenario.device.name) keeps no value for \(name); it keeps "
                                    + settable.joined(separator: ", "))
            }
            switch FieldValue.parse(text, for: placed.field) {
            case .failure(let error): throw ScenarioError("\(name)=\(text): \(error.description)")
            case .success(let value):
                result.removeAll { $0.field == name }
                result.append((name, value))
            }
        }
        return result
    }

    public func run(_ scenario: Scenario) throws(ScenarioError) -> Outcome {
        try check(scenario)
        let prepared = try prepare(scenario)
        return try run(scenario, offered: prepared.offered, values: prepared.values)
    }

    /// What a scenario's device offers and the values it serves, parsed: what `run(_:offered:parsed:)`
    /// takes, for running one scenario many times.
    public func prepare(_ scenario: Scenario) throws(ScenarioError) -> (offered: FeatureSet, values: [(field: String, value: FieldValue)]) {
        (scenario.features.resolve(defaults: defaultFeatures(scenario.device)), try values(for: scenario))
    }

    func run(_ scenario: Scenario, offered: FeatureSet, values: [(field: String, value: FieldValue)]) throws(ScenarioError) -> Outcome {
        let trace = Trace()
        let parameters = DeviceParameters(offered: offered, values: values.map { ($0.field, $0.value) },
                                          pastEnd: scenario.pastEnd, guestIsLittleEndian: scenario.hostIsLittleEndian,
                                          selections: scenario.selections ?? scenario.device.defaults(device).selections)
        let model = try scenario.device.make(device, parameters, trace)
        return run(scenario, model: model, values: values, trace: trace)
    }

    /// Runs a driver model against a real device over virtio-pci, the way it runs against the `qemu`
    /// model: same transport, same rules, same trace. `configBytes` and `configSize` are what a probe
    /// of the device found.
    public func run(driver: DriverKind, on port: any RegisterPort, offered: FeatureSet, configSize: Int,
                    configBytes: [UInt8], cpus: Int = 1) -> Outcome {
        let trace = Trace()
        let remote = RemoteDevice(port: port, name: DeviceKind.qemu.name, device: device, offered: offered,
                                  configSize: configSize, configBytes: configBytes, trace: trace)
        let values = device.config == nil ? [] : remote.image.layout.fields.compactMap { placed in
            remote.image.value(placed.path).map { (field: placed.path, value: $0) }
        }
        var outcome = run(Scenario(driver: driver, device: .qemu, bus: .direct, cpus: cpus), model: remote, values: values,
                          trace: trace)
        outcome.realDevice = port.label
        outcome.realDeviceFailure = port.failure
        return outcome
    }

    /// The `qemu` model set up as a probe found a real device: its offered features and the values it
    /// served. A run on it is the reference a run on the real device is held against.
    public func scenarioMatching(driver: DriverKind, configBytes: [UInt8], configSize: Int, offered: FeatureSet,
                                 cpus: Int = 1, selections: SelectionContents = [:])
        -> (scenario: Scenario, values: [(field: String, value: FieldValue)]) {
        let layout = Layout(device: device, features: offered, interpretation: .fixed)
        let encoding = ConfigImage.Encoding(isModern: device.has("VERSION_1", in: offered), guestIsLittleEndian: true)
        let values = ConfigDecoder.decode(Array(configBytes.prefix(configSize)), layout: layout, encoding: encoding)
            .compactMap { decoded in decoded.value.map { (field: decoded.field.path, value: $0) } }
        return (Scenario(driver: driver, device: .qemu, bus: .direct, features: .exactly(offered), cpus: cpus,
                         selections: selections), values)
    }

    /// A device model of `kind` offering `offered` and holding `values`, for driving by hand (a
    /// differential run beside a real device).
    public func model(_ kind: DeviceKind, offered: FeatureSet, values: [(field: String, value: FieldValue)],
                      trace: Trace) throws(ScenarioError) -> DeviceModel {
        try kind.make(device, DeviceParameters(offered: offered, values: values.map { ($0.field, $0.value) },
                                               pastEnd: nil, guestIsLittleEndian: true), trace)
    }

    /// Runs a scenario with values already parsed (the reference run for a real device).
    public func run(_ scenario: Scenario, offered: FeatureSet, parsed values: [(field: String, value: FieldValue)]) throws(ScenarioError) -> Outcome {
        try run(scenario, offered: offered, values: values)
    }

    private func run(_ scenario: Scenario, model: DeviceModel, values: [(field: String, value: FieldValue)], trace: Trace) -> Outcome {
        let offered = model.offered
        let bus = scenario.bus ?? scenario.device.defaultBus
        let driver = scenario.driver.model
        let transport: any Transport = switch bus {
        case .direct: PCITransport(device: model, trace: trace)
        case .vdpa: VDPABus(device: model, trace: trace, front: driver.vdpaFront, legacyPath: true)
        case .vdpaModern: VDPABus(device: model, trace: trace, front: driver.vdpaFront, legacyPath: false)
        }
        // The driver reads the layout as offsetof does: the fixed one over the offered features,
        // which a fixed model's image already holds.
        let served = model.image.layout
        let layout = served.interpretation == .fixed && served.features == offered && served.sizing == .full
            ? served : Layout(device: device, features: offered, interpretation: .fixed)
        let session = DriverSession(transport: transport, device: device, layout: layout,
                                    guestIsLittleEndian: scenario.hostIsLittleEndian, cpus: scenario.cpus)
        let result = driver.probe(session)
        return Outcome(driver: scenario.driver, device: scenario.device, bus: bus, hostIsLittleEndian: scenario.hostIsLittleEndian,
                       deviceType: device, offered: offered, configured: values, configSize: model.configSize,
                       pastEnd: model.pastEnd, negotiated: session.features, deviceHolds: model.driverFeatures,
                       unsupported: result.unsupported, dropped: session.dropped, view: result.view,
                       probeFailure: result.failure, finalStatus: model.status, reads: session.reads,
                       violations: trace.violations, trace: trace.entries)
    }
}
