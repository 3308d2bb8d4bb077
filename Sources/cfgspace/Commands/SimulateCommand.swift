import Arguments
import ConfigEmit
import Rendering
import ConfigLayout
import VirtioModel

/// `cfgspace simulate --driver D --device M [...]` and `cfgspace simulate --matrix [...]`
enum SimulateCommand: Command {
    static let spec = makeSpec(drivers: DriverKind.all, devices: DeviceKind.all)

    /// The command as the catalogues make it: its help lists each model, and --driver and --device
    /// take each name.
    static func makeSpec(drivers: [DriverKind], devices: [DeviceKind]) -> CommandSpec {
        CommandSpec(
        name: "simulate",
        abstract: "Run a driver model against a device model and show what each saw.",
        discussion: "A scenario is a driver model probing a device model over a bus, with the device's offered "
            + "features and field values and the host's byte order. It prints the features negotiated and dropped, "
            + "the values the driver shows its user, its config reads, the spec rules broken by either side and, "
            + "with --trace, every status write, feature access and config access with its bytes.\n"
            + "--layout names the device type (net by default); with nothing else, its reference driver runs against "
            + "the qemu model. Drivers by device type: " + driverCatalogue(drivers) + ". Device models: " + deviceCatalogue(devices) + ".\n"
            + "--features takes a whole set (MAC,MTU,VERSION_1) or edits of the device's defaults (+MTU,-MQ).\n"
            + "With --matrix, runs every driver against every device model of the type on its usual bus, under each "
            + "--features given (by default the devices' defaults, and for net +MTU,-MQ), and marks where an outcome "
            + "differs from the reference driver on qemu with the same features and values.",
        options: [
            SharedOptions.include,
            .init(name: "driver", valueName: "driver",
                  help: "The driver model; by default the device type's reference (Linux). With --matrix, repeat to "
                      + "choose rows.", choices: drivers.map(\.name).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }, isRepeatable: true),
            .init(name: "device", valueName: "device",
                  help: "The device model; by default qemu. With --matrix, repeat to choose rows.",
                  choices: devices.map(\.name), isRepeatable: true),
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
            .init(name: "layout", valueName: "file", help: "The device type: a built-in layout's name or a layout file.",
                  defaultValue: "net"),
            .init(name: "cpus", valueName: "count", help: "The guest's CPUs, for drivers that size queues by them.",
                  defaultValue: "1"),
            SharedOptions.spec,
            SharedOptions.format(),
        ])
    }

    /// "net: linux-5.12, ...; blk: linux-6.1, spec-literal; any other: spec-literal".
    private static func driverCatalogue(_ kinds: [DriverKind]) -> String {
        var layouts: [String] = []
        for kind in kinds { if let layout = kind.layout, !layouts.contains(layout) { layouts.append(layout) } }
        let generic = kinds.filter { $0.layout == nil }.map(\.name)
        return layouts.map { layout in
            layout + ": " + (kinds.filter { $0.layout == layout }.map(\.name)
                             + generic.filter { name in !kinds.contains { $0.layout == layout && $0.name == name } })
                .joined(separator: ", ")
        }.joined(separator: "; ") + "; any other: " + generic.joined(separator: ", ")
    }

    /// "qemu and packed for any device; net: mlx5-5.12, ...".
    private static func deviceCatalogue(_ kinds: [DeviceKind]) -> String {
        let generic = kinds.filter { $0.layout == nil }.map(\.name).joined(separator: " and ")
        var layouts: [String] = []
        for kind in kinds { if let layout = kind.layout, !layouts.contains(layout) { layouts.append(layout) } }
        return generic + " for any device type; " + layouts.map { layout in
            layout + " also " + kinds.filter { $0.layout == layout }.map(\.name).joined(separator: ", ")
        }.joined(separator: "; ")
    }

    struct Options: CommandOptions {
        var includes: [String]
        var drivers: [String]
        var devices: [String]
        var bus: BusKind?
        var features: [String]
        var values: [String]
        var hostIsLittleEndian: Bool
        var pastEnd: PastEndPolicy?
        var showsTrace: Bool
        var matrix: Bool
        var strict: Bool
        var layout: String
        var cpus: Int
        var version: SpecVersion
        var format: ReportFormat

        init(_ arguments: ParsedArguments) throws(UsageError) {
            includes = arguments.values("include")
            drivers = arguments.values("driver")
            devices = arguments.values("device")
            bus = try arguments.optionalChoice("bus", as: BusKind.self)
            features = arguments.values("features")
            values = arguments.values("set")
            hostIsLittleEndian = arguments.value("host-endian") != "big"
            pastEnd = try arguments.optionalChoice("past-end", as: PastEndPolicy.self)
            showsTrace = arguments.flag("trace")
            matrix = arguments.flag("matrix")
            strict = arguments.flag("strict")
            layout = try arguments.required("layout")
            guard let cpus = try arguments.integer("cpus", in: 1...1024, hint: "give a number of CPUs from 1 to 1024") else {
                throw arguments.misuse("Missing expected argument '--cpus <count>'.")
            }
            self.cpus = cpus
            version = try SharedOptions.version(arguments) ?? .newest
            format = try arguments.choice("format", as: ReportFormat.self)
            if matrix {
                for option in ["set", "bus", "past-end", "trace"] where arguments.isGiven(option) {
                    throw arguments.misuse("--\(option) applies to one scenario; --matrix runs each device on its usual bus "
                                           + "with its own values.")
                }
            } else {
                guard drivers.count <= 1, devices.count <= 1 else {
                    throw arguments.misuse("simulate runs one scenario: give at most one --driver and one --device, such as "
                                           + "--driver linux-5.12 --device mlx5-5.12, or --matrix for every pair.")
                }
                guard features.count <= 1 else {
                    throw arguments.misuse("one scenario takes one --features; repeat --features only with --matrix.")
                }
            }
        }
    }

    static func run(_ options: Options, console: Console) throws(CommandError) {
        let (format, hostIsLittleEndian, version) = (options.format, options.hostIsLittleEndian, options.version)
        let style = TextStyle(colors: console.stdoutColors)

        let loaded = try LayoutInput.device(at: options.layout, named: nil, includes: options.includes, console: console)
        // The models offer, and the drivers accept, only what the version lists.
        let device = try LayoutInput.device(loaded, asOf: version)
        let simulator = Simulator(device: device)
        // In the catalogue's order, however they were typed; each must fit the device type.
        let drivers = try options.drivers.map { name throws(CommandError) in
            guard let kind = DriverKind.named(name, for: device) else {
                throw .usage("\(name) does not drive \(device.name); give --driver "
                             + simulator.drivers.map(\.name).joined(separator: ", --driver ") + ".")
            }
            return kind
        }
        let devices = try options.devices.map { name throws(CommandError) in
            guard let kind = DeviceKind.named(name, for: device) else {
                throw .usage("\(name) does not model \(device.name); give --device "
                             + simulator.devices.map(\.name).joined(separator: ", --device ") + ".")
            }
            return kind
        }
        let selections = try options.features.map { text throws(CommandError) in
            switch FeatureSelection.parse(text, for: device) {
            case .success(let selection): return selection
            case .failure(let error):
                let absent = text.split(separator: ",").lazy.map { String($0.drop { "+-".contains($0) }) }
                    .compactMap { LayoutInput.absence(of: $0, in: loaded, version: version) }.first
                throw .usage("The value '\(text)' is invalid for '--features <features>': \(absent ?? error.description)")
            }
        }

        if options.matrix {
            let matrix = Matrix(simulator: simulator,
                                selections: selections.isEmpty ? Matrix.defaultSelections(for: device) : selections,
                                drivers: drivers.isEmpty ? nil : DriverKind.all.filter(drivers.contains),
                                devices: devices.isEmpty ? nil : DeviceKind.all.filter(devices.contains),
                                hostIsLittleEndian: hostIsLittleEndian)
            console.out(MatrixReport(matrix: matrix).render(format, style: style))
            if options.strict && matrix.rows.contains(where: { !$0.differences.isEmpty }) {
                throw .rejected("--strict: \(matrix.rows.filter { !$0.differences.isEmpty }.count) scenarios differ from the reference")
            }
            return
        }

        // Every --set is checked here, a mistake being a usage error: the field must exist and the
        // value fit it.
        let everything = FeatureSet(bits: device.allFeatures.map(\.bit))
        let checked = try LayoutInput.assignments(options.values, for: device, offered: everything, interpretation: .fixed)
        let values = zip(checked, options.values).map { assignment, item in
            (field: assignment.path, text: String(item[item.index(after: item.firstIndex(of: "=") ?? item.startIndex)...]))
        }
        let scenario = Scenario(driver: drivers.first ?? DriverKind.reference(for: device), device: devices.first ?? .qemu,
                                bus: options.bus, features: selections.first ?? .defaults,
                                values: values, hostIsLittleEndian: hostIsLittleEndian,
                                pastEnd: options.pastEnd, cpus: options.cpus)
        let outcome: Outcome
        do throws(ScenarioError) {
            outcome = try simulator.run(scenario)
        } catch {
            // A version older than the fields and features the models name is the user's choice, not the layout's fault.
            let later = SpecVersion.known.filter { $0 > version }
            if let works = later.first(where: { (try? Simulator(device: loaded.asOf($0)).run(scenario)) != nil }) {
                throw .usage("--spec \(version): \(error.description). Give --spec \(works) or later.")
            }
            throw .rejected(error.description)
        }
        console.out(ScenarioReport(outcome: outcome, showsTrace: options.showsTrace).render(format, style: style))
        if options.strict && !outcome.violations.isEmpty {
            throw .rejected("--strict: the scenario broke \(outcome.violations.count) rules")
        }
    }
}
