import Testing
import TestSupport
@testable import ConfigLayout
@testable import Spelling

@Suite struct CheckerTests {
    @Test func netDeclaresEveryFeatureAndField() throws {
        let net = try netDevice()
        #expect(net.id == 1)
        #expect(net.config?.fields.map(\.name) == ["mac", "status", "max_virtqueue_pairs", "mtu", "speed", "duplex",
                                                   "rss_max_key_size", "rss_max_indirection_table_length",
                                                   "supported_hash_types", "supported_tunnel_types"])
        // Bits above 63.
        #expect(net.feature(named: "RSS_CONTEXT")?.bit == 64)
        #expect(net.feature(named: "IPSEC")?.bit == 70)
        #expect(net.feature(named: "RSS_CONTEXT")?.requires == .and([.feature("CTRL_VQ"), .feature("RSS")]))
        // Transport bits are in scope.
        #expect(net.feature(named: "VERSION_1")?.scope == .transport)
        #expect(net.config?.size == 28)
    }

    @Test func aFieldCanChangeAcrossSpecVersions() throws {
        let loaded = try LayoutLoader().load(path: PackagePaths.layout("net.layout").path)
        let net = try #require(loaded.devices.first)
        let condition = { (version: SpecVersion?) in
            net.asOf(version).config?.member(at: ["max_virtqueue_pairs"])?.existence?.condition
        }
        #expect(condition(SpecVersion(major: 1, minor: 1)) == .feature("MQ"))
        #expect(condition(SpecVersion(major: 1, minor: 2)) == .or([.feature("MQ"), .feature("RSS")]))
        #expect(condition(nil) == .or([.feature("MQ"), .feature("RSS")]))
        #expect(net.asOf(SpecVersion(major: 1, minor: 0)).config?.fields.map(\.name)
            == ["mac", "status", "max_virtqueue_pairs"])
    }

    @Test func legacyBitsMayShareWithTransportBits() throws {
        let net = try netDevice()
        // GUEST_RSC4 (legacy) and ADMIN_VQ (transport) are both bit 41 in the spec.
        #expect(Set(net.features(withBit: 41).map(\.name)) == ["GUEST_RSC4", "ADMIN_VQ"])
        #expect(net.names(of: FeatureSet(bits: [41])) == ["ADMIN_VQ"])
    }

    @Test func nestedConditionsAndTypes() throws {
        let device = try device("""
            device d = 2 {
              feature G = 4
              struct pair { a le16; b le16 }
              config c {
                geometry struct { cylinders le16; heads u8; sectors u8 } if G
                u union { bytes u8[8]; p pair }
              }
            }
            """)
        #expect(device.config?.size == 12)
        #expect(device.config?.member(at: ["u", "p", "b"])?.type.size == 2)
    }

    @Test func suggestionsForTypos() {
        #expect(Suggestion.closest(to: "MTUU", in: ["MTU", "MAC"]) == "MTU")
        #expect(Suggestion.closest(to: "VIRTIO_NET_F_MTU", in: ["MTU", "MAC"]) == "MTU")
        #expect(Suggestion.closest(to: "mtu", in: ["MTU", "MAC"]) == "MTU")
        #expect(Suggestion.closest(to: "XYZZY", in: ["MTU", "MAC"]) == nil)
    }
}


@Suite struct SuggestionTests {
    @Test func swapsOfNeighboursCountOnce() {
        #expect(Suggestion.editDistance("tabel", "table", limit: 3) == 1)
        #expect(Suggestion.editDistance("", "abc", limit: 3) == 3)
        #expect(Suggestion.editDistance("kitten", "sitting", limit: 5) == 3)
        #expect(Suggestion.closest(to: "tabel", in: ["check", "table", "diff"]) == "table")
    }
}
