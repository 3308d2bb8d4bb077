import ConfigLayout
import VirtioModel

/// The fourth stage of a QEMU probe: the configuration as a driver reads it over qtest, in two
/// steps. First what the device serves once the features are negotiated, with every selector's
/// cases and the legacy interface's view, before any driver model runs; then, last of all, its
/// exact length, since the migration stream that gives it stops the machine.
struct QEMUConfigRead {
    let device: Device
    let negotiation: ProbeNegotiation
    /// The fixed reading over the offered features, which picks the width of each read.
    let fixed: Layout
    let encoding: ConfigImage.Encoding
    /// How far to read: past the larger of the fixed struct and QEMU's sizing.
    let count: Int
    let generation: UInt32?
    let bytes: [UInt8]
    let selections: [QEMUProbeResult.Selection]
    let legacyViews: [QEMUProbeResult.LegacyView]

    /// Reads the configuration of the device, its features negotiated.
    static func read(_ target: ProbeTarget, device: Device, negotiation: ProbeNegotiation,
                     properties: QemuProperties) throws(HostError) -> QEMUConfigRead {
        let registers = target.primary
        let offered = negotiation.offered
        let fixed = Layout(device: device, features: offered, interpretation: .fixed)
        var selections: [QEMUProbeResult.Selection] = []
        for selector in device.selectors { selections += try SelectionProbe(registers: registers, layout: fixed).run(selector) }
        let encoding = ConfigImage.Encoding(isModern: registers.isModern && device.isSet("VERSION_1", in: offered),
                                            guestIsLittleEndian: true)
        // A field-sized array can reach well past the fixed struct: read far enough to see it end.
        let flexible = fixed.fields.contains { if case .flexible = $0.field.type { true } else { false } }
        let sized = Layout(device: device, features: offered, interpretation: .fixed, sizing: .qemu).qemuSize(with: properties)
        let count = min(registers.configWindow, max(sized, fixed.size) + (flexible ? 288 : 32))
        let generation = try registers.readGeneration()
        let bytes = try ConfigReader(registers: registers).read(count: count, layout: fixed)
        let legacyViews = try readLegacyViews(target, count: count, layout: fixed)
        return QEMUConfigRead(device: device, negotiation: negotiation, fixed: fixed, encoding: encoding, count: count,
                              generation: generation, bytes: bytes, selections: selections, legacyViews: legacyViews)
    }

    /// The configuration's length from the migration stream (or the lower bound, with why), with the
    /// device settled in a known state and its config read again; then what reads past it return.
    func measure(on machine: QEMUMachine, target: ProbeTarget) throws(HostError)
        -> (observation: ConfigObservation, pastEnd: [QEMUProbeResult.PastEndRead]) {
        let registers = target.primary
        let reader = ConfigReader(registers: registers)
        let status = try negotiation.settle(registers)
        let settled = try reader.read(count: count, layout: fixed)
        let length = exactLength(machine, target: target, status: status, served: settled)
        let pastEnd = try reader.readPastEnd(length.value).map {
            QEMUProbeResult.PastEndRead(offset: $0.offset, width: $0.width, bytes: $0.bytes)
        }
        let observation = ConfigObservation(bytes: bytes, length: length, generation: generation, device: device,
                                            offered: negotiation.offered, encoding: encoding)
        return (observation, pastEnd)
    }

    /// The length from the migration stream, or the lower bound (the end of the last byte first read
    /// that is not 0xff) with the reason.
    private func exactLength(_ machine: QEMUMachine, target: ProbeTarget, status: UInt8,
                             served: [UInt8]) -> ConfigObservation.Length {
        let lowerBound = (bytes.lastIndex { $0 != 0xff } ?? -1) + 1
        let stream: [UInt8]
        do {
            stream = try machine.migrationStream()
        } catch {
            return .atLeast(lowerBound, reason: "the migration stream was not available: \(error.description)")
        }
        if let length = MigrationStream.configLength(in: stream, idPrefix: target.migrationID, status: status,
                                                     featuresLow: negotiation.wanted.window(0), served: served,
                                                     atLeast: lowerBound) {
            return .exact(length)
        }
        return .atLeast(lowerBound, reason: "no single place in the migration stream matched the bytes read")
    }

    /// The configuration through the legacy interface of a transitional function: at 20, then at 24
    /// with MSI-X enabled. The device is reset before and after.
    private static func readLegacyViews(_ target: ProbeTarget, count: Int,
                                        layout: Layout) throws(HostError) -> [QEMUProbeResult.LegacyView] {
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
}

extension QEMUProbeResult {
    /// The configuration through the legacy interface of a transitional device.
    public struct LegacyView: Sendable {
        public let configOffset: Int
        public let bytes: [UInt8]
        public let offered: FeatureSet
    }

    /// A read past the end of the configuration.
    public struct PastEndRead: Sendable {
        public let offset: Int
        public let width: Int
        public let bytes: [UInt8]
    }

    /// What one selector value (and subselector) made the device serve.
    public struct Selection: Sendable {
        public let name: String
        public let select: UInt64
        /// Nil for a case that takes no subselector.
        public let subselect: UInt64?
        public let member: String
        public let size: Int
        public let bytes: [UInt8]
    }
}
