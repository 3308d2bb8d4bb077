import Arguments
import ConfigEmit
import Rendering
import ConfigLayout
import VirtioModel

/// `cfgspace simulate --driver D --device M [...]` and `cfgspace simulate --matrix [...]`
enum SimulateCommand: Command {
    static let spec = CommandSpec(
        name: "simulate",
        abstract: "Run a driver model against a device model and show what each saw.",
        discussion: "A scenario is a driver (" + DriverKind.allCases.map(\.rawValue).joined(separator: ", ")
            + ") probing a device (" + DeviceKind.allCases.map(\.rawValue).joined(separator: ", ")
            + ") over a bus, with the device's offered features and field values and the host's byte order. "
            + "It prints the features negotiated and dropped, the values the driver ended with, its config reads, "
            + "the spec rules broken by either side and, with --trace, every status write, feature access and "
            + "config access with its bytes.\n"
            + "--features takes a whole set (MAC,MTU,VERSION_1) or edits of the device's defaults (+MTU,-MQ).\n"
            + "With --matrix, runs every driver against every device on its usual bus, under each --features "
            + "given (by default the devices' defaults and +MTU,-MQ), and marks where an outcome differs from "
            + "linux-current on qemu with the same features and values.",
        options: [
            SharedOptions.include,
            .init(name: "driver", valueName: "driver", help: "The driver model; with --matrix, repeat to choose rows.",
                  choices: DriverKind.allCases.map(\.rawValue), isRepeatable: true),
            .init(name: "device", valueName: "device", help: "The device model; with --matrix, repeat to choose rows.",
                  choices: DeviceKind.allCases.map(\.rawValue), isRepeatable: true),
            .init(name: "bus", valueName: "bus", help: "What sits between them; by default vdpa for mlx5 and "
                      + "vdpasim-net, and direct for the others.", choices: BusKind.allCases.map(\.rawValue)),
            .init(name: "features", valueName: "features",
                  help: "The offered features: 'defaults', names or bit numbers, or edits such as +MTU,-MQ. "
                      + "With --matrix, repeat for more feature sets.", isRepeatable: true),
            .init(name: "set", valueName: "field=value",
                  help: "A device field value, such as mtu=9000 or mac=52:54:00:12:34:56.", isRepeatable: true),
            .init(name: "host-endian", valueName: "order", help: "The host's (and legacy guest's) byte order.",
                  choices: ["little", "big"], defaultValue: "little"),
            .init(name: "past-end", valueName: "policy",
                  help: "What the device does with a read past its config; by default the model's own.",
                  choices: PastEndPolicy.allCases.map(\.rawValue)),
            .init(name: "trace", help: "Show every access, with offsets, widths and bytes."),
            .init(name: "matrix", help: "Run every driver against every device instead of one scenario."),
            .init(name: "strict", help: "Exit with 1 when the scenario records a violation, or with --matrix when a "
                      + "cell differs from its reference: for scripts."),
            .init(name: "layout", valueName: "file", help: "The virtio-net layout the models read.",
                  defaultValue: "net"),
            SharedOptions.spec,
            SharedOptions.format(),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws(CommandError) {
        guard let format = arguments.choice("format", as: ReportFormat.self),
              let layoutPath = arguments.value("layout") else { throw .failed }
        // In the catalogue's order, however they were typed.
        let drivers = DriverKind.allCases.filter { arguments.values("driver").contains($0.rawValue) }
        let devices = DeviceKind.allCases.filter { arguments.values("device").contains($0.rawValue) }
        let hostIsLittleEndian = arguments.value("host-endian") != "big"
        let style = TextStyle(colors: console.stdoutColors)

        let version = try LayoutInput.version(arguments.value("spec"), option: "spec")
        let loaded = try LayoutInput.device(at: layoutPath, named: nil, arguments: arguments, console: console)
        // The models offer, and the drivers accept, only what the version lists.
        let device = try LayoutInput.device(loaded, asOf: version)
        let simulator: Simulator
        do {
            simulator = try Simulator(device: device)
        } catch {
            // A version older than the fields and features the models name is the user's choice, not the layout's fault.
            if version != SpecVersion.newest, (try? Simulator(device: loaded.asOf(nil))) != nil {
                throw .usage("--spec \(version): \(error.description). Give --spec 1.2 or later.")
            }
            console.error("'\(layoutPath)': \(error.description)")
            throw .failed
        }
        let selections = try arguments.values("features").map { text throws(CommandError) in
            switch FeatureSelection.parse(text, for: device) {
            case .success(let selection): return selection
            case .failure(let error):
                let absent = text.split(separator: ",").lazy.map { String($0.drop { "+-".contains($0) }) }
                    .compactMap { LayoutInput.absence(of: $0, in: loaded, version: version) }.first
                throw .usage("The value '\(text)' is invalid for '--features <features>': \(absent ?? error.description)")
            }
        }

        if arguments.flag("matrix") {
            for option in ["set", "bus", "past-end", "trace"] where arguments.options[option] != nil || arguments.flag(option) {
                throw .usage("--\(option) applies to one scenario; --matrix runs each device on its usual bus with its own values.")
            }
            let matrix = Matrix(simulator: simulator,
                                selections: selections.isEmpty ? Matrix.defaultSelections(for: device) : selections,
                                drivers: drivers.isEmpty ? DriverKind.allCases : drivers,
                                devices: devices.isEmpty ? DeviceKind.allCases : devices,
                                hostIsLittleEndian: hostIsLittleEndian)
            console.out(MatrixReport(matrix: matrix).render(format, style: style))
            if arguments.flag("strict") && matrix.rows.contains(where: { !$0.differences.isEmpty }) { throw .failed }
            return
        }

        guard arguments.values("driver").count == 1, arguments.values("device").count == 1, let driver = drivers.first, let deviceKind = devices.first else {
            throw .usage("simulate runs one scenario: give one --driver and one --device, such as "
                         + "--driver linux-5.12 --device mlx5-5.12, or --matrix for every pair.")
        }
        guard selections.count <= 1 else {
            throw .usage("one scenario takes one --features; repeat --features only with --matrix.")
        }
        // Every --set is checked here, a mistake being a usage error: the field must exist and the
        // value fit it.
        let everything = FeatureSet(bits: device.allFeatures.map(\.bit))
        let checked = try LayoutInput.assignments(arguments.values("set"), for: device, offered: everything, interpretation: .fixed)
        let values = zip(checked, arguments.values("set")).map { assignment, item in
            (field: assignment.path, text: String(item[item.index(after: item.firstIndex(of: "=") ?? item.startIndex)...]))
        }
        let scenario = Scenario(driver: driver, device: deviceKind, bus: arguments.choice("bus", as: BusKind.self),
                                features: selections.first ?? .defaults, values: values,
                                hostIsLittleEndian: hostIsLittleEndian, pastEnd: arguments.choice("past-end", as: PastEndPolicy.self))
        do {
            let outcome = try simulator.run(scenario)
            console.out(ScenarioReport(outcome: outcome, showsTrace: arguments.flag("trace")).render(format, style: style))
            if arguments.flag("strict") && !outcome.violations.isEmpty { throw CommandError.failed }
        } catch let error as CommandError {
            throw error
        } catch {
            console.error("\(error)")
            throw .failed
        }
    }
}
