import Testing
@testable import ConfigLayout
@testable import VirtioModel

/// The model of Linux 6.1's virtio vsock transport on configurations built by hand, each expectation
/// worked out from net/vmw_vsock/virtio_transport.c `virtio_vsock_update_guest_cid`.
@Suite struct VsockDriverTests {
    private func probe(_ cid: UInt64, features: String = "SEQPACKET,VERSION_1", changed: UInt64? = nil) throws -> DriverPrediction {
        try LinuxDriverHarness.predict("vsock", offering: features, values: [("guest_cid", cid)],
                                       changed: changed.map { [("guest_cid", $0)] })
    }

    @Test func theCIDIsTwoThirtyTwoBitReadsWithoutAGenerationCheck() throws {
        let prediction = try probe(42)
        #expect(prediction.view["local_cid"] == .number(42))
        let accesses = prediction.trace.compactMap { entry -> [Int]? in
            if case .configRead(let offset, let width, _, _, _) = entry.event { return [offset, width] }
            return nil
        }
        #expect(accesses == [[0, 4], [4, 4]])
        #expect(!prediction.trace.contains { if case .generationRead = $0.event { true } else { false } })
        let okAt = try #require(LinuxDriverHarness.driverOKIndex(prediction.trace))
        #expect(prediction.trace.firstIndex { if case .configRead = $0.event { true } else { false } }! < okAt)
    }

    @Test(arguments: [(UInt64(0x1_0000_0005), UInt64(5)), (0xffff_ffff, 0xffff_ffff), (0, 0), (2, 2)])
    func everyCIDIsTakenAndCutToThirtyTwoBits(cid: UInt64, local: UInt64) throws {
        let prediction = try probe(cid)
        #expect(prediction.failure == nil)
        #expect(prediction.view["local_cid"] == .number(local))
    }

    @Test func onlySeqpacketIsKnown() throws {
        let prediction = try probe(3, features: "STREAM,SEQPACKET,NO_IMPLIED_STREAM,VERSION_1")
        let device = try LinuxDriverHarness.device("vsock")
        #expect(prediction.negotiated == (try device.parseFeatures("SEQPACKET,VERSION_1").get()))
    }

    @Test func aConfigChangeIsNotRead() throws {
        let prediction = try probe(3, changed: 7)
        #expect(prediction.view["local_cid"] == .number(3))
        #expect(prediction.reads.count == 1)
    }

    @Test func simulateRunsTheModelOnQEMUsDefaults() throws {
        #expect(try linuxOutcome("vsock").view["local_cid"] == .number(3))
        #expect(try linuxOutcome("gpu").view["connectors"] == .number(1))
    }
}
