import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// The matrix: every pair, set against the spec-conforming pair.
@Suite struct MatrixTests {
    @Test func everyPairRunsAndTheReferenceAgreesWithItself() throws {
        let simulator = try VirtioModelTests.simulator()
        let selections = Matrix.defaultSelections(for: simulator.device)
        let matrix = Matrix(simulator: simulator, selections: selections)
        #expect(matrix.rows.count == DriverKind.netKinds.count * DeviceKind.netKinds.count * selections.count)
        for row in matrix.rows {
            #expect(row.reference.driver == .linuxCurrent && row.reference.device == .qemu && row.reference.bus == .direct)
            #expect(row.reference.offered == row.outcome.offered)
            if row.outcome.driver == .linuxCurrent && row.outcome.device == .qemu {
                #expect(row.differences.isEmpty)
                #expect(row.outcome.violations.isEmpty)
            }
        }
        // The thread's failure is the row that differs on mtu and nothing else.
        let thread = try #require(matrix.rows.first {
            $0.selection == "defaults" && $0.outcome.driver == .linux5_12 && $0.outcome.device == .mlx5_5_12
        })
        #expect(thread.differences == ["mtu"])
        // The fix: current Linux on the same device does not differ.
        let fixed = try #require(matrix.rows.first {
            $0.selection == "defaults" && $0.outcome.driver == .linuxCurrent && $0.outcome.device == .mlx5_5_12
        })
        #expect(fixed.differences.isEmpty)
    }

    @Test func devicesThatRefuseToBeCreatedAreListedNotLost() throws {
        let simulator = try VirtioModelTests.simulator()
        let legacy = try FeatureSelection.parse("-VERSION_1", for: simulator.device).get()
        let matrix = Matrix(simulator: simulator, selections: [legacy])
        #expect(matrix.skipped.count == DriverKind.netKinds.count)
        #expect(matrix.skipped.allSatisfy { $0.device == .mlx5Current && $0.reason.contains("VERSION_1") })
        #expect(matrix.rows.count + matrix.skipped.count == DriverKind.netKinds.count * DeviceKind.netKinds.count)
        let text = MatrixReport(matrix: matrix).text(style: .plain)
        #expect(text.components(separatedBy: "mlx5-current not created").count == 2)
    }

    @Test func differencesNameWhatDiffers() throws {
        let simulator = try VirtioModelTests.simulator()
        let matrix = Matrix(simulator: simulator, selections: [.defaults], drivers: [.linuxCurrent], devices: [.packed])
        let row = try #require(matrix.rows.first)
        #expect(row.differences == ["mtu"])
        #expect(row.outcome.mtu != row.reference.mtu)
    }

    @Test func selectionsParseAndResolve() throws {
        let device = try netDevice()
        let defaults = try features("MAC,MQ,CTRL_VQ", of: device)
        let edited = try FeatureSelection.parse("+MTU,-MQ", for: device).get()
        #expect(edited.resolve(defaults: defaults) == (try features("MAC,CTRL_VQ,MTU", of: device)))
        #expect(edited.label(for: device) == "+MTU,-MQ")
        #expect(try FeatureSelection.parse("defaults", for: device).get() == .defaults)
        #expect(try FeatureSelection.parse("MTU,MAC", for: device).get() == .exactly(features("MAC,MTU", of: device)))
        for bad in ["+MTU,MQ", "+MTX", "MTX"] {
            guard case .failure(let error) = FeatureSelection.parse(bad, for: device) else {
                Issue.record("'\(bad)' was accepted")
                continue
            }
            #expect(!error.description.isEmpty)
        }
        if case .failure(let error) = FeatureSelection.parse("+MTX", for: device) {
            #expect(error.description.contains("did you mean 'MTU'"))
        }
    }

    @Test func scenarioValuesAreChecked() throws {
        let simulator = try VirtioModelTests.simulator()
        let cases: [(DeviceKind, String, String, String)] = [
            (.qemu, "mtux", "1", "did you mean 'mtu'"),
            (.qemu, "mtu", "70000", "does not fit"),
            (.firecracker, "speed", "1", "keeps no value for speed"),
        ]
        for (kind, field, text, message) in cases {
            do {
                _ = try simulator.run(Scenario(driver: .linuxCurrent, device: kind, values: [(field, text)]))
                Issue.record("\(field)=\(text) was accepted")
            } catch {
                #expect(error.description.contains(message), "\(error.description)")
            }
        }
    }

    @Test func aNetDriverRefusesAnotherDeviceType() throws {
        let loaded = try LayoutLoader().load(path: PackagePaths.layout("blk.layout").path)
        let blk = Simulator(device: try #require(loaded.devices.first).asOf(nil))
        #expect(throws: ScenarioError.self) { try blk.run(Scenario(driver: .linuxCurrent, device: .qemu)) }
        #expect(throws: ScenarioError.self) { try blk.run(Scenario(driver: DriverKind.reference(for: blk.device), device: .mlx5_5_12)) }
        #expect(blk.drivers.map(\.name) == ["linux-6.1", "spec-literal"])
        #expect(!blk.devices.contains(.mlx5_5_12))
    }

    @Test func aNetLayoutWithoutTheFieldsTheDriversReadIsRefused() throws {
        let source = """
        device net = 1 {
          feature MTU = 3
          config c {
            mtu le16 if MTU
          }
        }
        """
        let loaded = LayoutLoader().load(SourceFile(path: "small.layout", text: source))
        let simulator = Simulator(device: try #require(loaded.devices.first))
        #expect(throws: ScenarioError.self) { try simulator.run(Scenario(driver: .linuxCurrent, device: .qemu)) }
    }
}
