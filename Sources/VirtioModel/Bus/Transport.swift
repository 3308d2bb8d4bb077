import ConfigLayout

/// The buses a scenario can put between driver and device.
public enum BusKind: String, CaseIterable, Sendable {
    /// A virtio-pci function the driver programs itself (`virtio_pci_modern`, or legacy when the
    /// device does not offer VERSION_1).
    case direct
    /// The vDPA core with its legacy-guest path (`vdpa_get_config` after `452639a64ad8`).
    case vdpa
    /// The vDPA core without that path: config reads never set features.
    case vdpaModern = "vdpa-modern"

    public var summary: String {
        switch self {
        case .direct: "virtio-pci: the driver reads feature windows and config registers itself"
        case .vdpa: "vDPA core: a config read before features are set calls set_features(0), and ignores its error"
        case .vdpaModern: "vDPA core without the legacy path: config reads never set features"
        }
    }
}

/// How a driver reaches a device: the operations of Linux's `struct virtio_config_ops` (or DPDK's
/// `virtio_ops`), each of which a transport turns into register accesses or vDPA parent calls.
protocol Transport: AnyObject {
    var device: DeviceModel { get }
    var trace: Trace { get }

    /// Resets the device and waits for status to read 0.
    func reset()
    func getStatus() -> DeviceStatus
    func setStatus(_ status: DeviceStatus)
    /// The device features, as far as `windows` 32-bit windows reach.
    func getFeatures(windows: Int) -> FeatureSet
    /// Writes the driver features to the device; 0 or a negative errno.
    func finalizeFeatures(_ features: FeatureSet, windows: Int) -> Int32
    /// One config read of `count` bytes for `field`, into a zeroed buffer.
    func get(_ offset: Int, _ count: Int, field: String?) -> [UInt8]
    /// One config write of `bytes` for `field`.
    func set(_ offset: Int, _ bytes: [UInt8], field: String?)
    /// The configuration generation; 0 where the transport has none.
    func generation() -> UInt32
    /// The ring size of queue `index` as the driver sets the queue up (`vp_modern_get_queue_size`);
    /// nil where the device is a model without queues.
    func queueSize(_ index: Int) -> Int?
}

extension Transport {
    func queueSize(_ index: Int) -> Int? { nil }

    /// The status with `bits` added, as Linux's `virtio_add_status` writes it.
    func addStatus(_ bits: DeviceStatus) {
        setStatus(getStatus().union(bits))
    }
}
