import Testing
@testable import ConfigLayout
@testable import VirtioModel

/// The model of Linux 6.1's virtio_balloon (Debian's 6.1.192) on configurations built by hand, each
/// expectation worked out from drivers/virtio/virtio_balloon.c: validate's clearing, the probe's
/// poison_val write and num_pages read, and the size work's rounds of 256 pages.
@Suite struct BalloonDriverTests {
    /// What QEMU 7.2's virtio-balloon-pci offers by default.
    private let qemu = "STATS_VQ,PAGE_POISON,INDIRECT_DESC,EVENT_IDX,VERSION_1,RING_RESET"

    private func predict(_ features: String? = nil, driver: String = "linux-6.1", _ values: [(String, UInt64)] = [],
                         changed: [(String, UInt64)]? = nil) throws -> DriverPrediction {
        try LinuxDriverHarness.predict("balloon", driver: driver, offering: features ?? qemu, values: values, changed: changed)
    }

    @Test func validateClearsPagePoisonAndIndirectDescriptors() throws {
        let prediction = try predict()
        // STATS_VQ(1), EVENT_IDX(29), VERSION_1(32), RING_RESET(40), as the guest's features file shows.
        #expect(prediction.featureBits == "0100000000000000000000000000010010000000100000000000000000000000")
        // The core writes the features, validate clears two, and the core writes them again.
        let windowWrites = prediction.trace.filter { entry in
            if case .driverFeaturesWrite(select: 0, _) = entry.event { return true }
            return false
        }
        #expect(windowWrites.count == 2)
        #expect(prediction.view.texts == ["actual": "0"])
    }

    @Test func aZeroTargetIsReadOnceAfterDriverOKAndNothingIsWritten() throws {
        let prediction = try predict()
        #expect(prediction.reads.map(\.field) == ["num_pages"])
        let driverOK = try #require(LinuxDriverHarness.driverOKIndex(prediction.trace))
        let read = try #require(prediction.trace.firstIndex { entry in
            if case .configRead = entry.event { return true }
            return false
        })
        #expect(read > driverOK)
        #expect(LinuxDriverHarness.writes(prediction.trace).isEmpty)
        #expect(LinuxDriverHarness.notes(prediction.trace).contains { $0.contains("kicks it before DRIVER_OK") })
    }

    /// A target at probe: the probe's own read, then a round per 256 pages, each reading num_pages and
    /// writing actual.
    @Test func aTargetAtProbeIsReachedInRoundsOf256() throws {
        let prediction = try predict(nil, [("num_pages", 600)])
        #expect(prediction.reads.map(\.field) == Array(repeating: "num_pages", count: 4))
        #expect(LinuxDriverHarness.writes(prediction.trace).map(\.value) == [256, 512, 600])
        #expect(LinuxDriverHarness.writes(prediction.trace).allSatisfy { $0.offset == 4 })
        #expect(prediction.view.texts["actual"] == "600")
    }

    @Test func aConfigChangeInflatesAndMemTotalFalls() throws {
        let prediction = try predict(nil, changed: [("num_pages", 4096)])
        #expect(prediction.view.texts["actual"] == "4096")
        #expect(prediction.view.texts["memtotal_drop_kb"] == "16384")  // 4096 pages of 4 KiB
        #expect(LinuxDriverHarness.writes(prediction.trace).count == 16)
        #expect(LinuxDriverHarness.writes(prediction.trace).last?.value == 4096)
        // The probe's read, then one per round: the last round reaches the target and does not requeue.
        #expect(prediction.reads.count == 1 + 16)
    }

    @Test func deflateOnOOMLeavesMemTotalAlone() throws {
        let prediction = try predict("STATS_VQ,DEFLATE_ON_OOM,VERSION_1", changed: [("num_pages", 300)])
        #expect(prediction.view.texts["actual"] == "300")
        #expect(prediction.view.texts["memtotal_drop_kb"] == "0")
    }

    @Test func aLowerTargetDeflates() throws {
        let prediction = try predict(nil, [("num_pages", 600)], changed: [("num_pages", 100)])
        #expect(LinuxDriverHarness.writes(prediction.trace).map(\.value) == [256, 512, 600, 344, 100])
        #expect(prediction.view.texts["actual"] == "100")
        #expect(prediction.view.texts["memtotal_drop_kb"] == "-2000")  // 500 pages given back
    }

    /// virtballoon_changed queues the hint work, whose one read of the command id is at offset 8.
    @Test func freePageHintReadsTheCommandIDOncePerChange() throws {
        let prediction = try predict("STATS_VQ,FREE_PAGE_HINT,VERSION_1", changed: [("num_pages", 10)])
        let hints = prediction.reads.filter { $0.field == "free_page_hint_cmd_id" }
        #expect(hints.count == 1)
        #expect(hints.first?.offset == 8)
        #expect(prediction.reads.last?.field == "free_page_hint_cmd_id")
    }

    /// Booted with init_on_free=1, PAGE_POISON stays and poison_val is written 0 at 12 before DRIVER_OK.
    @Test func initOnFreeKeepsPagePoisonAndWritesPoisonVal() throws {
        let prediction = try predict(driver: "linux-6.1-init-on-free")
        let device = try LinuxDriverHarness.device("balloon")
        #expect(device.has("PAGE_POISON", in: prediction.negotiated))
        let writes = LinuxDriverHarness.writes(prediction.trace)
        #expect(writes.map(\.offset) == [12] && writes.map(\.value) == [0])
        let write = try #require(prediction.trace.firstIndex { entry in
            if case .configWrite = entry.event { return true }
            return false
        })
        #expect(write < (try #require(LinuxDriverHarness.driverOKIndex(prediction.trace))))
        // Without PAGE_POISON offered, page reporting goes too (validate's "else if").
        let without = try predict("STATS_VQ,PAGE_REPORTING,VERSION_1", driver: "linux-6.1-init-on-free")
        #expect(!device.has("PAGE_REPORTING", in: without.negotiated))
        #expect(device.has("PAGE_REPORTING", in: try predict("STATS_VQ,PAGE_REPORTING,VERSION_1").negotiated))
    }

    /// "Legacy balloon config space is LE, unlike all other devices": a legacy device on a big-endian
    /// guest still has num_pages read little-endian.
    @Test func legacyIsLittleEndianToo() throws {
        let device = try LinuxDriverHarness.device("balloon")
        let simulator = Simulator(device: device)
        let kind = try #require(DriverKind.named("linux-6.1", for: device))
        let outcome = try simulator.run(Scenario(driver: kind, device: .qemu, features: .exactly(try device.parseFeatures("STATS_VQ").get()),
                                                 values: [("num_pages", "3")], hostIsLittleEndian: false))
        #expect(outcome.reads.first?.bytes == [3, 0, 0, 0])
        #expect(outcome.view.texts["actual"] == "3")
    }

    /// The one packed misread Linux can make: PAGE_POISON without FREE_PAGE_HINT. Linux writes poison_val
    /// at its C offset, 12; a packed device has it at 8, at the end of a 12-byte config, so the write
    /// lands past the end and the device's poison_val keeps its old value, while a fixed one takes it.
    @Test(arguments: [("packed", UInt64(0xaaaa_aaaa), 12), ("qemu", 0, 16)])
    func packedPutsPoisonValWhereLinuxDoesNotWrite(model name: String, poison: UInt64, size: Int) throws {
        let device = try LinuxDriverHarness.device("balloon")
        let kind = try #require(DriverKind.named("linux-6.1-init-on-free", for: device))
        let offered = try device.parseFeatures("STATS_VQ,PAGE_POISON,VERSION_1").get()
        let trace = Trace()
        let model = try Simulator(device: device).model(try #require(DeviceKind.named(name, for: device)), offered: offered,
                                                        values: [("poison_val", .integer(0xaaaa_aaaa))], trace: trace)
        let session = DriverSession(transport: PCITransport(device: model, trace: trace), device: device,
                                    layout: Layout(device: device, features: offered, interpretation: .fixed),
                                    guestIsLittleEndian: true)
        #expect(kind.model.probe(session).failure == nil)
        #expect(LinuxDriverHarness.writes(trace.entries).map(\.offset) == [12])
        #expect(model.configSize == size)
        #expect(model.image.value("poison_val") == .integer(poison))
    }
}
