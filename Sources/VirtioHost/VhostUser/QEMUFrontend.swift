import ConfigLayout

/// What QEMU 7.2's vhost-user front-ends present to the driver, given what their back-end serves:
/// cfgspace predicts what the guest reads, not only what it served.
///
/// - vhost-user-input sets its config size to `sizeof_field(virtio_input_config, u)`, 128 bytes
///   (vhost_input_realize, hw/input/vhost-user-input.c), and virtio_input_device_realize
///   (hw/input/virtio-input.c) adds the 8-byte header to it: 136 bytes, the whole struct, fetched on
///   every read (vhost_input_get_config) and sent whole on every write (vhost_input_set_config).
/// - vhost-user-vsock and vhost-user-gpio fetch their 8-byte structs once, at realize.
public enum QEMUFrontend {
    /// The config a driver reads through QEMU's transport when the back-end serves `served`, for the
    /// front-end `spec` (`vhost-user-blk-pci,num-queues=2`) on a machine with `cpus` CPUs.
    public static func presented(_ served: [UInt8], by spec: QEMUDeviceSpec, device: Device, cpus: Int = 1) -> [UInt8] {
        switch family(of: spec.driver) {
        case "vhost-user-blk": return blk(served, spec: spec, device: device, cpus: cpus)
        case "vhost-user-input": return window(served, 136)
        case "vhost-user-gpu": return gpu(served, spec: spec)
        case "vhost-user-vsock", "vhost-user-gpio": return window(served, 8)
        default: return served
        }
    }

    /// `vhost-user-blk` for `vhost-user-blk-pci-transitional` and the like.
    static func family(of driver: String) -> String {
        for suffix in ["-pci-non-transitional", "-pci-transitional", "-pci", "-device"] where driver.hasSuffix(suffix) {
            return String(driver.dropLast(suffix.count))
        }
        return driver
    }

    /// The first `length` bytes, zeros past what was served.
    static func window(_ served: [UInt8], _ length: Int) -> [UInt8] {
        (0..<length).map { $0 < served.count ? served[$0] : 0 }
    }

    /// vhost-user-gpu fetches its 16-byte struct virtio_gpu_config on every read and puts its own
    /// events_read, events_clear (0 until it has an event) and num_scanouts (its max_outputs, 1 by
    /// default) over the back-end's: "those fields are managed by qemu" (vhost_user_gpu_get_config,
    /// hw/display/vhost-user-gpu.c).
    static func gpu(_ served: [UInt8], spec: QEMUDeviceSpec) -> [UInt8] {
        var bytes = window(served, 16)
        let scanouts = UInt32(clamping: spec.number("max_outputs") ?? 1)
        bytes.replaceSubrange(0..<12, with: [UInt8](repeating: 0, count: 8) + scanouts.bytes)
        return bytes
    }

    /// vhost-user-blk sizes the config by its own properties, config-wce, discard and write-zeroes (all
    /// on by default), through the same table as virtio-blk (vhost_user_blk_device_realize,
    /// virtio_blk_cfg_size_params), whatever the back-end offers; and writes its own num-queues
    /// (by default one a CPU, virtio_pci_optimal_num_queues) over the back-end's num_queues
    /// (vhost_user_blk_update_config).
    static func blk(_ served: [UInt8], spec: QEMUDeviceSpec, device: Device, cpus: Int) -> [UInt8] {
        let properties = [("config-wce", "CONFIG_WCE"), ("discard", "DISCARD"), ("write-zeroes", "WRITE_ZEROES")]
        let features = FeatureSet(bits: properties.compactMap { property, feature in
            spec.flag(property) == false ? nil : device.feature(named: feature)?.bit
        })
        let length = Layout(device: device, features: features, interpretation: .fixed, sizing: .qemu).size
        var bytes = (0..<length).map { $0 < served.count ? served[$0] : 0 }
        let queues = spec.number("num-queues") ?? UInt64(cpus)
        if let placed = Layout(device: device, features: features, interpretation: .fixed).field("num_queues"),
           let offset = placed.offset, offset + 2 <= length {
            bytes[offset] = UInt8(truncatingIfNeeded: queues)
            bytes[offset + 1] = UInt8(truncatingIfNeeded: queues >> 8)
        }
        return bytes
    }

    /// The features vhost-user-blk offers the guest, given the back-end's: QEMU's own set
    /// (vhost_user_blk_get_features: SIZE_MAX, SEG_MAX, GEOMETRY, TOPOLOGY, BLK_SIZE, FLUSH, RO, MQ
    /// with more than one queue; CONFIG_WCE, DISCARD and WRITE_ZEROES by property; the transport's
    /// VERSION_1, INDIRECT_DESC, EVENT_IDX, NOTIFY_ON_EMPTY and ANY_LAYOUT), less every bit of
    /// `user_feature_bits` the back-end does not offer (vhost_get_features). nil for other front-ends,
    /// which this does not model.
    public static func offered(backend: FeatureSet, by spec: QEMUDeviceSpec, device: Device, cpus: Int = 1) -> FeatureSet? {
        if family(of: spec.driver) == "vhost-user-vsock" { return vsockOffered(backend: backend, by: spec, device: device) }
        guard family(of: spec.driver) == "vhost-user-blk" else { return nil }
        let queues = spec.number("num-queues") ?? UInt64(cpus)
        var own = ["SIZE_MAX", "SEG_MAX", "GEOMETRY", "TOPOLOGY", "BLK_SIZE", "FLUSH", "RO", "VERSION_1", "INDIRECT_DESC",
                   "EVENT_IDX", "NOTIFY_ON_EMPTY", "ANY_LAYOUT"]
        if queues > 1 { own.append("MQ") }
        for (property, feature) in [("config-wce", "CONFIG_WCE"), ("discard", "DISCARD"), ("write-zeroes", "WRITE_ZEROES")]
        where spec.flag(property) != false {
            own.append(feature)
        }
        let userFeatureBits: Set<String> = ["SIZE_MAX", "SEG_MAX", "GEOMETRY", "BLK_SIZE", "TOPOLOGY", "MQ", "RO", "FLUSH",
                                            "CONFIG_WCE", "DISCARD", "WRITE_ZEROES", "VERSION_1", "INDIRECT_DESC",
                                            "EVENT_IDX", "NOTIFY_ON_EMPTY", "RING_PACKED", "ACCESS_PLATFORM", "RING_RESET"]
        return FeatureSet(bits: own.compactMap { name -> Int? in
            guard let bit = device.feature(named: name)?.bit else { return nil }
            return !userFeatureBits.contains(name) || backend.contains(bit) ? bit : nil
        })
    }

    /// The features vhost-user-vsock offers the guest: the transport's own (INDIRECT_DESC, EVENT_IDX,
    /// NOTIFY_ON_EMPTY, ANY_LAYOUT, RING_RESET with queue_reset on, VERSION_1 on its modern-only
    /// function) and SEQPACKET unless seqpacket=off; then VERSION_1, INDIRECT_DESC, EVENT_IDX and
    /// NOTIFY_ON_EMPTY (`vuv_get_features`' user_feature_bits, hw/virtio/vhost-user-vsock.c), SEQPACKET
    /// and RING_RESET (`vhost_vsock_common_get_features`' feature_bits, hw/virtio/vhost-vsock-common.c)
    /// only where the back-end offers them.
    static func vsockOffered(backend: FeatureSet, by spec: QEMUDeviceSpec, device: Device) -> FeatureSet {
        var own = ["INDIRECT_DESC", "EVENT_IDX", "NOTIFY_ON_EMPTY", "ANY_LAYOUT", "VERSION_1"]
        if spec.flag("queue_reset") != false { own.append("RING_RESET") }
        if spec.flag("seqpacket") != false { own.append("SEQPACKET") }
        let masked: Set<String> = ["VERSION_1", "INDIRECT_DESC", "EVENT_IDX", "NOTIFY_ON_EMPTY", "SEQPACKET", "RING_RESET"]
        return FeatureSet(bits: own.compactMap { name -> Int? in
            guard let bit = device.feature(named: name)?.bit else { return nil }
            return !masked.contains(name) || backend.contains(bit) ? bit : nil
        })
    }
}
