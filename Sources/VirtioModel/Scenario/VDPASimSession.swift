import ConfigLayout

/// Linux 6.1's vDPA stack in the models, phase by phase, as `cfgspace guest --bus vdpa` and
/// `--driver dpdk` drive the real one: a vdpa_sim device added, its config shown over netlink with no
/// driver bound, a driver bound (Linux's virtio_net or virtio_blk through virtio_vdpa, or DPDK's
/// virtio PMD through vhost-vdpa), and the config shown again. Each phase keeps the calls it made
/// into the parent device, as ftrace does on the real one.
public final class VDPASimSession {
    public let model: DeviceModel
    /// The attributes `vdpa dev add` takes for vdpasim_net (its `config_attr_mask`, less device
    /// features, which iproute2 6.1's vdpa cannot send).
    public static let addAttributes = VDPASimNetDevice.settableFields
    /// The values the device was added with (`vdpa dev add ... mac M mtu N`).
    public let values: [(field: String, value: FieldValue)]
    private var mark = 0

    private init(model: DeviceModel, values: [(field: String, value: FieldValue)]) {
        self.model = model
        self.values = values
    }

    /// A vdpasim_net device over a net layout, with `values` (mac, mtu) over the simulator's defaults.
    public static func net(_ device: Device, values: [(field: String, text: String)] = []) throws(ScenarioError) -> VDPASimSession {
        let simulator = Simulator(device: device)
        let prepared = try simulator.prepare(Scenario(driver: DriverKind.reference(for: device), device: VDPASimNetDevice.kind,
                                                      values: values))
        let model = try simulator.model(VDPASimNetDevice.kind, offered: prepared.offered, values: prepared.values, trace: Trace())
        return VDPASimSession(model: model, values: prepared.values)
    }

    /// A vdpasim_blk device over a blk layout.
    public static func blk(_ device: Device) throws(ScenarioError) -> VDPASimSession {
        let model = try VDPASimBlkDevice(device: device, trace: Trace())
        return VDPASimSession(model: model, values: VDPASimBlkDevice.values.map { (field: $0.path, value: $0.value) })
    }

    /// The parent calls recorded since the last phase.
    private func phaseCalls() -> [VDPAParentCall] {
        let entries = model.trace.entries
        defer { mark = entries.count }
        return VDPAParentCall.calls(in: entries[min(mark, entries.count)...])
    }

    /// The trace's notes since `start`, in the models' words.
    private func notes(since start: Int) -> [String] {
        model.trace.entries[min(start, model.trace.entries.count)...].compactMap { entry in
            if case .note(let text) = entry.event { return "\(entry.party.rawValue): \(text)" }
            return nil
        }
    }

    /// `vdpa dev config show NAME`.
    public func configShow(name: String) -> (lines: [String], calls: [VDPAParentCall]) {
        _ = phaseCalls()
        let shown = VDPANetlink.configShow(name: name, device: model)
        mark = model.trace.entries.count
        return shown
    }

    /// A net driver model bound to the device: Linux's through virtio_vdpa, DPDK's through vhost-vdpa.
    public func bind(net driver: DriverKind) -> VDPABinding {
        _ = phaseCalls()
        let start = model.trace.entries.count
        let implementation = driver.model
        let bus = VDPABus(device: model, trace: model.trace, front: implementation.vdpaFront, legacyPath: true)
        let session = DriverSession(transport: bus, device: model.device,
                                    layout: Layout(device: model.device, features: model.offered, interpretation: .fixed),
                                    guestIsLittleEndian: model.guestIsLittleEndian)
        let result = implementation.probe(session)
        let seen = (session.transport as? VirtioUserTransport)?.getFeatures(windows: 2) ?? model.offered
        return VDPABinding(calls: phaseCalls(), offered: seen, negotiated: session.features, deviceHolds: model.driverFeatures,
                           view: result.failure == nil ? result.view : nil, failure: result.failure, reads: session.reads, dropped: session.dropped,
                           notes: notes(since: start))
    }

    /// Linux's virtio_blk bound through virtio_vdpa.
    public func bindBlk(cpus: Int) -> (prediction: DriverPrediction, calls: [VDPAParentCall]) {
        _ = phaseCalls()
        let prediction = LinuxBlkDriver.probe(vdpa: model, cpus: cpus)
        return (prediction, phaseCalls())
    }
}

/// What a driver model made of a vDPA device it was bound to.
public struct VDPABinding: Sendable {
    public let calls: [VDPAParentCall]
    /// The device features as the driver saw them (after virtio-user's filter, for DPDK).
    public let offered: FeatureSet
    /// The driver's features at the end, and what the device holds.
    public let negotiated: FeatureSet
    public let deviceHolds: FeatureSet
    /// What the driver shows its user; nil when its probe failed.
    public let view: DriverView?
    public let failure: String?
    public let reads: [DriverRead]
    public let dropped: [DroppedFeature]
    /// The models' account of their decisions.
    public let notes: [String]
}
