import Testing
@testable import ConfigLayout

/// Both interpretations and both sizings on net, against tables worked out by hand from the spec's
/// struct (and, for sizes, QEMU's feature_sizes table in hw/net/virtio-net.c).
@Suite struct LayoutEngineTests {
    let net: Device

    init() throws {
        net = try netDevice()
    }

    private func set(_ names: String...) -> FeatureSet {
        FeatureSet(bits: names.compactMap { net.feature(named: $0)?.bit })
    }

    private func offsets(_ features: FeatureSet, _ interpretation: Interpretation) -> [String: Int] {
        let layout = Layout(device: net, features: features, interpretation: interpretation)
        return Dictionary(uniqueKeysWithValues: layout.fields.compactMap { field in field.offset.map { (field.path, $0) } })
    }

    @Test func fixedOffsetsAreTheCOffsetsWhateverTheFeatures() {
        let expected = ["mac": 0, "status": 6, "max_virtqueue_pairs": 8, "mtu": 10, "speed": 12, "duplex": 16,
                        "rss_max_key_size": 17, "rss_max_indirection_table_length": 18, "supported_hash_types": 20,
                        "supported_tunnel_types": 24]
        for features in [set(), set("MTU"), set("STATUS", "MTU"), set("RSS", "CTRL_VQ", "HASH_TUNNEL")] {
            #expect(offsets(features, .fixed) == expected)
            #expect(Layout(device: net, features: features, interpretation: .fixed).size == 28)
        }
    }

    @Test func packedOffsets() throws {
        #expect(offsets(set(), .packed) == ["mac": 0])
        #expect(offsets(set("STATUS", "MTU"), .packed) == ["mac": 0, "status": 6, "mtu": 8])
        #expect(offsets(set("MTU"), .packed) == ["mac": 0, "mtu": 6])
        #expect(offsets(set("SPEED_DUPLEX"), .packed) == ["mac": 0, "speed": 6, "duplex": 10])
        #expect(offsets(set("RSS", "CTRL_VQ"), .packed) == ["mac": 0, "max_virtqueue_pairs": 6, "rss_max_key_size": 8,
                                                            "rss_max_indirection_table_length": 9,
                                                            "supported_hash_types": 11])
        #expect(offsets(set("HASH_REPORT"), .packed) == ["mac": 0, "rss_max_key_size": 6, "supported_hash_types": 7])
        let everything = try net.parseFeatures("all").get()
        #expect(offsets(everything, .packed) == offsets(everything, .fixed))
    }

    @Test func packedFullSizeIsTheSumOfPresentFields() {
        let sizes: [(FeatureSet, Int)] = [(set(), 6), (set("STATUS", "MTU"), 10), (set("SPEED_DUPLEX"), 11),
                                          (set("RSS", "CTRL_VQ"), 15), (set("HASH_TUNNEL", "HASH_REPORT"), 15)]
        for (features, size) in sizes {
            #expect(Layout(device: net, features: features, interpretation: .packed).size == size)
        }
    }

    @Test func qemuSizing() {
        let sizes: [(FeatureSet, Int)] = [(set(), 6), (set("MAC"), 6), (set("STATUS"), 8), (set("MQ"), 10),
                                          (set("MTU"), 12), (set("MQ", "MTU"), 12), (set("STATUS", "MTU"), 12),
                                          (set("SPEED_DUPLEX"), 17), (set("RSS"), 24), (set("HASH_REPORT"), 24),
                                          (set("HASH_TUNNEL"), 6), (set("HASH_TUNNEL", "RSS"), 24)]
        for (features, size) in sizes {
            #expect(Layout(device: net, features: features, interpretation: .fixed, sizing: .qemu).size == size,
                    "\(net.names(of: features))")
        }
        // QEMU's table has no HASH_TUNNEL entry; the layout's own conditions would reach 28.
        #expect(Layout(device: withoutQemuTable(net), features: set("HASH_TUNNEL"), interpretation: .fixed,
                       sizing: .qemu).size == 28)
        // Under packed, QEMU's rule measures the packed ends: status 6..8, mtu 8..10.
        #expect(Layout(device: net, features: set("STATUS", "MTU"), interpretation: .packed, sizing: .qemu).size == 10)
    }

    /// QEMU's virtio_get_config_size over its feature_sizes table, transcribed: the oracle for
    /// every subset of the features the table names.
    @Test func qemuSizingMatchesQEMUsTableForEverySubset() {
        let table: [(flags: [String], end: Int)] = [(["MAC"], 6), (["STATUS"], 8), (["MQ"], 10), (["MTU"], 12),
                                                    (["SPEED_DUPLEX"], 17), (["RSS", "HASH_REPORT"], 24)]
        let names = ["MAC", "STATUS", "MQ", "MTU", "SPEED_DUPLEX", "RSS", "HASH_REPORT"]
        for features in allSubsets(of: names.compactMap { net.feature(named: $0)?.bit }) {
            var offered = features
            offered.insert(5)  // virtio_net_set_config_size adds VIRTIO_NET_F_MAC
            var qemu = 6       // min_size = endof(struct virtio_net_config, mac)
            for entry in table where entry.flags.contains(where: { net.isSet($0, in: offered) }) {
                qemu = max(qemu, entry.end)
            }
            #expect(Layout(device: net, features: features, interpretation: .fixed, sizing: .qemu).size == qemu,
                    "\(net.names(of: features))")
        }
    }

    @Test func presenceValidityAndInside() throws {
        let layout = Layout(device: net, features: set("MTU"), interpretation: .fixed, sizing: .qemu)
        let mac = try #require(layout.field("mac"))
        #expect(mac.exists && !mac.isValid)
        let status = try #require(layout.field("status"))
        #expect(!status.exists && status.offset == 6 && status.isInside)
        let speed = try #require(layout.field("speed"))
        #expect(!speed.isInside)
    }

    @Test func nestedStructsAndUnions() throws {
        let device = try device("""
            device d = 2 {
              feature G = 4
              feature U = 5
              config c {
                capacity le64
                geometry struct { cylinders le16; heads u8; sectors u8 } if G
                blk_size le32
                u union { small u8[2]; big le32 if U }
                tail u8
              }
            }
            """)
        let fixed = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        #expect(fixed.fields.map(\.path) == ["capacity", "geometry.cylinders", "geometry.heads", "geometry.sectors",
                                             "blk_size", "u.small", "u.big", "tail"])
        #expect(fixed.fields.map(\.offset) == [0, 8, 10, 11, 12, 16, 16, 20])
        #expect(fixed.size == 21)
        let packed = Layout(device: device, features: FeatureSet(), interpretation: .packed)
        #expect(packed.fields.map(\.offset) == [0, nil, nil, nil, 8, 12, nil, 14])
        #expect(packed.size == 15)
        let packedAll = Layout(device: device, features: FeatureSet(bits: [4, 5]), interpretation: .packed)
        #expect(packedAll.fields.map(\.offset) == fixed.fields.map(\.offset))
    }
}
