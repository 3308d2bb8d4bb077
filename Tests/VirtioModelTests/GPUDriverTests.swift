import Testing
@testable import ConfigLayout
@testable import VirtioModel

/// The model of Linux 6.1's virtio_gpu on configurations built by hand, each expectation worked out
/// from drivers/gpu/drm/virtio/virtgpu_kms.c `virtio_gpu_init` and
/// `virtio_gpu_config_changed_work_func`; and QEMU's events_clear (hw/display/virtio-gpu.c).
@Suite struct GPUDriverTests {
    private func probe(_ values: [(String, UInt64)], features: String = "EDID,VERSION_1",
                       changed: [(String, UInt64)]? = nil) throws -> DriverPrediction {
        try LinuxDriverHarness.predict("gpu", offering: features, values: values, changed: changed)
    }

    @Test func scanoutsAndCapsetsAsQEMUServesThem() throws {
        let prediction = try probe([("num_scanouts", 3), ("num_capsets", 0)])
        #expect(prediction.failure == nil)
        #expect(prediction.view.texts["connectors"] == "3")
        #expect(prediction.view.texts["scanouts"] == "3")
        #expect(prediction.view.texts["cap_sets"] == "0")
        #expect(prediction.view.texts["edid"] == "yes")
        #expect(prediction.view.texts["virgl"] == "no")
        #expect(prediction.view.log == ["[drm] features: -virgl +edid -resource_blob -host_visible",
                                        "[drm] features: -context_init", "[drm] number of scanouts: 3",
                                        "[drm] number of cap sets: 0"])
        // num_scanouts at 8, then num_capsets at 12, both before DRIVER_OK; events_read is not read.
        #expect(prediction.reads.map(\.offset) == [8, 12])
        let okAt = try #require(LinuxDriverHarness.driverOKIndex(prediction.trace))
        let lastRead = try #require(prediction.trace.lastIndex { if case .configRead = $0.event { true } else { false } })
        #expect(lastRead < okAt)
    }

    @Test func moreThanSixteenScanoutsAreClampedAndLoggedRaw() throws {
        let prediction = try probe([("num_scanouts", 20)])
        #expect(prediction.view.texts["connectors"] == "16")
        #expect(prediction.view.texts["logged_scanouts"] == "20")
        #expect(LinuxDriverHarness.notes(prediction.trace).contains { $0.contains("clamped to 16") })
        // DRM_INFO("number of scanouts: %d\n", num_scanouts) of a u32.
        let negative = try probe([("num_scanouts", 0x8000_0000)])
        #expect(negative.view.log.contains("[drm] number of scanouts: -2147483648"))
        #expect(negative.view.texts["scanouts"] == "16")
    }

    @Test func zeroScanoutsFailsTheProbe() throws {
        let prediction = try probe([("num_scanouts", 0), ("num_capsets", 4)])
        #expect(prediction.failure == "num_scanouts is zero")
        #expect(prediction.view.log.suffix(2) == ["[drm:virtio_gpu_init [virtio_gpu]] *ERROR* num_scanouts is zero",
                                                  "virtio_gpu: probe of virtioN failed with error -22"])
        #expect(!prediction.reads.contains { $0.field == "num_capsets" }, "the probe stops before num_capsets")
    }

    /// num_capsets is read whatever VIRGL says; VIRGL is taken on a little-endian guest.
    @Test func capsetsAreReadWithoutVirglAndVirglIsTaken() throws {
        let without = try probe([("num_scanouts", 1), ("num_capsets", 2)])
        #expect(without.view.texts["cap_sets"] == "2")
        #expect(without.view.texts["logged_cap_sets"] == "2")
        let with = try probe([("num_scanouts", 1), ("num_capsets", 1)], features: "VIRGL,EDID,RESOURCE_BLOB,CONTEXT_INIT,VERSION_1")
        #expect(with.view.texts["virgl"] == "yes")
        #expect(with.view.log.prefix(2) == ["[drm] features: +virgl +edid +resource_blob -host_visible",
                                            "[drm] features: +context_init"])
    }

    /// The config work writes events_clear every time: 1 for a DISPLAY event, 0 for anything else.
    @Test(arguments: [(UInt64(1), UInt64(1)), (3, 1), (2, 0), (0, 0)])
    func eventsClearIsAlwaysWritten(events: UInt64, written: UInt64) throws {
        let prediction = try probe([("num_scanouts", 1)], changed: [("events_read", events)])
        let reads = prediction.reads.filter { $0.stage == "config changed" }
        #expect(reads.map(\.field) == ["events_read"])
        let writes = LinuxDriverHarness.writes(prediction.trace)
        #expect(writes.map(\.offset) == [4])
        #expect(writes.first?.value == written)
    }

    /// QEMU's virtio_gpu_set_config clears the written bits of events_read; events_clear reads 0.
    @Test func qemusEventsClearClearsEventsRead() throws {
        let device = try LinuxDriverHarness.device("gpu")
        let trace = Trace()
        let parameters = DeviceParameters(offered: try device.parseFeatures("EDID,VERSION_1").get(),
                                          values: [("events_read", .integer(3)), ("num_scanouts", .integer(1))],
                                          pastEnd: nil, guestIsLittleEndian: true)
        let model = try DeviceKind.qemu.make(device, parameters, trace)
        #expect(model is QEMUGPUDevice)
        model.writeConfig(offset: 4, bytes: [1, 0, 0, 0], field: "events_clear")
        var word = [UInt8](repeating: 0, count: 8)
        _ = model.readConfig(offset: 0, into: &word, field: nil)
        #expect(word == [2, 0, 0, 0, 0, 0, 0, 0], "events_read 3 & ~1, events_clear back to 0")
        model.writeConfig(offset: 4, bytes: [0, 0, 0, 0], field: "events_clear")
        _ = model.readConfig(offset: 0, into: &word, field: nil)
        #expect(word.prefix(4) == [2, 0, 0, 0], "a write of 0 changes nothing")
    }

    /// Nothing Linux reads moves under packed: blob_alignment, the only conditional field, is last.
    @Test func packedAndFixedAgreeOnWhatTheDriverReads() throws {
        let device = try LinuxDriverHarness.device("gpu")
        let offered = try device.parseFeatures("EDID,VERSION_1").get()
        let fixed = Layout(device: device, features: offered, interpretation: .fixed)
        let packed = Layout(device: device, features: offered, interpretation: .packed)
        for field in ["events_read", "events_clear", "num_scanouts", "num_capsets"] {
            #expect(fixed.field(field)?.offset == packed.field(field)?.offset)
        }
    }
}
