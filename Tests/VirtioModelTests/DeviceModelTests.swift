import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// The status register, feature windows and config accesses every device model shares.
@Suite struct DeviceModelTests {
    let device: Device
    init() throws { device = try netDevice() }

    @Test func writingZeroResets() throws {
        let (qemu, trace) = try model(.qemu, of: device)
        qemu.writeStatus([.acknowledge])
        qemu.writeStatus([.acknowledge, .driver])
        qemu.writeDriverFeatureWindow(1, 1)
        qemu.writeStatus([])
        #expect(qemu.readStatus() == [])
        #expect(qemu.driverFeatures.isEmpty)
        #expect(trace.violations.isEmpty)
    }

    @Test func clearingABitAndSkippingAStepAreViolations() throws {
        let (qemu, trace) = try model(.qemu, of: device)
        qemu.writeStatus([.acknowledge, .featuresOK])
        #expect(trace.violations.map(\.detail) == ["set FEATURES_OK without DRIVER"])
        qemu.writeStatus([.acknowledge])
        #expect(trace.rules().contains(.clearsStatusBit))
        // A modern driver must set FEATURES_OK before DRIVER_OK.
        let (other, otherTrace) = try model(.qemu, of: device)
        other.writeStatus([.acknowledge])
        other.writeStatus([.acknowledge, .driver])
        other.writeDriverFeatureWindow(1, 1)
        other.writeStatus([.acknowledge, .driver, .driverOK])
        #expect(otherTrace.violations.map(\.detail) == ["set DRIVER_OK without FEATURES_OK"])
    }

    @Test func afterFailedOnlyAResetHelps() throws {
        let (qemu, trace) = try model(.qemu, of: device)
        qemu.writeStatus([.acknowledge])
        qemu.writeStatus([.acknowledge, .failed])
        qemu.writeStatus([.acknowledge, .failed, .driver])
        #expect(trace.violations.map(\.detail) == ["set DRIVER after FAILED without a reset"])
        qemu.writeStatus([])
        qemu.writeStatus([.acknowledge])
        #expect(trace.violations.count == 1)
    }

    @Test func deviceNeedsResetIsTheDevicesBit() throws {
        let (qemu, trace) = try model(.qemu, of: device)
        qemu.writeStatus([.acknowledge])
        qemu.needReset(because: "backend gone")
        #expect(qemu.readStatus() == [.acknowledge, .deviceNeedsReset])
        // A driver that keeps the bit (virtio_add_status reads, then ORs) breaks nothing;
        // one that writes over it clears a status bit.
        qemu.writeStatus([.acknowledge, .deviceNeedsReset, .driver])
        #expect(trace.violations.isEmpty)
        qemu.writeStatus([.acknowledge, .driver])
        #expect(trace.rules() == [.clearsStatusBit])
    }

    @Test func featuresOKChecksWhatTheDriverAccepted() throws {
        let (qemu, trace) = try model(.qemu, of: device, offering: "MAC,MTU,VERSION_1")
        qemu.writeStatus([.acknowledge])
        qemu.writeStatus([.acknowledge, .driver])
        // MQ (bit 22) was not offered; the device drops it, but the driver still accepted it.
        qemu.writeDriverFeatureWindow(0, 1 << 22 | 1 << 3)
        qemu.writeDriverFeatureWindow(1, 1)
        qemu.writeStatus([.acknowledge, .driver, .featuresOK])
        #expect(trace.rules().contains(.acceptsUnofferedFeature))
        #expect(trace.rules().contains(.acceptsFeatureWithoutRequirement))
        #expect(!device.has("MQ", in: qemu.driverFeatures))
        // Writing features after FEATURES_OK is refused and recorded.
        qemu.writeDriverFeatureWindow(0, 0)
        #expect(trace.rules().contains(.featuresAfterFeaturesOK))
        #expect(device.has("MTU", in: qemu.driverFeatures))
    }

    @Test func qemuRefusesFeaturesOKWithoutAccessPlatform() throws {
        let (qemu, trace) = try model(.qemu, of: device, offering: "MAC,VERSION_1,ACCESS_PLATFORM")
        qemu.writeStatus([.acknowledge])
        qemu.writeStatus([.acknowledge, .driver])
        qemu.writeDriverFeatureWindow(1, 1)
        qemu.writeStatus([.acknowledge, .driver, .featuresOK])
        #expect(!qemu.readStatus().contains(.featuresOK))
        // The spec lets a device refuse when ACCESS_PLATFORM is not accepted: no violation.
        #expect(trace.violations.isEmpty)
    }

    @Test func featureWindowsReach128Bits() throws {
        let offered = try features("MAC,VERSION_1,RSS_CONTEXT,IPSEC,CTRL_VQ,RSS", of: device)
        let generic = try DeviceModel(serving: device, offered: offered, trace: Trace())
        let ipsec = try #require(device.bit(named: "IPSEC"))
        #expect(ipsec >= 64)
        #expect(generic.readDeviceFeatureWindow(ipsec / 32) & (1 << UInt32(ipsec % 32)) != 0)
        // Windows past the device's read as 0, and writes to them are ignored.
        #expect(generic.readDeviceFeatureWindow(DeviceModel.featureWindows) == 0)
        #expect(generic.readDeviceFeatureWindow(-1) == 0)
        generic.writeDriverFeatureWindow(ipsec / 32, 1 << UInt32(ipsec % 32))
        generic.writeDriverFeatureWindow(9, 0xffff_ffff)
        #expect(generic.driverFeatures == device.features(named: ["IPSEC"]))
    }

    /// QEMU 7.2's virtio-pci shows device_feature for dfselect 0 and 1 only and takes driver_feature
    /// for gfselect 0 and 1 only (virtio_pci_common_read/_write), and keeps the driver's windows
    /// across a reset (virtio_pci_reset leaves proxy->guest_features alone).
    @Test func qemuHasTwoWindowsAndKeepsThemAcrossReset() throws {
        let offered = try features("MAC,VERSION_1,RSS_CONTEXT,IPSEC,CTRL_VQ,RSS", of: device)
        let (qemu, _) = try model(.qemu, of: device, offering: device.names(of: offered).joined(separator: ","))
        let ipsec = try #require(device.bit(named: "IPSEC"))
        #expect(qemu.readDeviceFeatureWindow(ipsec / 32) == 0)
        qemu.writeDriverFeatureWindow(ipsec / 32, 1 << UInt32(ipsec % 32))
        #expect(qemu.driverFeatures.isEmpty)

        let mac = try #require(device.bit(named: "MAC"))
        qemu.writeDriverFeatureWindow(0, 1 << UInt32(mac))
        qemu.writeStatus([])
        #expect(qemu.driverFeatures.isEmpty)
        // Writing window 1 alone after the reset brings window 0's old value back with it.
        qemu.writeDriverFeatureWindow(1, 1)
        #expect(qemu.driverFeatures == device.features(named: ["MAC", "VERSION_1"]))
    }

    @Test(arguments: PastEndPolicy.allCases)
    func readsPastTheEndFollowThePolicy(policy: PastEndPolicy) throws {
        // QEMU sizing with MTU: 12 bytes. A 4-byte read at 10 covers mtu and two bytes past the end.
        let (qemu, trace) = try model(.qemu, of: device, offering: "MAC,MTU,VERSION_1", pastEnd: policy)
        #expect(qemu.configSize == 12)
        var buffer: [UInt8] = [0xaa, 0xaa, 0xaa, 0xaa]
        let outcome = qemu.readConfig(offset: 10, into: &buffer, field: nil)
        switch policy {
        case .allOnes:
            // QEMU's memory core cuts the unaligned read into 2 bytes at 10 and 2 at 12; only the
            // second is past the end (QEMUMemoryAccess).
            #expect(outcome == .straddles && buffer == [0x28, 0x23, 0xff, 0xff])
            var past: [UInt8] = [0xaa, 0xaa, 0xaa, 0xaa]
            #expect(qemu.readConfig(offset: 12, into: &past, field: nil) == .allOnes && past == [0xff, 0xff, 0xff, 0xff])
        case .zeros:
            // The bytes that exist are copied (mtu 9000, legacy little-endian), the rest zeroed.
            #expect(outcome == .zeros && buffer == [0x28, 0x23, 0, 0])
        case .untouched:
            #expect(outcome == .untouched && buffer == [0xaa, 0xaa, 0xaa, 0xaa])
        case .error:
            #expect(outcome == .failed && buffer == [0xaa, 0xaa, 0xaa, 0xaa])
        }
        #expect(trace.rules().contains(.readsPastTheEnd))
    }

    @Test func qemuServesLegacyOrderUntilVersion1IsWritten() throws {
        let (qemu, _) = try model(.qemu, of: device, offering: "MAC,MTU,VERSION_1", littleEndian: false)
        var buffer: [UInt8] = [0, 0]
        qemu.readConfig(offset: 10, into: &buffer, field: "mtu")
        #expect(buffer == [0x23, 0x28])
        qemu.writeDriverFeatureWindow(1, 1)
        qemu.readConfig(offset: 10, into: &buffer, field: "mtu")
        #expect(buffer == [0x28, 0x23])
    }

    @Test func unofferedFieldsAndUnchangedGenerationsAreCaught() throws {
        // max_virtqueue_pairs without MQ: QEMU serves it, but the driver must not read it.
        let (qemu, trace) = try model(.qemu, of: device, offering: "MAC,MTU,VERSION_1")
        var buffer: [UInt8] = [0, 0]
        qemu.readConfig(offset: 8, into: &buffer, field: "max_virtqueue_pairs")
        #expect(trace.rules() == [.readsUnofferedField])

        // A value that changes while config_generation stays put (mlx5 bumps it only on reset).
        let (mlx5, mlx5Trace) = try model(.mlx5_5_12, of: device)
        mlx5.readConfig(offset: 10, into: &buffer, field: "mtu")
        _ = mlx5.acceptDriverFeatures(try features("VERSION_1,ACCESS_PLATFORM,MTU", of: device))
        mlx5.readConfig(offset: 10, into: &buffer, field: "mtu")
        #expect(mlx5Trace.rules().contains(.configChangedWithoutGeneration))
        // A device that follows the spec's rule moves it with the value: no violation there.
        let (other, otherTrace) = try model(.packed, of: device, offering: "MAC,MTU,VERSION_1")
        other.readConfig(offset: 6, into: &buffer, field: "mtu")
        try other.deviceChange("mtu", to: .integer(1500))
        other.readConfig(offset: 6, into: &buffer, field: "mtu")
        #expect(other.generationPolicy == .everyChange)
        #expect(!otherTrace.rules().contains(.configChangedWithoutGeneration))
    }

    /// A read served from what the model kept since the last read must judge exactly as a first
    /// read does: the kept bytes and verdicts go when the image, status or features change.
    @Test func repeatedReadsSeeEveryChangeOfState() throws {
        let (qemu, trace) = try model(.qemu, of: device, offering: "MAC,MTU,VERSION_1")
        var buffer: [UInt8] = [0, 0]
        for _ in 0..<3 { qemu.readConfig(offset: 10, into: &buffer, field: "mtu") }
        #expect(buffer == [0x28, 0x23])
        #expect(trace.violations.isEmpty)
        // A value changed under the reader, the generation held back: caught on the very next read.
        try qemu.image.setKeepingGeneration("mtu", .integer(1500))
        qemu.readConfig(offset: 10, into: &buffer, field: "mtu")
        #expect(buffer == [0xdc, 0x05])
        #expect(trace.rules() == [.configChangedWithoutGeneration])
        // A new encoding is served at once: legacy big-endian order until VERSION_1 is written.
        let (legacy, _) = try model(.qemu, of: device, offering: "MAC,MTU,VERSION_1", littleEndian: false)
        legacy.readConfig(offset: 10, into: &buffer, field: "mtu")
        legacy.readConfig(offset: 10, into: &buffer, field: "mtu")
        #expect(buffer == [0x23, 0x28])
        legacy.writeDriverFeatureWindow(1, 1)
        legacy.readConfig(offset: 10, into: &buffer, field: "mtu")
        #expect(buffer == [0x28, 0x23])
        // A field read cleanly once breaks a rule after a reset takes FEATURES_OK away from a
        // field that needs it (mtu needs none; a negotiated-basis field does).
        let (kept, keptTrace) = try model(.qemu, of: device, offering: "MAC,MTU,VERSION_1")
        kept.readConfig(offset: 0, into: &buffer, field: nil)
        kept.readConfig(offset: 0, into: &buffer, field: nil)
        #expect(keptTrace.violations.isEmpty)
        kept.readConfig(offset: 8, into: &buffer, field: "max_virtqueue_pairs")
        #expect(keptTrace.rules() == [.readsUnofferedField])
    }

    @Test func aTraceOfViolationsAloneSeesTheSameViolations() throws {
        func run(_ detail: Trace.Detail) throws -> Trace {
            let trace = Trace(detail: detail)
            let offered = try features("MAC,MTU,VERSION_1", of: device)
            let qemu = try DeviceModel(serving: device, offered: offered, values: [("mtu", .integer(9000))], trace: trace)
            var buffer: [UInt8] = [0, 0]
            qemu.readConfig(offset: 10, into: &buffer, field: "mtu")
            qemu.writeStatus([.acknowledge, .featuresOK])
            qemu.readConfig(offset: 8, into: &buffer, field: "max_virtqueue_pairs")
            qemu.readConfig(offset: 64, into: &buffer, field: nil)
            return trace
        }
        let everything = try run(.everything), violations = try run(.violations)
        #expect(violations.violations == everything.violations)
        #expect(violations.violations.count == 3)
        #expect(violations.entries.count == 3)
        #expect(everything.entries.count > violations.entries.count)
    }

    @Test func mlx5ResetBehaviourFollowsItsVersion() throws {
        // v5.12 zeroes mlx_features on reset: set_features without get_features then yields nothing.
        let (old, _) = try model(.mlx5_5_12, of: device)
        let wanted = try features("VERSION_1,ACCESS_PLATFORM,MTU", of: device)
        _ = old.deviceFeatures()
        old.writeStatus([])
        #expect(old.acceptDriverFeatures(wanted) == 0)
        #expect(old.driverFeatures.isEmpty)
        let (current, _) = try model(.mlx5Current, of: device)
        current.writeStatus([])
        #expect(current.acceptDriverFeatures(wanted) == 0)
        #expect(current.driverFeatures == wanted)
        #expect(current.configGeneration() == 1)
    }

    @Test func configWritesAreChecked() throws {
        let (qemu, trace) = try model(.qemu, of: device)
        qemu.writeStatus([.acknowledge])
        qemu.writeStatus([.acknowledge, .driver])
        qemu.writeConfig(offset: 10, bytes: [0, 0], field: "mtu")
        #expect(trace.rules().contains(.writesConfigDuringNegotiation))
        #expect(trace.rules().contains(.writesReadOnlyField))
        #expect(qemu.image.value("mtu") == .integer(9000))
    }
}
