import Arguments
import ConfigLayout
import Foundation
import Rendering
import Testing
import TestSupport
@testable import cfgspace
@testable import ConfigEmit
@testable import VirtioModel

/// Each extension point is one file plus one list entry: the fixtures beside this file are that
/// file, and the lists below add nothing else. Help, generate's index and the committed
/// Generated/README.md (the golden) pick them up.
@Suite struct ExtensionPointTests {
    // The list entries, as GenerationTarget.all, DriverKind.all and DeviceKind.all would hold them.
    static let targets = GenerationTarget.all + [GenerationTarget(TSVEmitter.self)]
    static let drivers = DriverKind.all + [FixtureDriver.kind]
    static let devices = DeviceKind.all + [FixtureDevice.kind]

    /// Every layout in Layouts/, as `cfgspace generate` reads them.
    static func generator() throws -> Generator {
        let folder = PackagePaths.root.appendingPathComponent("Layouts")
        var inputs: [GenerationInput] = []
        var transport: ConfigLayout.Transport?
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).filter({ $0.hasSuffix(".layout") }).sorted() {
            let loaded = try LayoutLoader().load(path: folder.appendingPathComponent(name).path)
            transport = transport ?? loaded.checked.transport
            inputs += loaded.devices.filter { $0.exists(in: .newest) }.map {
                GenerationInput(device: $0.asOf(selected: .newest), declared: $0, layoutName: name)
            }
        }
        return Generator(inputs: inputs, transport: transport, version: .newest)
    }

    @Test func aNewEmitterIsOneFileAndOneListEntry() throws {
        let help = HelpFormatter.help(for: GenerateCommand.makeSpec(targets: Self.targets))
        #expect(help.contains("Write C, Rust, Swift, JSON, Markdown, SVG, HTML and TSV from layouts."), "\(help)")
        #expect(help.contains("markdown, svg, html, tsv, all"), "\(help)")

        let files = try Self.generator().files(for: Self.targets)
        let net = try #require(files.first { $0.path == "tsv/net.tsv" })
        #expect(net.contents.contains("10\t2\tmtu\n"))
        let index = try #require(files.first { $0.path == "README.md" }).contents
        #expect(index.contains("| Interactive | TSV |"))
        #expect(index.contains("| [net.tsv](tsv/net.tsv) |"))

        // Without the new column, the index is the committed one, byte for byte.
        let golden = try String(contentsOf: PackagePaths.root.appendingPathComponent("Generated/README.md"), encoding: .utf8)
        let stripped = index.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("|"), let last = line.dropLast().lastIndex(of: "|") else { return String(line) }
            return String(line[...last])
        }.joined(separator: "\n")
        #expect(stripped == golden)
    }

    @Test func aNewDriverAndDeviceModelAreOneFileAndOneListEntryEach() throws {
        let help = HelpFormatter.help(for: SimulateCommand.makeSpec(drivers: Self.drivers, devices: Self.devices))
        #expect(help.contains("fixture-driver") && help.contains("fixture-device"), "\(help)")

        let loaded = try LayoutLoader().load(path: PackagePaths.root.appendingPathComponent("Layouts/net.layout").path)
        let net = try #require(loaded.devices.first)
        let simulator = Simulator(device: net, driverKinds: Self.drivers, deviceKinds: Self.devices)
        #expect(simulator.drivers.contains(FixtureDriver.kind) && simulator.devices.contains(FixtureDevice.kind))

        let matrix = Matrix(simulator: simulator, selections: [.defaults])
        let cell = try #require(matrix.rows.first { $0.outcome.driver == FixtureDriver.kind && $0.outcome.device == FixtureDevice.kind })
        #expect(cell.outcome.probeFailure == nil)
        let report = MatrixReport(matrix: matrix).render(.text, style: TextStyle(colors: false))
        #expect(report.contains("a fixture that reads net literally") && report.contains("a fixture that serves fixed offsets"))
    }
}
