import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// The outcomes the runtime exists to show, from the scenario API: the 2021 thread replayed step by
/// step, its fixes, and its relatives.
@Suite struct ReplayTests {
    let simulator: Simulator
    init() throws { simulator = try VirtioModelTests.simulator() }

    private var device: Device { simulator.device }

    // 1. linux-5.12 on vDPA with mlx5-5.12 offering MTU 9000: validate reads 0, F_MTU is dropped.
    @Test func linux512OnMlx5LosesTheMTU() throws {
        let outcome = try simulator.run(Scenario(driver: .linux5_12, device: .mlx5_5_12, values: [("mtu", "9000")]))
        #expect(outcome.bus == .vdpa)
        #expect(device.has("MTU", in: outcome.offered))

        // The validate read happens before any feature is written, so the vDPA core calls
        // set_features(0) and mlx5 refuses it; the read then finds mtu still 0.
        let calls = outcome.setFeatureCalls()
        let first = try #require(calls.first)
        #expect(first.party == .bus && first.features.isEmpty && first.result == Errno.eopnotsupp)
        let validate = try #require(outcome.reads(of: "mtu", in: "validate").first)
        #expect(validate.offset == 10 && validate.bytes == [0, 0] && validate.value == 0)
        // The real features reach the device only later, from the driver, and succeed.
        #expect(calls.dropFirst().allSatisfy { $0.party == .driver && $0.result == 0 })
        #expect(calls.count == 2)

        #expect(outcome.dropped.map(\.feature) == ["MTU"])
        #expect(!device.has("MTU", in: outcome.negotiated))
        #expect(outcome.probeFailure == nil)
        #expect(outcome.mtu == NetValues.defaultMTU)
        // Probe does not read mtu again once F_MTU is gone.
        #expect(outcome.reads(of: "mtu", in: "probe").isEmpty)
        // mlx5 served 0 while offering MTU: the device breaks the MTU range rule.
        #expect(outcome.rules() == [.valueOutOfRange])
    }

    // 2. The patch from the thread: set_features(0) is accepted, so mtu is written before the read.
    @Test func thePatchedMlx5ServesTheMTU() throws {
        let outcome = try simulator.run(Scenario(driver: .linux5_12, device: .mlx5_5_12Patched, values: [("mtu", "9000")]))
        let first = try #require(outcome.setFeatureCalls().first)
        #expect(first.party == .bus && first.features.isEmpty && first.result == 0)
        #expect(outcome.reads(of: "mtu", in: "validate").first?.value == 9000)
        #expect(outcome.dropped.isEmpty)
        #expect(outcome.mtu == 9000)
        #expect(outcome.violations.isEmpty)
    }

    // 3. Linux with 4fa59ede9519 writes every feature before validate: no set_features(0) at all.
    @Test func currentLinuxOnMlx5GetsTheMTU() throws {
        let outcome = try simulator.run(Scenario(driver: .linuxCurrent, device: .mlx5_5_12, values: [("mtu", "9000")]))
        #expect(outcome.setFeatureCalls().allSatisfy { $0.party == .driver && !$0.features.isEmpty && $0.result == 0 })
        #expect(outcome.reads(of: "mtu", in: "validate").first?.value == 9000)
        #expect(outcome.mtu == 9000)
        #expect(device.has("MTU", in: outcome.negotiated))
        #expect(outcome.violations.isEmpty)
    }

    // 4. A packed device offering MTU without MQ: Linux reads offset 10 and gets the wrong value.
    @Test func packedDeviceMisleadsAFixedOffsetDriver() throws {
        let outcome = try simulator.run(Scenario(driver: .linuxCurrent, device: .packed,
                                                 features: .exactly(features("MAC,STATUS,MTU,VERSION_1", of: device)),
                                                 values: [("mtu", "9000")]))
        let packed = Layout(device: device, features: outcome.offered, interpretation: .packed)
        #expect(packed.field("mtu")?.offset == 8)
        let reads = outcome.configReads.filter { $0.field == "mtu" }
        #expect(!reads.isEmpty)
        for read in reads {
            // The bytes Linux got: offset 10 is past the packed 10-byte config, so QEMU-style all-ones.
            #expect(read.offset == 10 && read.width == 2 && read.bytes == [0xff, 0xff] && read.outcome == .allOnes)
        }
        #expect(outcome.mtu == 0xffff)
        #expect(outcome.mtu != 9000)
        #expect(outcome.rules() == [.readsPastTheEnd])
    }

    // 4, again with the tail present: SPEED_DUPLEX puts speed's bytes where Linux looks for mtu.
    @Test func packedDeviceServesSpeedBytesAsMTU() throws {
        let outcome = try simulator.run(Scenario(driver: .linuxCurrent, device: .packed,
                                                 features: .exactly(features("MAC,STATUS,MTU,SPEED_DUPLEX,VERSION_1", of: device)),
                                                 values: [("mtu", "9000"), ("speed", "0x00010002")]))
        let read = try #require(outcome.reads(of: "mtu", in: "validate").first)
        #expect(read.offset == 10 && read.bytes == [0x02, 0x00] && read.value == 2)
        // 2 < 68: Linux clears F_MTU, and the guest runs at 1500.
        #expect(outcome.dropped.map(\.feature) == ["MTU"])
        #expect(outcome.mtu == NetValues.defaultMTU)
    }

    // 5. DPDK on vDPA is virtio-user over vhost-vdpa. DPDK 22.11's virtio-user reads the MAC before any
    // feature is set (virtio_user_dev_init_mac), so the core still calls set_features(0) and mlx5
    // refuses it; but it never offers MTU to the PMD (VIRTIO_USER_SUPPORTED_FEATURES has none), so the
    // PMD's mtu-before-features read that the seed replayed does not happen on this path.
    @Test func dpdkOnMlx5MeetsTheLegacyPathWithoutMTU() throws {
        let outcome = try simulator.run(Scenario(driver: .dpdk, device: .mlx5_5_12, bus: .vdpa, values: [("mtu", "9000")]))
        #expect(outcome.setFeatureCalls().first.map { $0.party == .bus && $0.result == Errno.eopnotsupp } == true)
        let firstRead = try #require(outcome.configReads.first)
        #expect(firstRead.offset == 0 && firstRead.width == 6 && firstRead.field == "mac")
        #expect(outcome.reads(of: "mtu").isEmpty)
        #expect(outcome.dropped.isEmpty)
        #expect(!device.has("MTU", in: outcome.negotiated))
        #expect(outcome.mtu == NetValues.defaultMTU)
    }

    // 6. The s390 regression: validate reads before VERSION_1 reaches a big-endian QEMU device.
    @Test func bigEndianValidateReadIsByteSwapped() throws {
        let old = try simulator.run(Scenario(driver: .linux5_12, device: .qemu, values: [("mtu", "9000")],
                                             hostIsLittleEndian: false))
        let validate = try #require(old.reads(of: "mtu", in: "validate").first)
        // The device answers in legacy big-endian order; the driver, which has VERSION_1 in its own
        // view, decodes little-endian.
        #expect(validate.bytes == [0x23, 0x28])
        #expect(validate.value == 0x2823)
        // After FEATURES_OK the device is modern and probe reads the right value.
        #expect(old.reads(of: "mtu", in: "probe").first?.value == 9000)

        let fixed = try simulator.run(Scenario(driver: .linux5_16BigEndian, device: .qemu, values: [("mtu", "9000")],
                                               hostIsLittleEndian: false))
        let read = try #require(fixed.reads(of: "mtu", in: "validate").first)
        #expect(read.bytes == [0x28, 0x23] && read.value == 9000)
        #expect(fixed.mtu == 9000)
        #expect(fixed.violations.isEmpty && old.violations.isEmpty)
    }

    // 6, on a little-endian host the two versions are the same driver.
    @Test func littleEndianHostsSeeNoDifferenceBetween512And516() throws {
        let a = try simulator.run(Scenario(driver: .linux5_12, device: .qemu))
        let b = try simulator.run(Scenario(driver: .linux5_16BigEndian, device: .qemu))
        #expect(a.trace == b.trace)
    }

    // 7. mlx5-current refuses MQ without CTRL_VQ, and the trace shows set_features failing.
    @Test func mlx5CurrentRefusesMQWithoutControlQueue() throws {
        let offered = try features("VERSION_1,ACCESS_PLATFORM,MAC,MTU,STATUS,MQ", of: device)
        let outcome = try simulator.run(Scenario(driver: .linuxCurrent, device: .mlx5Current, features: .exactly(offered)))
        let call = try #require(outcome.setFeatureCalls().first)
        #expect(call.party == .driver && device.has("MQ", in: call.features) && !device.has("CTRL_VQ", in: call.features))
        #expect(call.result == Errno.einval)
        #expect(outcome.probeFailure?.contains("-EINVAL") == true)
        #expect(outcome.finalStatus.contains(.failed))
        #expect(outcome.probeFailure != nil && outcome.view.entries.isEmpty)
        // Offering MQ without CTRL_VQ is the device's own violation.
        #expect(outcome.rules().contains(.offersFeatureWithoutRequirement))
    }

    // mlx5-current will not be created without VERSION_1 and ACCESS_PLATFORM provisioned.
    @Test func mlx5CurrentNeedsItsMinimumFeatures() throws {
        #expect(throws: ScenarioError.self) {
            try simulator.run(Scenario(driver: .linuxCurrent, device: .mlx5Current,
                                       features: .exactly(features("VERSION_1,MTU", of: device))))
        }
    }

    // Without the legacy path the core never calls set_features(0); mlx5-5.12 still holds mtu 0 until
    // a successful set_features, so linux-5.12 still loses the MTU: either half of the bug suffices.
    @Test func vdpaWithoutTheLegacyPathStillReadsZeroFromMlx5() throws {
        let outcome = try simulator.run(Scenario(driver: .linux5_12, device: .mlx5_5_12, bus: .vdpaModern))
        #expect(outcome.setFeatureCalls().allSatisfy { $0.party == .driver })
        #expect(outcome.reads(of: "mtu", in: "validate").first?.value == 0)
        #expect(outcome.dropped.map(\.feature) == ["MTU"])
    }
}
