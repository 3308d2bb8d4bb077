import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// Linux 6.1's vDPA stack in the models, held against what the real one did: each table below is
/// ftrace's record of the calls Linux 6.1 (6.1.0-57-cloud-amd64) made into vdpa_sim, with iproute2
/// 6.1 and DPDK 22.11.11, in the vDPA guest (`cfgspace guest --bus vdpa`, `--driver dpdk`, which CI
/// runs too). The models must make the same calls, in the same order.
@Suite struct VDPASimTests {
    let net: Device
    init() throws { net = try netDevice() }

    private func blkDevice() throws -> Device {
        let loaded = try LayoutLoader().load(path: PackagePaths.layout("blk.layout").path)
        guard let device = loaded.devices.first else { throw TestFailure(description: "no blk layout") }
        return device.asOf(nil)
    }

    private typealias Op = VDPAParentCall.Operation

    /// Calls as (operation, caller), the part of a call both sides know.
    private func shape(_ calls: [VDPAParentCall]) -> [String] { calls.map { "\($0.text) [\($0.caller.rawValue)]" } }

    private func expected(_ operations: [(Op, VDPAParentCall.Caller)]) -> [String] {
        shape(operations.map { VDPAParentCall($0.0, caller: $0.1) })
    }

    /// vdpa_sim_net's features, VDPASIM_NET_FEATURES, and its refusal of any set without
    /// ACCESS_PLATFORM, features 0 included.
    @Test func vdpaSimNetOffersItsFeaturesAndNeedsAccessPlatform() throws {
        let (device, _) = try model(.vdpaSimNet, of: net)
        #expect(device.offered.words.first == 0x3_0882_0028)
        #expect(device.acceptDriverFeatures(FeatureSet()) == Errno.einval)
        #expect(device.acceptDriverFeatures(try features("MAC,MTU,VERSION_1", of: net)) == Errno.einval)
        #expect(device.acceptDriverFeatures(try features("MAC,MTU,VERSION_1,ACCESS_PLATFORM", of: net)) == 0)
        #expect(throws: ScenarioError.self) { try model(.vdpaSimNet, of: net, offering: "MAC,STATUS,VERSION_1,ACCESS_PLATFORM") }
    }

    /// `vdpa dev config show` before any driver: the parent's get_config straight from
    /// vdpa_dev_config_fill, no set_features first, and iproute2's line.
    @Test func configShowWithNoDriverReadsWithoutFeatures() throws {
        let session = try VDPASimSession.net(net, values: [("mtu", "9000")])
        let shown = session.configShow(name: "vdpa0")
        #expect(shown.lines == ["vdpa0: mac 52:54:00:12:34:56 link up link_announce false mtu 9000 "])
        #expect(shape(shown.calls) == expected([(.getConfig(offset: 0, length: 24), .netlink), (.getDeviceFeatures, .netlink)]))
        #expect(session.model.trace.entries.allSatisfy { if case .setFeatures = $0.event { false } else { true } })
    }

    /// virtio_net binding through virtio_vdpa: features before validate, so no features 0; then
    /// iproute2 reports them as negotiated.
    @Test func linuxCurrentBindsAsTheRealOneDid() throws {
        let session = try VDPASimSession.net(net, values: [("mtu", "9000")])
        _ = session.configShow(name: "vdpa0")
        let binding = session.bind(net: .linuxCurrent)
        let mac = (0..<6).map { (Op.getConfig(offset: $0, length: 1), VDPAParentCall.Caller.driver) }
        #expect(shape(binding.calls) == expected([
            (.reset, .driver), (.setStatus(0x1), .driver), (.setStatus(0x3), .driver), (.getDeviceFeatures, .driver),
            (.setDriverFeatures(0x3_0082_0028, result: 0), .driver), (.getConfig(offset: 10, length: 2), .driver),
            (.setStatus(0xb), .driver),
        ] + mac + [(.getConfig(offset: 10, length: 2), .driver), (.setStatus(0xf), .driver)]))
        #expect(binding.view?["mtu"] == .number(9000))
        #expect(session.configShow(name: "vdpa0").lines.last
                == "  negotiated_features MTU MAC CTRL_VQ CTRL_MAC_ADDR VERSION_1 ACCESS_PLATFORM")
    }

    /// DPDK 22.11 through vhost-vdpa: virtio-user reads the MAC before any feature is set, the core
    /// writes features 0 first and vdpa_sim refuses them; MTU never reaches the PMD.
    @Test func dpdkThroughVhostVDPAMeetsTheLegacyPath() throws {
        let session = try VDPASimSession.net(net, values: [("mac", "52:54:00:12:34:57"), ("mtu", "9000")])
        let binding = session.bind(net: .dpdk)
        #expect(shape(binding.calls) == expected([
            (.reset, .driver), (.getDeviceFeatures, .driver), (.setDriverFeatures(0, result: Errno.einval), .core),
            (.getConfig(offset: 0, length: 6), .driver), (.reset, .driver), (.setStatus(0x1), .driver),
            (.setStatus(0x3), .driver), (.setDriverFeatures(0x3_0000_0000, result: 0), .driver), (.setStatus(0xb), .driver),
            (.setStatus(0xf), .driver),
        ]))
        let port = DPDKPort(device: net, offered: binding.offered, negotiated: binding.negotiated, view: binding.view)
        // The PMD's debug log in the guest: host_features 100000020, features after negotiate 100000020.
        #expect(port.requested == 0x8000_005f_10ef_8028)
        #expect(port.offered == 0x1_0000_0020 && port.negotiated == 0x1_0000_0020)
        #expect(port.mac == [0x52, 0x54, 0x00, 0x12, 0x34, 0x57])
        #expect(port.maxMTU == 9698)
        #expect(port.accepts(9698).accepted && !port.accepts(9699).accepted)
        #expect(port.accepts(9699).reason == "MTU (9699) > device max MTU (9698) for port_id 0")
    }

    /// DPDK 22.11 on QEMU's virtio-net-pci (mq=off, host_mtu=9000), as the guest's testpmd saw it:
    /// host_features 10130bf802c, features after negotiate 110af8028, max MTU 9000.
    @Test func dpdkOnQEMUNegotiatesAsTestpmdDid() throws {
        let offered = FeatureSet(words: [0x101_30bf_802c])
        let outcome = try simulator().run(Scenario(driver: .dpdk, device: .qemu, features: .exactly(offered),
                                                   values: [("mtu", "9000")]))
        let port = DPDKPort(device: net, offered: outcome.offered, negotiated: outcome.negotiated, view: outcome.view)
        #expect(port.negotiated == 0x1_10af_8028)
        #expect(port.maxMTU == 9000)
        #expect(port.accepts(9000).accepted && !port.accepts(9001).accepted)
        #expect(port.accepts(9001).reason == "MTU (9001) > device max MTU (9000) for port_id 0")
        // mtu before any feature write, then the rest only because CTRL_VQ was negotiated.
        #expect(outcome.reads.map(\.field) == ["mtu", "mac", "mac", "status", "mtu"])
    }

    /// vdpa_sim_blk bound through virtio_vdpa, as ftrace and /sys/block/vda showed it.
    @Test func virtioBlkOnVDPASimReadsAsTheRealOneDid() throws {
        let session = try VDPASimSession.blk(try blkDevice())
        #expect(session.configShow(name: "vdpa1").lines == ["kernel answers: Operation not supported"])
        let (prediction, calls) = session.bindBlk(cpus: 2)
        let reads: [(Int, Int)] = [(12, 4), (34, 2), (8, 4), (20, 4), (24, 1), (25, 1), (26, 2), (28, 4), (44, 4), (36, 4),
                                   (40, 4), (48, 4), (0, 8)]
        #expect(shape(calls) == expected([
            (.reset, .driver), (.setStatus(0x1), .driver), (.setStatus(0x3), .driver), (.getDeviceFeatures, .driver),
            (.setDriverFeatures(0x3_0000_7646, result: 0), .driver), (.setStatus(0xb), .driver),
        ] + reads.map { (Op.getConfig(offset: $0.0, length: $0.1), .driver) } + [(.setStatus(0xf), .driver)]))
        let sysfs = prediction.view.texts
        #expect(sysfs["size"] == "262144" && sysfs["discard_granularity"] == "262144")
        #expect(sysfs["discard_max_bytes"] == "2199023255040" && sysfs["queues"] == "1")
        #expect(prediction.view.log.last == "[vda] 262144 512-byte logical blocks (134 MB/128 MiB)")
    }

    /// `simulate` has vdpa_sim too, on the vDPA bus: the DPDK scenario shows the refused features 0.
    @Test func simulateRunsDPDKOnVDPASim() throws {
        let outcome = try simulator().run(Scenario(driver: .dpdk, device: .vdpaSimNet))
        #expect(outcome.bus == .vdpa)
        let first = try #require(outcome.setFeatureCalls().first)
        #expect(first.party == .bus && first.features.isEmpty && first.result == Errno.einval)
        #expect(outcome.mtu == NetValues.defaultMTU)
        #expect(!net.has("MTU", in: outcome.negotiated))
    }
}
