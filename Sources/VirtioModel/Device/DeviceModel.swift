import ConfigLayout

/// A virtio device as a driver meets it: a status register, feature windows, and a configuration
/// space served from a `ConfigImage`. The rules of the spec's "Basic Facilities" and "Device
/// Initialization" (virtio-spec-config.md §3) live here, so every device model obeys or breaks them
/// the same way; subclasses say only where a real implementation departs.
///
/// Nothing a driver does can crash a model: every access, however odd, gets an answer, and every
/// broken rule becomes a `Violation` in the trace.
public class DeviceModel {
    /// The model's name, such as `qemu`.
    public let name: String
    public let device: Device
    /// The features the device offers.
    public let offered: FeatureSet
    /// The guest's byte order, which legacy config accesses use.
    public let guestIsLittleEndian: Bool
    public let pastEnd: PastEndPolicy
    /// How many bytes of configuration space the device has.
    public let configSize: Int
    public internal(set) var image: ConfigImage {
        didSet {
            readCache.invalidate()
            imageRevision &+= 1
        }
    }
    public private(set) var status: DeviceStatus = [] {
        didSet { if status != oldValue { readCache.invalidateAudit() } }
    }
    /// The driver's features as the device holds them.
    public internal(set) var driverFeatures = FeatureSet() {
        didSet { if driverFeatures != oldValue { readCache.invalidateAudit() } }
    }
    public let trace: Trace

    /// Feature windows the device implements: 4 × 32 = 128 feature bits.
    public static let featureWindows = 4
    /// The driver feature windows as last written, before the device masks anything.
    private var windows = [UInt32](repeating: 0, count: DeviceModel.featureWindows)
    /// The values and generation at the driver's last config read, for the generation rule, with
    /// the image's revision then.
    var lastRead: LastRead?
    struct LastRead {
        var values: [String: FieldValue]
        var generation: UInt32
        var revision: Int
    }
    /// Counts every change to the image, so that a read can tell nothing changed without comparing values.
    private(set) var imageRevision = 0
    let readCache = ReadCache()
    /// VERSION_1's bit, looked up once: the default encoding asks on every read.
    private let version1Bit: Int?
    /// When config_generation moves.
    public let generationPolicy: GenerationPolicy
    /// QEMU's `vdev->generation`: the notifications a `.notifiedAfterDriverOK` device has made.
    var notifiedGeneration: UInt32

    init(name: String, device: Device, offered: FeatureSet, image: ConfigImage, configSize: Int,
         pastEnd: PastEndPolicy, guestIsLittleEndian: Bool, trace: Trace,
         generationPolicy: GenerationPolicy = .everyChange, generation: UInt32 = 0) {
        self.name = name
        self.generationPolicy = generationPolicy
        notifiedGeneration = generation
        self.device = device
        self.offered = offered
        self.image = image
        self.configSize = configSize
        self.pastEnd = pastEnd
        self.guestIsLittleEndian = guestIsLittleEndian
        self.trace = trace
        version1Bit = device.bit(named: "VERSION_1")
        for (feature, requires) in device.unmetRequirements(in: offered) {
            trace.violation(.offersFeatureWithoutRequirement, "\(name) offers \(feature.name) without \(requires)")
        }
    }

    /// A device for any layout, without a particular implementation's quirks: it serves `values` at
    /// the offsets `interpretation` gives for the offered features, with the size `sizing` gives,
    /// and follows the spec's rules and QEMU's byte-order switch.
    public convenience init(serving device: Device, offered: FeatureSet, values: [(path: String, value: FieldValue)] = [],
                            interpretation: Interpretation = .fixed, sizing: Sizing = .full,
                            pastEnd: PastEndPolicy = .allOnes, guestIsLittleEndian: Bool = true,
                            generationPolicy: GenerationPolicy = .everyChange, trace: Trace) throws(FieldValueError) {
        let image = try ConfigImage(device: device, interpretation: interpretation, features: offered, values: values)
        let size = Layout(device: device, features: offered, interpretation: interpretation, sizing: sizing).size
        self.init(name: device.name, device: device, offered: offered, image: image, configSize: size,
                  pastEnd: pastEnd, guestIsLittleEndian: guestIsLittleEndian, trace: trace,
                  generationPolicy: generationPolicy)
    }

    // MARK: - Where models differ

    /// The features the device offers right now (a vDPA parent's get_device_features).
    func deviceFeatures() -> FeatureSet { offered }

    /// Takes the driver's features. The default follows QEMU's `virtio_set_features_nocheck`: bits the
    /// device did not offer are dropped ("val &= vdev->host_features"). Returns 0 or a negative errno.
    func setDriverFeatures(_ features: FeatureSet) -> Int32 {
        driverFeatures = features.intersection(offered)
        return 0
    }

    /// Why the device refuses FEATURES_OK for these features, and whether the spec lets it; nil
    /// when it accepts them.
    func featuresOKRefusal(_ features: FeatureSet) -> (reason: String, permitted: Bool)? { nil }

    /// The byte order config fields are served in right now. The default is QEMU's: modern
    /// (little-endian) once the driver has written VERSION_1, the guest's order before
    /// (`virtio_access_is_big_endian`).
    func encoding() -> ConfigImage.Encoding {
        ConfigImage.Encoding(isModern: version1Bit.map { driverFeatures.contains($0) } ?? false,
                             guestIsLittleEndian: guestIsLittleEndian)
    }

    /// The configuration generation the device reports, as its policy moves it.
    func configGeneration() -> UInt32 {
        switch generationPolicy {
        case .everyChange: image.generation
        case .notifiedAfterDriverOK: notifiedGeneration
        }
    }

    /// Whether the generation changes only when the image does (or `readStateDidChange` says so),
    /// so a read in a steady state need not ask for it.
    var generationFollowsImage: Bool { true }

    /// Whether `serveConfig` serves the image's bytes inside the space, so a steady state may keep them.
    var servesImage: Bool { true }

    /// Something a config read depends on changed outside the image, status and driver features
    /// (a subclass's own encoding or generation).
    final func readStateDidChange() { readCache.invalidate() }

    /// Called after a reset has cleared the status and features.
    func didReset() {}

    /// How many 32-bit feature windows the device implements, each way.
    var featureWindowCount: Int { Self.featureWindows }

    /// Whether the driver feature windows keep their last values across a reset (QEMU's virtio-pci
    /// proxy does): a later write of one window then takes the other's old value with it.
    var keepsDriverFeatureWindowsOnReset: Bool { false }

    /// Called after the status register changed.
    func statusDidChange(from old: DeviceStatus, to new: DeviceStatus) {}

    // MARK: - Where a real device takes over

    /// The status register as the device holds it. A model holds it itself; a real device is asked.
    func loadStatus() -> DeviceStatus { status }

    /// Stores a status write the rules have seen (not a reset, which `didReset` gets).
    func storeStatus(_ value: DeviceStatus) {}

    /// One device feature window as the device shows it; windows past the device's read as 0.
    func deviceFeatureWindow(_ select: Int) -> UInt32 {
        select >= 0 && select < featureWindowCount ? deviceFeatures().window(select) : 0
    }

    /// Stores a driver feature window write, before the model takes the whole set.
    func storeDriverFeatureWindow(_ select: Int, _ value: UInt32) {}

    /// Stores a config write, before the model applies it to its image.
    func storeConfig(offset: Int, bytes: [UInt8]) {}

    /// Whether the driver may write a field now; the layout's access by default.
    func isDriverWritable(_ placed: PlacedField) -> Bool {
        switch placed.field.access {
        case .readOnly: false
        case .driverWritable: true
        case .legacyWritable: !device.has("VERSION_1", in: driverFeatures)
        }
    }

    // MARK: - Status

    public func readStatus(by party: Party = .driver) -> DeviceStatus {
        status = loadStatus()
        trace.record(party, .statusRead(status))
        return status
    }

    /// Writes the status register: 0 resets; otherwise bits are checked against the
    /// initialization sequence, and FEATURES_OK is kept only if the device accepts the features.
    public func writeStatus(_ value: DeviceStatus, by party: Party = .driver) {
        trace.record(party, .statusWrite(value))
        guard !value.isEmpty else {
            reset()
            return
        }
        let old = status
        var new = value
        let cleared = old.subtracting(new)
        if !cleared.isEmpty {
            trace.violation(.clearsStatusBit, "wrote \(new) over \(old), clearing \(cleared)")
        }
        let added = new.subtracting(old)
        let modern = device.has("VERSION_1", in: driverFeatures)
        let prerequisites: [(bit: DeviceStatus, needs: DeviceStatus)] = [
            (.driver, .acknowledge),
            (.featuresOK, [.acknowledge, .driver]),
            // A legacy driver has no FEATURES_OK: steps 4, 7 and 8 are conflated (virtio-spec-config.md §2.3).
            (.driverOK, modern ? [.acknowledge, .driver, .featuresOK] : [.acknowledge, .driver]),
        ]
        // "If the driver sets the FAILED bit, the driver MUST later reset the device before attempting
        // to re-initialize."
        let resumed = added.subtracting([.failed, .deviceNeedsReset])
        if old.contains(.failed) && !resumed.isEmpty {
            trace.violation(.statusOutOfOrder, "set \(resumed) after FAILED without a reset")
        }
        for (bit, needs) in prerequisites where added.contains(bit) {
            let missing = needs.subtracting(new)
            if !missing.isEmpty {
                trace.violation(.statusOutOfOrder, "set \(bit) without \(missing)")
            }
        }
        if added.contains(.featuresOK) {
            checkDriverFeatures()
            if let refusal = featuresOKRefusal(driverFeatures) {
                new.remove(.featuresOK)
                trace.note(.device, "refuses FEATURES_OK: \(refusal.reason)")
                if !refusal.permitted && isValidSubset(driverFeatures) {
                    trace.violation(.refusesValidFeatureSubset,
                                    "\(name) refused {\(device.list(driverFeatures))}: \(refusal.reason)")
                }
            }
        }
        status = new
        storeStatus(new)
        statusDidChange(from: old, to: new)
    }

    /// The device enters an error state that needs a reset: it sets DEVICE_NEEDS_RESET ("The device
    /// SHOULD set DEVICE_NEEDS_RESET when it enters an error state that a reset is needed").
    public func needReset(because reason: String) {
        status.insert(.deviceNeedsReset)
        trace.note(.device, "\(name) needs a reset: \(reason)")
    }

    /// Resets the device: status and driver features go back to 0.
    public func reset() {
        status = []
        driverFeatures = FeatureSet()
        if !keepsDriverFeatureWindowsOnReset { windows = [UInt32](repeating: 0, count: Self.featureWindows) }
        lastRead = nil
        didReset()
    }

    // MARK: - Features

    /// One 32-bit window of the device features; windows past the device's read as 0.
    public func readDeviceFeatureWindow(_ select: Int, by party: Party = .driver) -> UInt32 {
        let value = deviceFeatureWindow(select)
        trace.record(party, .deviceFeaturesRead(select: select, value: value))
        return value
    }

    /// Writes one 32-bit window of the driver features; the device takes the whole set at once,
    /// as QEMU's virtio-pci does on every `driver_feature` write.
    public func writeDriverFeatureWindow(_ select: Int, _ value: UInt32, by party: Party = .driver) {
        trace.record(party, .driverFeaturesWrite(select: select, value: value))
        storeDriverFeatureWindow(select, value)
        guard select >= 0 && select < featureWindowCount else {
            trace.note(.device, "ignores driver_feature_select \(select): it has \(featureWindowCount) windows")
            return
        }
        windows[select] = value
        var words = [UInt64](repeating: 0, count: (Self.featureWindows + 1) / 2)
        for (index, window) in windows.enumerated() {
            words[index / 2] |= UInt64(window) << (32 * UInt64(index % 2))
        }
        _ = acceptDriverFeatures(FeatureSet(words: words), by: party, recorded: false)
    }

    /// Takes a whole driver feature set (the vDPA set_driver_features op); returns 0 or a negative errno.
    @discardableResult
    public func acceptDriverFeatures(_ features: FeatureSet, by party: Party = .driver, recorded: Bool = true) -> Int32 {
        if status.contains(.featuresOK) {
            trace.violation(.featuresAfterFeaturesOK, "wrote features {\(device.list(features))} after FEATURES_OK")
            // QEMU's virtio_set_features: "if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) return -EINVAL".
            if recorded { trace.record(party, .setFeatures(features, result: Errno.einval)) }
            return Errno.einval
        }
        written = features
        let mark = trace.entries.count
        let result = setDriverFeatures(features)
        if recorded { trace.record(party, .setFeatures(features, result: result), at: mark) }
        return result
    }

    /// The driver features as last written, unmasked: what the driver accepted.
    private var written = FeatureSet()

    private func isValidSubset(_ features: FeatureSet) -> Bool {
        features.subtracting(offered).isEmpty && device.unmetRequirements(in: features).isEmpty
    }

    /// The driver's side of FEATURES_OK: it must accept only offered features, and each with what
    /// it requires.
    private func checkDriverFeatures() {
        let unoffered = written.subtracting(offered)
        if !unoffered.isEmpty {
            trace.violation(.acceptsUnofferedFeature, "accepted {\(device.list(unoffered))}, which \(name) does not offer")
        }
        for (feature, requires) in device.unmetRequirements(in: written) {
            trace.violation(.acceptsFeatureWithoutRequirement, "accepted \(feature.name) without \(requires)")
        }
    }

    /// The ring size of queue `index` as the transport's queue_size register gives it; nil for a
    /// model, which has no queues (a driver model then assumes QEMU's default).
    public func queueSize(_ index: Int) -> Int? { nil }

    // MARK: - Configuration space

    /// The config generation as the driver reads it.
    public func readGeneration(by party: Party = .driver) -> UInt32 {
        let value = configGeneration()
        trace.record(party, .generationRead(value))
        return value
    }

    /// Serves a config read of `buffer.count` bytes at `offset` into `buffer`, records it (with the
    /// field the reader meant) and checks it against the rules.
    @discardableResult
    public final func readConfig(offset: Int, into buffer: inout [UInt8], field: String?, by party: Party = .driver) -> ReadOutcome {
        if readCache.serveSteadily(offset: offset, into: &buffer) { return .served }
        let count = buffer.count
        let outcome = serveConfig(offset: offset, into: &buffer)
        if trace.recordsAccesses {
            trace.record(party, .configRead(offset: offset, width: count, bytes: buffer, field: field, outcome: outcome))
        }
        audit(offset: offset, count: count, outcome: outcome, field: field)
        return outcome
    }

    /// The bytes a read inside the configuration space returns now, in the byte order the device
    /// serves at this moment.
    public var servedBytes: [UInt8] { readCache.bytes(encoding()) { image.bytes($0) } }

    /// Serves a config read into `buffer`: the image's bytes inside the space, the past-end policy outside.
    func serveConfig(offset: Int, into buffer: inout [UInt8]) -> ReadOutcome {
        let count = buffer.count
        guard offset >= 0, count > 0 else { return .failed }
        let bytes = readCache.bytes(encoding()) { image.bytes($0) }
        let (end, overflow) = offset.addingReportingOverflow(count)
        if !overflow, end <= configSize {
            for index in 0..<count { buffer[index] = offset + index < bytes.count ? bytes[offset + index] : 0 }
            return .served
        }
        switch pastEnd {
        case .allOnes:
            for index in 0..<count { buffer[index] = 0xff }
            return .allOnes
        case .zeros:
            for index in 0..<count {
                let (position, overflow) = offset.addingReportingOverflow(index)
                buffer[index] = !overflow && position < configSize && position < bytes.count ? bytes[position] : 0
            }
            return .zeros
        case .untouched:
            return .untouched
        case .error:
            return .failed
        }
    }

    /// A config write: checked, recorded, and applied to a driver-writable field it covers exactly.
    public func writeConfig(offset: Int, bytes: [UInt8], field: String?, by party: Party = .driver) {
        trace.record(party, .configWrite(offset: offset, bytes: bytes, field: field))
        storeConfig(offset: offset, bytes: bytes)
        // "The transitional device MUST support the driver writing device configuration fields
        // before the step" (legacy), so only a modern device holds the driver to step 4's rule.
        if device.has("VERSION_1", in: offered), status.contains(.driver), !status.contains(.featuresOK) {
            trace.violation(.writesConfigDuringNegotiation, "wrote \(bytes.count) bytes at offset \(offset) before FEATURES_OK")
        }
        defer {
            // A change the driver made itself is no change the generation must announce.
            if let last = lastRead { lastRead = LastRead(values: image.values, generation: last.generation, revision: imageRevision) }
        }
        for placed in image.fields(overlapping: offset, count: bytes.count) {
            if !isDriverWritable(placed) {
                trace.violation(.writesReadOnlyField, "wrote \(placed.path), which is read-only")
                continue
            }
            if let before = placed.field.writableBefore, status.contains(before) {
                trace.violation(.writesReadOnlyField, "wrote \(placed.path) after \(before), when it is no longer writable")
                continue
            }
            guard placed.offset == offset, placed.size == bytes.count, case .scalar(let scalar) = placed.field.type else { continue }
            store(placed.path, .integer(ConfigDecoder.integer(bytes, scalar, encoding())))
        }
    }

    /// Sets a field of the image. A value the field cannot hold is the model's own fault: the trace
    /// records it as the device's violation instead of losing the write unseen.
    func store(_ path: String, _ value: FieldValue) {
        do {
            try image.set(path, value)
        } catch {
            trace.violation(.valueOutOfRange, "\(name) could not hold \(value.description) in \(path): \(error.description)")
        }
    }
}
