import ConfigLayout

/// Linux 6.1's vDPA block simulator, `vdpasim_blk` (drivers/vdpa/vdpa_sim/vdpa_sim_blk.c at v6.1):
///
/// - offers `VDPASIM_BLK_FEATURES`: `VDPASIM_FEATURES` (ANY_LAYOUT, VERSION_1, ACCESS_PLATFORM) with
///   FLUSH, SIZE_MAX, SEG_MAX, BLK_SIZE, TOPOLOGY, MQ, DISCARD and WRITE_ZEROES;
/// - takes no attributes at `vdpa dev add` (its management device has no `config_attr_mask`);
/// - fills the whole config on every read (`vdpasim_blk_get_config`: a memset, then each field with
///   `cpu_to_vdpasim*`, in the order of the features at that moment): a 128 MiB disk
///   (VDPASIM_BLK_CAPACITY 0x40000 sectors), size_max 4096, seg_max 32, one queue, 512-byte blocks,
///   discard_sector_alignment 512 (the bytes of a sector, in a field counted in sectors), and
///   UINT_MAX sectors of discard and write zeroes, one segment each;
/// - has a 72-byte config (`sizeof(struct virtio_blk_config)` in 6.1, up to
///   secure_erase_sector_alignment), and shares the rest of vdpa_sim (`VDPASimDevice`).
public final class VDPASimBlkDevice: VDPASimDevice {
    /// VDPASIM_BLK_FEATURES.
    static let featureNames = ["ANY_LAYOUT", "VERSION_1", "ACCESS_PLATFORM", "FLUSH", "SIZE_MAX", "SEG_MAX", "BLK_SIZE",
                               "TOPOLOGY", "MQ", "DISCARD", "WRITE_ZEROES"]
    static let sectorSize: UInt64 = 512
    static let capacity: UInt64 = 0x40000
    /// VDPASIM_BLK_DWZ_MAX_SECTORS.
    static let discardAndWriteZeroesSectors = UInt64(UInt32.max)
    /// What `vdpasim_blk_get_config` writes; every other byte is zero.
    static let values: [(path: String, value: FieldValue)] = [
        ("capacity", .integer(capacity)), ("size_max", .integer(0x1000)), ("seg_max", .integer(32)),
        ("num_queues", .integer(1)), ("topology.min_io_size", .integer(1)), ("topology.opt_io_size", .integer(1)),
        ("blk_size", .integer(sectorSize)), ("discard_sector_alignment", .integer(sectorSize)),
        ("max_discard_sectors", .integer(discardAndWriteZeroesSectors)), ("max_discard_seg", .integer(1)),
        ("max_write_zeroes_sectors", .integer(discardAndWriteZeroesSectors)), ("max_write_zeroes_seg", .integer(1)),
    ]

    /// The simulator for a blk layout (as of the newest spec), recording into `trace`.
    public init(device: Device, trace: Trace, guestIsLittleEndian: Bool = true) throws(ScenarioError) {
        let everything = FeatureSet(bits: device.allFeatures.map(\.bit))
        let image: ConfigImage
        do {
            image = try ConfigImage(device: device, interpretation: .fixed, features: everything, values: Self.values)
        } catch {
            throw ScenarioError("the vdpa_sim blk model needs a blk layout: \(error.description)")
        }
        super.init(name: "vdpasim-blk", device: device, offered: device.features(named: Self.featureNames), image: image,
                   configSize: image.layout.measure(.end(of: ["secure_erase_sector_alignment"])),
                   pastEnd: .untouched, guestIsLittleEndian: guestIsLittleEndian, trace: trace)
    }

    override func serveConfig(offset: Int, into buffer: inout [UInt8]) -> ReadOutcome {
        isInside(offset: offset, count: buffer.count) ? super.serveConfig(offset: offset, into: &buffer) : .untouched
    }
}
