import ConfigLayout

/// What QEMU 7.2's vhost-user front-ends present to the driver, given what their back-end serves:
/// cfgspace predicts what the guest reads, not only what it served.
public enum QEMUFrontend {
    /// The config a driver reads through QEMU's transport when the back-end serves `served`, for the
    /// front-end `spec` (`vhost-user-blk-pci,num-queues=2`) on a machine with `cpus` CPUs.
    public static func presented(_ served: [UInt8], by spec: QEMUDeviceSpec, device: Device, cpus: Int = 1) -> [UInt8] {
        switch spec.driver {
        case "vhost-user-blk", "vhost-user-blk-pci", "vhost-user-blk-pci-transitional", "vhost-user-blk-pci-non-transitional":
            return blk(served, spec: spec, device: device, cpus: cpus)
        default:
            return served
        }
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
}
