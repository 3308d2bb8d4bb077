import Testing
@testable import ConfigLayout
@testable import VirtioModel

/// The model of Linux 6.1's virtio_console on configurations built by hand, each expectation worked
/// out from drivers/char/virtio_console.c (`virtcons_probe`, `config_intr`, `config_work_handler`,
/// `resize_console`). QEMU 7.2 never offers SIZE, so the config-change path is checked here alone.
@Suite struct ConsoleDriverTests {
    private func predict(_ features: String, _ values: [(String, UInt64)] = [],
                         changed: [(String, UInt64)]? = nil) throws -> DriverPrediction {
        try LinuxDriverHarness.predict("console", offering: features, values: values, changed: changed)
    }

    @Test func multiportReadsMaxNrPortsAndAddsNoPortItself() throws {
        let prediction = try predict("MULTIPORT,EMERG_WRITE,VERSION_1", [("max_nr_ports", 31)])
        #expect(prediction.failure == nil)
        #expect(prediction.view.texts == ["max_nr_ports": "31", "ports": "0", "hvc": "none"])
        #expect(prediction.reads.map(\.field) == ["max_nr_ports"])
        #expect(prediction.reads.first?.offset == 4 && prediction.reads.first?.bytes.count == 4)
        // EMERG_WRITE is not in the driver's table: never negotiated, emerg_wr never touched.
        let device = try LinuxDriverHarness.device("console")
        #expect(!device.has("EMERG_WRITE", in: prediction.negotiated))
        #expect(LinuxDriverHarness.writes(prediction.trace).isEmpty)
        #expect(LinuxDriverHarness.notes(prediction.trace).contains("virtcons_probe: init_vqs asks for 64 queues"))
    }

    @Test func withoutMultiportPortZeroIsAConsoleAndNothingIsRead() throws {
        let prediction = try predict("SIZE,VERSION_1", [("cols", 80), ("rows", 25), ("max_nr_ports", 7)])
        #expect(prediction.view.texts == ["max_nr_ports": "1", "ports": "1", "hvc": "hvc0"])
        // cols and rows are never read at probe, even with SIZE: the console shows 0x0 until a change.
        #expect(prediction.reads.isEmpty)
    }

    /// "if (portdev->max_nr_ports == 0 || portdev->max_nr_ports > VIRTCONS_MAX_PORTS)": -EINVAL, with a
    /// line that has no newline and prints the u32 with %d.
    @Test(arguments: [(UInt64(0), "Invalidate max_nr_ports 0"), (0x8001, "Invalidate max_nr_ports 32769"),
                      (0x8000_0000, "Invalidate max_nr_ports -2147483648")])
    func outOfRangePortCountsFailTheProbe(ports: UInt64, line: String) throws {
        let prediction = try predict("MULTIPORT,VERSION_1", [("max_nr_ports", ports)])
        #expect(prediction.failure == line)
        #expect(prediction.view.log == [line, "virtio_console: probe of virtioN failed with error -22"])
        #expect(prediction.view.entries.isEmpty)
        #expect(LinuxDriverHarness.driverOKIndex(prediction.trace) == nil)
    }

    @Test func theLargestPortCountIsTaken() throws {
        #expect(try predict("MULTIPORT,VERSION_1", [("max_nr_ports", 0x8000)]).view.texts["max_nr_ports"] == "32768")
    }

    /// config_work_handler reads cols, then rows; resize_console applies them with SIZE.
    @Test func aChangeWithSizeResizesTheConsole() throws {
        let prediction = try predict("SIZE,VERSION_1", [("cols", 0), ("rows", 0)], changed: [("cols", 132), ("rows", 43)])
        #expect(prediction.view.texts["size"] == "43 132")  // as stty size prints it: rows, then columns
        #expect(prediction.reads.map(\.field) == ["cols", "rows"])
        #expect(prediction.reads.map(\.offset) == [0, 2])
        #expect(prediction.reads.map(\.bytes.count) == [2, 2])
    }

    /// The departure: without SIZE the handler still reads cols and rows, and only then declines.
    @Test func aChangeWithoutSizeReadsTheFieldsAnyway() throws {
        let prediction = try predict("VERSION_1", changed: [("cols", 132), ("rows", 43)])
        #expect(prediction.reads.map(\.field) == ["cols", "rows"])
        #expect(prediction.view["size"] == nil)
        #expect(LinuxDriverHarness.notes(prediction.trace).contains { $0.contains("without SIZE") })
    }

    /// config_intr: "if (!use_multiport(portdev)) schedule_work(&portdev->config_work)".
    @Test func multiportIgnoresAChange() throws {
        let prediction = try predict("SIZE,MULTIPORT,VERSION_1", [("max_nr_ports", 2)], changed: [("cols", 132), ("rows", 43)])
        #expect(prediction.reads.map(\.field) == ["max_nr_ports"])
        #expect(prediction.view["size"] == nil)
    }

    /// Every console field is `valid if`, so a packed reading moves none of them.
    @Test func packedMovesNoField() throws {
        let device = try LinuxDriverHarness.device("console")
        for names in ["VERSION_1", "MULTIPORT,VERSION_1", "SIZE,MULTIPORT,EMERG_WRITE,VERSION_1"] {
            let offered = try device.parseFeatures(names).get()
            let fixed = Layout(device: device, features: offered, interpretation: .fixed)
            let packed = Layout(device: device, features: offered, interpretation: .packed)
            #expect(fixed.fields.map(\.offset) == packed.fields.map(\.offset))
        }
    }
}
