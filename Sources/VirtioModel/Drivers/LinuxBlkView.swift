import ConfigLayout

/// What Linux's virtio_blk made of a device, in the guest's own words: the values under
/// /sys/block/vda, the negotiated feature bits as /sys/bus/virtio/devices/*/features prints them, and
/// the driver's kernel log lines. A driver model predicts one; a real guest reports one.
public struct LinuxBlkView: Sendable, Equatable {
    /// The /sys values by the names the guest reports them under, in report order.
    public static let sysfsNames = ["size", "logical_block_size", "physical_block_size", "minimum_io_size",
                                    "optimal_io_size", "discard_max_bytes", "discard_granularity",
                                    "write_zeroes_max_bytes", "write_cache", "alignment_offset", "ro", "queues"]

    /// Whether the disk exists: the probe got as far as adding it.
    public var hasDisk: Bool
    /// 64 characters, '1' for each negotiated bit from bit 0 (`features_show`).
    public var features: String
    /// The /sys values; empty without a disk.
    public var sysfs: [String: String]
    /// virtio_blk's kernel log lines without the `virtio_blk virtioN: ` prefix.
    public var kernelLog: [String]
    /// Why the probe failed, in the driver's words.
    public var failure: String?

    public init(hasDisk: Bool, features: String, sysfs: [String: String], kernelLog: [String], failure: String?) {
        self.hasDisk = hasDisk
        self.features = features
        self.sysfs = sysfs
        self.kernelLog = kernelLog
        self.failure = failure
    }

    /// `features_show`'s string for a feature set.
    public static func featureString(_ features: FeatureSet) -> String {
        String((0..<64).map { features.contains($0) ? "1" : "0" })
    }

    /// A kernel log line without the device prefix the guest's log carries (`virtio_blk virtio0: `).
    public static func withoutDevicePrefix(_ line: String) -> String {
        guard line.hasPrefix("virtio_blk virtio"), let colon = line.firstIndex(of: ":") else { return line }
        return String(line[line.index(after: colon)...].drop { $0 == " " })
    }
}

/// What a driver model read and decided on the way to its view.
public struct LinuxBlkPrediction: Sendable {
    public var view: LinuxBlkView
    /// Every config read, at the offset the driver's `offsetof` gives.
    public var reads: [DriverRead]
    /// Features the driver accepted, and the values it clamped or refused, in its words.
    public var negotiated: FeatureSet
    public var notes: [String]
    public var trace: [TraceEntry]
}
