import ConfigLayout

/// What every Linux 6.1 vDPA simulator shares (drivers/vdpa/vdpa_sim/vdpa_sim.c at v6.1):
/// `vdpasim_set_driver_features` refuses any set without ACCESS_PLATFORM ("DMA mapping must be done
/// by driver": -EINVAL), features 0 included, and keeps the rest masked by what the device offers;
/// `vdpasim_get_config` refuses a read past the config by returning without a copy;
/// `vdpasim_get_generation` reports a counter that only `vdpasim_do_reset` moves.
public class VDPASimDevice: DeviceModel {
    private var generationCounter: UInt32 = 0 {
        didSet { readStateDidChange() }
    }

    override func setDriverFeatures(_ features: FeatureSet) -> Int32 {
        guard device.has("ACCESS_PLATFORM", in: features) else {
            trace.note(.device, "\(name): vdpasim_set_driver_features needs ACCESS_PLATFORM: -EINVAL")
            return Errno.einval
        }
        driverFeatures = features.intersection(offered)
        return 0
    }

    override var generationFollowsImage: Bool { false }

    override func configGeneration() -> UInt32 { generationCounter }

    override func didReset() { generationCounter &+= 1 }

    /// "if (offset + len > vdpasim->dev_attr.config_size) return;"
    func isInside(offset: Int, count: Int) -> Bool {
        let (end, overflow) = offset.addingReportingOverflow(count)
        return offset >= 0 && !overflow && end <= configSize
    }
}
