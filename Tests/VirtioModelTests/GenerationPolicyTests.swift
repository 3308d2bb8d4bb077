import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// When config_generation moves: QEMU's rule for the qemu models (only `virtio_notify_config`, only
/// after DRIVER_OK, never for a driver's write, kept across a reset), the spec's for a device that
/// reads it literally (every change of value).
@Suite struct GenerationPolicyTests {
    let device: Device
    init() throws { device = try netDevice() }

    /// A driver's initialization up to FEATURES_OK, then DRIVER_OK when asked.
    private func initialize(_ model: DeviceModel, driverOK: Bool) {
        model.writeStatus([.acknowledge])
        model.writeStatus([.acknowledge, .driver])
        model.writeDriverFeatureWindow(1, 1)
        model.writeStatus([.acknowledge, .driver, .featuresOK])
        if driverOK { model.writeStatus([.acknowledge, .driver, .featuresOK, .driverOK]) }
    }

    private func models() throws -> (qemu: DeviceModel, spec: DeviceModel) {
        let offered = try features("MAC,STATUS,MTU,VERSION_1", of: device)
        let values: [(path: String, value: FieldValue)] = [("status", .integer(1)), ("mtu", .integer(9000))]
        return (try QEMUDevice(device: device, offered: offered, values: values, trace: Trace()),
                try DeviceModel(serving: device, offered: offered, values: values, trace: Trace()))
    }

    @Test func theQEMUModelsFollowQEMU() throws {
        let (qemu, _) = try model(.qemu, of: device)
        #expect(qemu.generationPolicy == .notifiedAfterDriverOK)
        #expect(try models().qemu.generationPolicy == .notifiedAfterDriverOK)
        #expect(try models().spec.generationPolicy == .everyChange)
    }

    /// virtio_net_set_link_status before DRIVER_OK: the status changes, the generation does not
    /// (virtio_notify_config returns); after DRIVER_OK it moves by one. The spec's reading moves it both times.
    @Test func aDeviceChangeMovesItOnlyAfterDriverOK() throws {
        let (qemu, spec) = try models()
        for model in [qemu, spec] { initialize(model, driverOK: false) }
        try qemu.deviceChange("status", to: .integer(0))
        try spec.deviceChange("status", to: .integer(0))
        #expect(qemu.readGeneration() == 0)
        #expect(spec.readGeneration() == 1)
        #expect(qemu.image.value("status") == .integer(0))
        for model in [qemu, spec] { model.writeStatus([.acknowledge, .driver, .featuresOK, .driverOK]) }
        try qemu.deviceChange("status", to: .integer(1))
        try spec.deviceChange("status", to: .integer(1))
        #expect(qemu.readGeneration() == 1)
        #expect(spec.readGeneration() == 2)
        // virtio_balloon_to_target notifies even when the value stays: QEMU moves it, the spec's rule does not.
        try qemu.deviceChange("status", to: .integer(1))
        try spec.deviceChange("status", to: .integer(1))
        #expect(qemu.readGeneration() == 2)
        #expect(spec.readGeneration() == 2)
    }

    /// A driver's own write (balloon's actual): virtio_balloon_set_config never notifies.
    @Test func aDriversWriteLeavesQEMUsGeneration() throws {
        let loaded = try LayoutLoader().load(path: PackagePaths.layout("balloon.layout").path)
        let balloon = try #require(loaded.devices.first).asOf(nil)
        let offered = try features("VERSION_1", of: balloon)
        let qemu = try QEMUDevice(device: balloon, offered: offered, values: [], trace: Trace())
        let spec = try DeviceModel(serving: balloon, offered: offered, values: [], trace: Trace())
        for model in [qemu, spec] {
            initialize(model, driverOK: true)
            model.writeConfig(offset: 4, bytes: [0, 1, 0, 0], field: "actual")
            #expect(model.image.value("actual") == .integer(256))
        }
        #expect(qemu.readGeneration() == 0)
        #expect(spec.readGeneration() == 1)
        // QEMU's balloon config stops at actual without PAGE_POISON or FREE_PAGE_HINT, or is whole
        // with qemu-4-0-config-size (virtio_balloon_config_size).
        #expect(qemu.configSize == 8)
        let sized = try QEMUDevice(device: balloon, offered: offered, values: [],
                                   properties: QemuProperties(["qemu-4-0-config-size": "on"]), trace: Trace())
        #expect(sized.configSize == 16)
    }

    /// virtio_reset leaves vdev->generation; the model keeps its count across a reset too.
    @Test func QEMUsGenerationSurvivesAReset() throws {
        let (qemu, _) = try models()
        initialize(qemu, driverOK: true)
        try qemu.deviceChange("status", to: .integer(0))
        qemu.writeStatus([])
        #expect(qemu.readGeneration() == 1)
        // A model set up beside a real device starts where that device is.
        let offered = try features("MAC,STATUS,VERSION_1", of: device)
        #expect(try QEMUDevice(device: device, offered: offered, values: [], generation: 7, trace: Trace()).readGeneration() == 7)
    }

    /// A change before DRIVER_OK, read before and after, is the spec's violation, which QEMU commits.
    @Test func aChangeTheGenerationHidesIsReported() throws {
        let trace = Trace()
        let offered = try features("MAC,STATUS,VERSION_1", of: device)
        let qemu = try QEMUDevice(device: device, offered: offered, values: [("status", .integer(1))], trace: trace)
        initialize(qemu, driverOK: false)
        var buffer: [UInt8] = [0, 0]
        qemu.readConfig(offset: 6, into: &buffer, field: "status")
        try qemu.deviceChange("status", to: .integer(0))
        qemu.readConfig(offset: 6, into: &buffer, field: "status")
        #expect(buffer == [0, 0])
        #expect(trace.rules() == [.configChangedWithoutGeneration])
    }
}
