import ConfigLayout

/// One run: a driver model probing a device model over a bus, with the device's offered features,
/// field values and the host's byte order.
public struct Scenario: Sendable {
    public var driver: DriverKind
    public var device: DeviceKind
    /// Nil for the device's usual bus: vDPA for mlx5, direct for the rest.
    public var bus: BusKind?
    public var features: FeatureSelection
    /// Field values by name, as text (`mtu=9000`, `mac=52:54:00:12:34:56`), over the device's defaults.
    public var values: [(field: String, text: String)]
    public var hostIsLittleEndian: Bool
    /// Nil for the device's own policy.
    public var pastEnd: PastEndPolicy?

    public init(driver: DriverKind, device: DeviceKind, bus: BusKind? = nil, features: FeatureSelection = .defaults,
                values: [(field: String, text: String)] = [], hostIsLittleEndian: Bool = true, pastEnd: PastEndPolicy? = nil) {
        self.driver = driver
        self.device = device
        self.bus = bus
        self.features = features
        self.values = values
        self.hostIsLittleEndian = hostIsLittleEndian
        self.pastEnd = pastEnd
    }
}

/// What came of a scenario.
public struct Outcome: Sendable {
    public let driver: DriverKind
    public let device: DeviceKind
    public let bus: BusKind
    public let hostIsLittleEndian: Bool
    /// The net device the layout describes, for naming features.
    public let netDevice: Device
    public let offered: FeatureSet
    /// The values the device model was given.
    public let configured: [(field: String, value: FieldValue)]
    public let configSize: Int
    public let pastEnd: PastEndPolicy
    /// The driver's features at the end (`vdev->features`).
    public let negotiated: FeatureSet
    /// The driver features as the device holds them at the end.
    public let deviceHolds: FeatureSet
    /// Offered features the driver does not know.
    public let unsupported: FeatureSet
    public let dropped: [DroppedFeature]
    /// Nil when probe failed.
    public let values: NetValues?
    public let probeFailure: String?
    public let finalStatus: DeviceStatus
    public let reads: [DriverRead]
    public let violations: [Violation]
    public let trace: [TraceEntry]
    /// The real device the driver ran against, when it was not a model: `QEMU virtio-net-pci at 00:02.0`.
    public var realDevice: String? = nil
    /// Why the real device stopped answering mid-run, if it did.
    public var realDeviceFailure: String? = nil

    /// The driver's reads of a field, in order, optionally in one stage.
    public func reads(of field: String, in stage: String? = nil) -> [DriverRead] {
        reads.filter { $0.field == field && (stage == nil || $0.stage == stage) }
    }

    /// The configured value of a field.
    public func configuredValue(_ field: String) -> FieldValue? {
        configured.last { $0.field == field }?.value
    }
}

/// Runs scenarios against one net layout: checks once that the layout has what the models name.
public struct Simulator: Sendable {
    public let device: Device

    /// The fields and features the device and driver models name.
    static let fields = ["mac", "status", "max_virtqueue_pairs", "mtu", "speed", "duplex", "rss_max_key_size",
                         "rss_max_indirection_table_length", "supported_hash_types"]
    static let features = ["VERSION_1", "ACCESS_PLATFORM", "MAC", "STATUS", "MQ", "CTRL_VQ", "MTU", "SPEED_DUPLEX",
                           "RSS", "HASH_REPORT", "STANDBY"]

    public init(device: Device) throws(ScenarioError) {
        let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        let missingFields = Self.fields.filter { layout.field($0) == nil }
        let missingFeatures = Self.features.filter { device.feature(named: $0) == nil }
        guard missingFields.isEmpty && missingFeatures.isEmpty else {
            throw ScenarioError("the device and driver models are virtio-net models; '\(device.name)' lacks "
                + (missingFields.map { "field \($0)" } + missingFeatures.map { "feature \($0)" }).joined(separator: ", "))
        }
        self.device = device
    }

    /// A device kind's default offered features.
    public func defaultFeatures(_ kind: DeviceKind) -> FeatureSet {
        device.features(named: kind.defaultFeatureNames)
    }

    /// The values a scenario gives the device: its defaults, then the scenario's, checked by type.
    func values(for scenario: Scenario) throws(ScenarioError) -> [(field: String, value: FieldValue)] {
        let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        var result: [(field: String, value: FieldValue)] = []
        for (name, text) in scenario.device.defaultValues + scenario.values {
            guard let placed = layout.field(name) else {
                let hint = Suggestion.closest(to: name, in: layout.fields.map(\.path)).map { "; did you mean '\($0)'?" } ?? ""
                throw ScenarioError("'\(name)' is not a field of \(device.name)\(hint)")
            }
            if let settable = scenario.device.settableFields, !settable.contains(name) {
                throw ScenarioError("\(scenario.device.rawValue) keeps no value for \(name); it keeps "
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
                                          pastEnd: scenario.pastEnd, guestIsLittleEndian: scenario.hostIsLittleEndian)
        let model = try scenario.device.make(device: device, parameters: parameters, trace: trace)
        return run(scenario, model: model, values: values, trace: trace)
    }

    /// Runs a driver model against a real device over virtio-pci, the way it runs against the `qemu`
    /// model: same transport, same rules, same trace. `configBytes` and `configSize` are what a probe
    /// of the device found.
    public func run(driver: DriverKind, on port: any RegisterPort, offered: FeatureSet, configSize: Int,
                    configBytes: [UInt8]) -> Outcome {
        let trace = Trace()
        let remote = RemoteDevice(port: port, name: DeviceKind.qemu.rawValue, device: device, offered: offered,
                                  configSize: configSize, configBytes: configBytes, trace: trace)
        let values = device.config == nil ? [] : remote.image.layout.fields.compactMap { placed in
            remote.image.value(placed.path).map { (field: placed.path, value: $0) }
        }
        var outcome = run(Scenario(driver: driver, device: .qemu, bus: .direct), model: remote, values: values, trace: trace)
        outcome.realDevice = port.label
        outcome.realDeviceFailure = port.failure
        return outcome
    }

    /// The `qemu` model set up as a probe found a real device: its offered features and the values it
    /// served. A run on it is the reference a run on the real device is held against.
    public func scenarioMatching(driver: DriverKind, configBytes: [UInt8], configSize: Int,
                                 offered: FeatureSet) -> (scenario: Scenario, values: [(field: String, value: FieldValue)]) {
        let layout = Layout(device: device, features: offered, interpretation: .fixed)
        let encoding = ConfigImage.Encoding(isModern: device.has("VERSION_1", in: offered), guestIsLittleEndian: true)
        let values = ConfigDecoder.decode(Array(configBytes.prefix(configSize)), layout: layout, encoding: encoding)
            .compactMap { decoded in decoded.value.map { (field: decoded.field.path, value: $0) } }
        return (Scenario(driver: driver, device: .qemu, bus: .direct, features: .exactly(offered)), values)
    }

    /// A device model of `kind` offering `offered` and holding `values`, for driving by hand (a
    /// differential run beside a real device).
    public func model(_ kind: DeviceKind, offered: FeatureSet, values: [(field: String, value: FieldValue)],
                      trace: Trace) throws(ScenarioError) -> DeviceModel {
        try kind.make(device: device, parameters: DeviceParameters(offered: offered, values: values.map { ($0.field, $0.value) },
                                                                    pastEnd: nil, guestIsLittleEndian: true), trace: trace)
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
                                    guestIsLittleEndian: scenario.hostIsLittleEndian)
        let result = driver.probe(session)
        return Outcome(driver: scenario.driver, device: scenario.device, bus: bus, hostIsLittleEndian: scenario.hostIsLittleEndian,
                       netDevice: device, offered: offered, configured: values, configSize: model.configSize,
                       pastEnd: model.pastEnd, negotiated: session.features, deviceHolds: model.driverFeatures,
                       unsupported: result.unsupported, dropped: session.dropped, values: result.values,
                       probeFailure: result.failure, finalStatus: model.status, reads: session.reads,
                       violations: trace.violations, trace: trace.entries)
    }
}
