import ConfigLayout
import Foundation
import Testing
import TestSupport
import VirtioModel
@testable import VirtioHost

/// The vDPA guest image, built once per run into the same cache as the plain guest (after it: the
/// vDPA build reuses its kernel).
enum VDPAGuestFixture {
    static let image: Result<GuestImage, HostError> = Result { () throws(HostError) in
        _ = GuestFixture.image
        return try GuestImage.ensure(flavour: .vdpa, cache: GuestFixture.cache, timeout: .seconds(900))
    }

    static var isAvailable: Bool {
        guard QEMUAvailability.isInstalled, case .success = image else { return false }
        return true
    }

    static func layout(_ name: String, id: Int) throws -> Device {
        try ProbeTarget.builtinLayout(forID: id, likely: name).device.asOf(nil)
    }

    /// `guest --bus vdpa --device net --set mtu=9000 --replay`, `--bus vdpa --device blk` and
    /// `--driver dpdk`, in one boot of the guest.
    static let runs: Result<(vdpa: [GuestVDPARun.Result], dpdk: GuestDPDKRun.Result), Error> = Result {
        let image = try VDPAGuestFixture.image.get()
        let net = try layout("net", id: 1)
        return try VDPAGuest.run(
            vdpa: [.init(kind: .net, layout: net, values: [("mtu", "9000")], replay: true, image: image),
                   .init(kind: .blk, layout: try layout("blk", id: 2), image: image)],
            dpdk: .init(layout: net, image: image))
    }
}

/// Linux 6.1's own vDPA core with vdpa_sim, iproute2's vdpa and DPDK 22.11's testpmd in one TCG guest;
/// every call into vdpa_sim, every value the drivers report, must be what the models predict.
@Suite(.enabled(if: VDPAGuestFixture.isAvailable || Tools.areRequired,
                "needs qemu-system-x86_64 and the vDPA guest image (Guest/build-vdpa-image: make, gcc-12, iproute2, dpdk-dev); .ci/run installs and builds them"))
struct VDPAGuestTests {
    private func differences(_ sections: [GuestSection]) -> [String] {
        sections.flatMap { section in
            section.rows.filter { !$0.agrees }.map { "\(section.title) / \($0.name): model \($0.predicted), guest \($0.guest)" }
        }
    }

    private func vdpa(_ kind: GuestVDPARun.Kind) throws -> GuestVDPARun.Result {
        let runs = try VDPAGuestFixture.runs.get()
        return try #require(runs.vdpa.first { $0.title.contains(kind == .net ? "virtio_net" : "virtio_blk") })
    }

    /// virtio_net on vdpa_sim: the netlink read before the bind (no features, none set), the bind's
    /// calls (features before validate: no set_features(0)), eth0 at 9000, and the negotiated features.
    @Test func netOnVDPASimIsWhatTheModelsPredict() throws {
        let result = try vdpa(.net)
        #expect(result.agrees, "\(differences(result.sections))")
        #expect(result.report.value("net0.eth.mtu") == "9000")
        #expect(result.report.values("net0.show_before").first?.hasPrefix("net0: mac 52:54:00:12:34:56 link up") == true)
        let bind = VDPAGuest.calls(result.report, "net0.trace_bind").map(\.call)
        #expect(!bind.contains { $0.caller == .core }, "6.1 writes features before any config read")
        let before = VDPAGuest.calls(result.report, "net0.trace_before").map(\.call)
        #expect(before.map(\.caller) == [.netlink, .netlink])
    }

    /// The replay's scenario 3 on the real stack, with vdpa_sim for mlx5-5.12; the rest say what they need.
    @Test func replayScenarioThreeAgrees() throws {
        let result = try vdpa(.net)
        let replay = try #require(result.sections.first { $0.title.hasPrefix("the replay's") })
        #expect(replay.rows.count == 4 && replay.agrees, "\(differences([replay]))")
        #expect(replay.lines.contains { $0.contains("needs mlx5 hardware") && $0.contains("7 ") })
    }

    /// virtio_blk on vdpa_sim_blk: the netlink answer is EOPNOTSUPP, the disk is 128 MiB, every read
    /// where the model put it.
    @Test func blkOnVDPASimIsWhatTheModelsPredict() throws {
        let result = try vdpa(.blk)
        #expect(result.agrees, "\(differences(result.sections))")
        #expect(result.report.values("blk0.show_before") == ["kernel answers: Operation not supported"])
        #expect(result.report.value("blk0.vda.size") == "262144")
    }

    /// testpmd on both ports: PCI reads the real config (MAC, max MTU 9000); vdpa_sim through
    /// vhost-vdpa has its MAC read before any feature, refused features 0, and no MTU.
    @Test func dpdkIsWhatTheModelPredicts() throws {
        let result = try VDPAGuestFixture.runs.get().dpdk
        #expect(result.agrees, "\(differences(result.sections))")
        let pci = TestpmdLog(result.report.values("dpdk.pci.out"))
        #expect(pci.macs.first == "52:54:00:12:34:56")
        #expect(pci.attempts.first { $0.mtu == 9001 }?.accepted == false)
        let calls = VDPAGuest.calls(result.report, "dpdk.dpdk0.trace").map(\.call)
        let core = try #require(calls.first { $0.caller == .core })
        #expect(core.operation == .setDriverFeatures(0, result: -22))
    }

    @Test func nothingOutlivesTheBoot() throws {
        let runs = try VDPAGuestFixture.runs.get()
        for pid in runs.dpdk.processes { #expect(ProcessTable.isGone(pid), "process \(pid) outlived the guest run") }
    }
}
