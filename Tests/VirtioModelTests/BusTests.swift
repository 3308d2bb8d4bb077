import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// What each bus adds between driver and device.
@Suite struct BusTests {
    let device: Device
    init() throws { device = try netDevice() }

    @Test func vdpaSetsFeaturesToZeroOnceUntilReset() throws {
        let (mlx5, trace) = try model(.mlx5_5_12, of: device)
        let bus = VDPABus(device: mlx5, trace: trace, front: .virtioVDPA, legacyPath: true)
        _ = bus.get(10, 2, field: "mtu")
        _ = bus.get(10, 2, field: "mtu")
        // Refused, and never retried: features_valid is already true.
        #expect(trace.setFeatureCalls().map(\.party) == [.bus])
        #expect(trace.setFeatureCalls().first?.result == Errno.eopnotsupp)
        #expect(bus.featuresValid)
        bus.reset()
        #expect(!bus.featuresValid)
        _ = bus.get(10, 2, field: "mtu")
        #expect(trace.setFeatureCalls().map(\.party) == [.bus, .bus])
    }

    @Test func vdpaWithoutTheLegacyPathNeverSetsFeatures() throws {
        let (mlx5, trace) = try model(.mlx5_5_12, of: device)
        let bus = VDPABus(device: mlx5, trace: trace, front: .virtioVDPA, legacyPath: false)
        _ = bus.get(10, 2, field: "mtu")
        #expect(trace.setFeatureCalls().isEmpty)
    }

    @Test func vhostVdpaBoundsConfigReadsAndFreezesFeatures() throws {
        let (mlx5, trace) = try model(.mlx5Current, of: device)
        let bus = VDPABus(device: mlx5, trace: trace, front: .vhostVDPA, legacyPath: true)
        #expect(bus.get(22, 4, field: nil) == [0, 0, 0, 0])
        #expect(bus.get(30, 1, field: nil) == [0])
        #expect(bus.get(0, 0, field: nil) == [])
        let notes = trace.entries.compactMap { entry -> String? in
            if case .note(let text) = entry.event { return text }
            return nil
        }
        #expect(notes.filter { $0.contains("-E2BIG") }.count == 1)
        #expect(notes.filter { $0.contains("-EINVAL") }.count == 2)
        // A refused read does not reach the device, so it never triggers set_features(0).
        #expect(trace.setFeatureCalls().isEmpty)

        let wanted = try features("VERSION_1,ACCESS_PLATFORM,MAC", of: device)
        #expect(bus.finalizeFeatures(wanted, windows: 2) == 0)
        bus.setStatus([.acknowledge, .driver, .featuresOK])
        #expect(bus.finalizeFeatures(wanted, windows: 2) == Errno.ebusy)
    }

    @Test func vdpaCarriesOnly64FeatureBits() throws {
        let (qemu, trace) = try model(.qemu, of: device, offering: "MAC,VERSION_1,IPSEC")
        let bus = VDPABus(device: qemu, trace: trace, front: .virtioVDPA, legacyPath: true)
        #expect(bus.getFeatures(windows: 4) == (try features("MAC,VERSION_1", of: device)))
    }

    @Test func modernPCISplitsReadsLikeVpGet() throws {
        let (qemu, trace) = try model(.qemu, of: device, offering: "MAC,STATUS,MTU,SPEED_DUPLEX,VERSION_1")
        let pci = PCITransport(device: qemu, trace: trace)
        _ = pci.get(0, 6, field: "mac")
        _ = pci.get(12, 4, field: "speed")
        _ = pci.get(0, 8, field: nil)
        let widths = trace.entries.compactMap { entry -> Int? in
            if case .configRead(_, let width, _, _, _) = entry.event { return width }
            return nil
        }
        #expect(widths == [1, 1, 1, 1, 1, 1, 4, 4, 4])
        // The 4-byte reads at 0 and 4 cover mac (bytes) and status (16-bit): both break 4.1.3.1.
        #expect(trace.rules() == [.accessWidth, .accessWidth])
        #expect(trace.violations.map(\.detail).allSatisfy { $0.hasPrefix("4-byte reads of") })
    }

    @Test func legacyPCIReadsBytesAndHasNoGeneration() throws {
        let (qemu, trace) = try model(.qemu, of: device, offering: "MAC,MTU")
        let pci = PCITransport(device: qemu, trace: trace)
        #expect(!pci.isModern)
        #expect(pci.generation() == 0)
        #expect(pci.get(10, 2, field: "mtu") == [0x28, 0x23])
        #expect(pci.getFeatures(windows: 4) == (try features("MAC,MTU", of: device)))
        let accesses = trace.entries.filter {
            if case .configRead = $0.event { return true }
            if case .deviceFeaturesRead = $0.event { return true }
            if case .generationRead = $0.event { return true }
            return false
        }
        // Two byte reads of mtu and one 32-bit features window; no generation register.
        #expect(accesses.count == 3)
        #expect(trace.violations.isEmpty)
    }

    @Test func modernPCIAnswersReadsAnywhere() throws {
        let (qemu, trace) = try model(.qemu, of: device, offering: "MAC,STATUS,MTU,VERSION_1")
        let pci = PCITransport(device: qemu, trace: trace)
        for offset in [Int.min, -4, -1, 0, 1, 9, 10, 11, 12, 4096, Int.max - 4, Int.max - 1, Int.max] {
            for count in [1, 2, 4, 8, 3] {
                #expect(pci.get(offset, count, field: nil).count == count, "\(count) bytes at \(offset)")
            }
        }
        // Inside the space the width rule is still judged: a 1-byte read of mtu, a misaligned 2-byte one.
        #expect(trace.violations.contains { $0.detail == "1-byte reads of mtu (offset 10), a field that needs 2-byte accesses" })
        #expect(trace.violations.contains { $0.detail == "a misaligned 2-byte read at offset 11 of mtu" })
    }
}
