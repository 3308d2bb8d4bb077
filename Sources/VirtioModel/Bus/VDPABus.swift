import ConfigLayout

/// The vDPA core between a driver and a vDPA parent device (`drivers/vdpa/vdpa.c`,
/// `include/linux/vdpa.h`).
///
/// With the legacy path (after `452639a64ad8`), `vdpa_get_config` calls `vdpa_set_features(vdev, 0)`
/// when config is read before features are set, "assuming a legacy guest". `features_valid` becomes
/// true before the parent is called and the parent's error is ignored, so a rejected 0 is not retried
/// until `vdpa_reset` clears `features_valid`.
///
/// The driver reaches the core either from the guest kernel (`virtio_vdpa`) or from user space through
/// the vhost-vdpa ioctls, which bound-check config reads (`vhost_vdpa_config_validate`) and refuse
/// features after FEATURES_OK.
final class VDPABus: Transport {
    enum Front {
        /// `drivers/virtio/virtio_vdpa.c`: Linux's virtio drivers on a vDPA device.
        case virtioVDPA
        /// `drivers/vhost/vdpa.c`: a user-space driver (DPDK's virtio-user) through ioctls.
        case vhostVDPA
    }

    let device: DeviceModel
    let trace: Trace
    let front: Front
    let legacyPath: Bool
    private(set) var featuresValid = false

    init(device: DeviceModel, trace: Trace, front: Front, legacyPath: Bool) {
        self.device = device
        self.trace = trace
        self.front = front
        self.legacyPath = legacyPath
    }

    func reset() {
        // vdpa_reset: "vdev->features_valid = false; ops->reset(vdev)".
        featuresValid = false
        trace.record(.driver, .reset)
        device.reset()
    }

    func getStatus() -> DeviceStatus { device.readStatus() }

    func setStatus(_ status: DeviceStatus) { device.writeStatus(status) }

    /// get_device_features returns a u64: bits from 64 up do not cross a vDPA device.
    func getFeatures(windows: Int) -> FeatureSet {
        let features = FeatureSet(words: [device.deviceFeatures().words.first ?? 0])
        trace.record(.driver, .deviceFeatures(features))
        return features
    }

    func finalizeFeatures(_ features: FeatureSet, windows: Int) -> Int32 {
        if front == .vhostVDPA, device.status.contains(.featuresOK) {
            // vhost_vdpa_set_features: features are fixed once FEATURES_OK is set.
            trace.note(.bus, "VHOST_SET_FEATURES after FEATURES_OK: -EBUSY")
            return Errno.ebusy
        }
        return setFeatures(features, by: .driver)
    }

    /// vdpa_set_features: "vdev->features_valid = true; return ops->set_driver_features(vdev, features)".
    private func setFeatures(_ features: FeatureSet, by party: Party) -> Int32 {
        featuresValid = true
        return device.acceptDriverFeatures(FeatureSet(words: [features.words.first ?? 0]), by: party)
    }

    func get(_ offset: Int, _ count: Int, field: String?) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max(0, count))
        if front == .vhostVDPA {
            // vhost_vdpa_config_validate: "if (c->len == 0 || c->off > size) return -EINVAL;
            // if (c->len > size - c->off) return -E2BIG;"
            let size = device.configSize
            let error: Int32? = count <= 0 || offset < 0 || offset > size ? Errno.einval
                : count > size - offset ? Errno.e2big : nil
            if let error {
                trace.record(.driver, .configRead(offset: offset, width: count, bytes: buffer, field: field, outcome: .failed))
                trace.note(.bus, "VHOST_VDPA_GET_CONFIG at \(offset), \(count) bytes: \(Errno.name(error)) "
                           + "(config size \(size))")
                return buffer
            }
        }
        if legacyPath && !featuresValid {
            // vdpa_get_config: "Config accesses aren't supposed to trigger before features are set.
            // If it does happen we assume a legacy guest."
            trace.note(.bus, "config read before features are set: vdpa_get_config calls set_features(0)")
            let result = setFeatures(FeatureSet(), by: .bus)
            if result != 0 {
                trace.note(.bus, "set_features(0) failed with \(Errno.name(result)); the error is ignored and "
                           + "features_valid stays true until reset")
            }
        }
        guard count > 0 else { return buffer }
        device.readConfig(offset: offset, into: &buffer, field: field)
        return buffer
    }

    /// `vdpa_set_config`: the parent's set_config with the whole buffer. Unlike a read, a write
    /// never sets features first.
    func set(_ offset: Int, _ bytes: [UInt8], field: String?) {
        device.writeConfig(offset: offset, bytes: bytes, field: field)
    }

    func generation() -> UInt32 { device.readGeneration() }
}
