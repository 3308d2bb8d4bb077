import ConfigLayout

/// One config read a driver made, and what it made of the bytes.
public struct DriverRead: Sendable, Equatable {
    /// Where in the driver it happened: `validate`, `probe`, `negotiate`, `config`.
    public let stage: String
    public let field: String
    /// The offset the driver's own reading of the layout gives.
    public let offset: Int
    public let bytes: [UInt8]
    /// The decoded number; nil for byte arrays.
    public let value: UInt64?
}

/// A feature the driver had accepted and then gave up, and why.
public struct DroppedFeature: Sendable, Equatable {
    public let feature: String
    public let reason: String
}

/// What a driver needs while it probes: the transport, its own reading of the layout (fixed, like
/// `offsetof`, or packed), and a record of what it read and decided. Drivers name fields; the
/// session finds their offsets in the driver's layout.
final class DriverSession {
    /// The driver's transport; DPDK's virtio-user puts itself between the PMD and vhost-vdpa.
    var transport: any Transport
    let device: Device
    /// The driver's reading of the layout; a literal-spec driver keys it by the offered features.
    var layout: Layout
    let trace: Trace
    let guestIsLittleEndian: Bool
    /// The guest's CPUs, for drivers that size their queues by them.
    let cpus: Int
    /// The driver's feature view (`vdev->features`).
    var features = FeatureSet()
    var stage = "probe"
    private(set) var reads: [DriverRead] = []
    private(set) var dropped: [DroppedFeature] = []

    init(transport: any Transport, device: Device, layout: Layout, guestIsLittleEndian: Bool, cpus: Int = 1) {
        self.transport = transport
        self.device = device
        self.layout = layout
        self.trace = transport.trace
        self.guestIsLittleEndian = guestIsLittleEndian
        self.cpus = cpus
    }

    func has(_ feature: String) -> Bool { device.has(feature, in: features) }

    /// Clears a feature from the driver's view, saying why.
    func drop(_ feature: String, because reason: String) {
        guard let bit = device.bit(named: feature), features.contains(bit) else { return }
        features.remove(bit)
        dropped.append(DroppedFeature(feature: feature, reason: reason))
        trace.note(.driver, "\(stage): clearing \(feature): \(reason)")
    }

    func note(_ text: String) { trace.note(.driver, "\(stage): \(text)") }

    /// Where the driver's layout puts a field.
    func offset(of field: String) -> Int? { layout.field(field)?.offset }

    /// One transport read of `width` bytes at the field's offset (the field's size by default).
    func readBytes(_ field: String, width: Int? = nil) -> [UInt8] {
        guard let placed = layout.field(field), let offset = placed.offset else {
            note("\(field) has no place in the driver's layout; not read")
            return []
        }
        return transport.get(offset, width ?? placed.size, field: field)
    }

    /// A read of a `virtio` number: little-endian when VERSION_1 is in the driver's view or the guest is
    /// little-endian (`virtio_is_little_endian`).
    func readVirtio(_ field: String) -> UInt64 {
        let bytes = readBytes(field)
        return remember(field, bytes, Self.number(bytes, littleEndian: virtioIsLittleEndian))
    }

    /// Whether `virtio` fields are little-endian for this driver now (`virtio_is_little_endian`).
    var virtioIsLittleEndian: Bool { has("VERSION_1") || guestIsLittleEndian }

    /// A read of a little-endian number (`virtio_cread_le`).
    func readLittleEndian(_ field: String) -> UInt64 {
        let bytes = readBytes(field)
        return remember(field, bytes, Self.number(bytes, littleEndian: true))
    }

    /// A read of a byte array inside a generation loop (`__virtio_cread_many`), one access per
    /// `element` bytes, of the whole field or of its first `count` bytes.
    func readConsistently(_ field: String, element: Int = 1, count: Int? = nil) -> [UInt8] {
        guard let placed = layout.field(field), let offset = placed.offset else { return readBytes(field) }
        return consistently {
            stride(from: 0, to: count ?? placed.size, by: element).flatMap { transport.get(offset + $0, element, field: field) }
        }
    }

    /// A bounded retry: a device whose generation never settles cannot hang a driver model.
    static let generationAttempts = 8

    @discardableResult
    func remember(_ field: String, _ bytes: [UInt8], _ value: UInt64) -> UInt64 {
        reads.append(DriverRead(stage: stage, field: field, offset: offset(of: field) ?? 0, bytes: bytes, value: value))
        return value
    }

    /// Records a byte-array read.
    func remember(_ field: String, bytes: [UInt8]) {
        reads.append(DriverRead(stage: stage, field: field, offset: offset(of: field) ?? 0, bytes: bytes, value: nil))
    }

    /// A read of a number in the byte order its declaration gives: `le` fields little-endian,
    /// `virtio` (and bare) fields by the `virtio_is_little_endian` rule.
    func readDeclared(_ field: String) -> UInt64 {
        switch layout.field(field)?.field.type.scalar?.byteOrder {
        case .little: readLittleEndian(field)
        default: readVirtio(field)
        }
    }

    /// A read of a number as a sized accessor reads it: `width` bytes at the field's offset, whatever the
    /// field's own size (`virtio_cread8` on a 16-bit field), in the `virtio` order.
    func readVirtio(_ field: String, width: Int) -> UInt64 {
        let bytes = readBytes(field, width: width)
        return remember(field, bytes, Self.number(bytes, littleEndian: virtioIsLittleEndian))
    }

    /// A byte array or string read whole, or its first `count` bytes (`virtio_cread_bytes`, one access
    /// per byte), remembered.
    func readArray(_ field: String, count: Int? = nil) -> [UInt8] {
        let bytes = readConsistently(field, count: count)
        remember(field, bytes: bytes)
        return bytes
    }

    /// Writes a number to a field (`virtio_cwrite`), `virtio` fields in the driver's order, `le` fields
    /// little-endian, at the field's own width unless `width` says otherwise.
    func write(_ field: String, _ value: UInt64, width: Int? = nil) {
        guard let placed = layout.field(field), let offset = placed.offset else {
            note("\(field) has no place in the driver's layout; not written")
            return
        }
        let count = width ?? placed.size
        let little = placed.field.type.scalar?.byteOrder == .little || virtioIsLittleEndian
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
        transport.set(offset, little ? bytes : bytes.reversed(), field: field)
    }

    /// Runs `body` until the generation before and after it agree, a bounded number of times.
    func consistently<T>(_ body: () -> T) -> T {
        var before = transport.generation()
        var result = body()
        for attempt in 2...Self.generationAttempts {
            let after = transport.generation()
            if after == before { return result }
            before = after
            note("config_generation changed during the read; reading again (attempt \(attempt))")
            result = body()
        }
        return result
    }

    static func number(_ bytes: [UInt8], littleEndian: Bool) -> UInt64 {
        LittleEndian.value(bytes, littleEndian: littleEndian)
    }

    /// Marks the device FAILED and returns the reason, for a driver giving up.
    func fail(_ reason: String) -> String {
        trace.note(.driver, "probe fails: \(reason)")
        transport.addStatus(.failed)
        return reason
    }
}
