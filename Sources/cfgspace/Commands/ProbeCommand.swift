import Arguments
import ConfigEmit
import Rendering
import ConfigLayout
import VirtioHost
import VirtioModel
import Spelling

/// `cfgspace probe qemu --device SPEC [...]`: drive a real device and hold it against cfgspace.
enum ProbeCommand: Command {
    static let spec = CommandSpec(
        name: "probe",
        abstract: "Drive a real virtio device and check what it serves against cfgspace's layout.",
        discussion: "'probe vhost-user --socket PATH --device NAME' connects to any vhost-user back-end as QEMU would, "
            + "reads its features, protocol features, queue count and configuration (the largest GET_CONFIG it answers), "
            + "decodes the configuration against the layout and checks its size, its values' ranges, the bytes past the "
            + "last field and the offered bits the layout does not know.\n"
            + "'probe qemu' starts qemu-system-x86_64 under qtest with the CPU stopped, creates the --device "
            + "(with a harmless backend when it needs one: null-co for blk, the built-in cryptodev, memory backends), "
            + "finds it on the PCI bus (or, for a -device driver, on microvm's virtio-mmio transports), negotiates "
            + "everything it offers and reads its configuration at the widths the spec allows. It prints the offered "
            + "features, the exact config length (from QEMU's migration stream), the bytes, and every field at its "
            + "fixed offset beside what a packed reading would find there. The verdict holds the length against "
            + "cfgspace's QEMU sizing, the bytes past the end, each value against its range, FEATURES_OK, and each "
            + "field QEMU fills from a property against that property. Exit status 1 on any departure.\n"
            + "With --driver, the driver model also probes the device, and its trace is compared line by line with "
            + "the same run on the qemu device model. --driver basic is the probe's own driver, for any device: it "
            + "watches config_generation while the config changes through QMP and by the driver's own writes (net: "
            + "set_link before and after DRIVER_OK; balloon: actual written, a new target after DRIVER_OK), beside the "
            + "qemu model and a device that follows the spec's every-change rule.\n"
            + "With --machine, QEMU runs that machine type, and its compat properties (QEMU 7.2's hw_compat_* and "
            + "pc_compat_*) enter the prediction, as -global arguments given with --qemu-arg do.",
        arguments: [.init(name: "target", help: "What to probe: 'qemu' or 'vhost-user'.")],
        options: [
            SharedOptions.include,
            .init(name: "device", valueName: "spec",
                  help: "qemu: the -device value, such as 'virtio-net-pci,mq=off,host_mtu=9000'. vhost-user: the built-in "
                      + "layout to hold the back-end against, such as blk."),
            .init(name: "socket", valueName: "path", help: "vhost-user: the back-end's Unix socket."),
            .init(name: "layout", valueName: "file",
                  help: "The layout to hold the device against; by default the built-in one for its device ID."),
            .init(name: "driver", valueName: "driver",
                  help: "Run a driver model against the device too: one that drives its type (see "
                      + "'cfgspace simulate --help' for which drivers drive which devices), or basic (any device: "
                      + "config changes and config_generation).",
                  choices: DriverKind.names + ["basic"], isRepeatable: true),
            .init(name: "qemu", valueName: "path", help: "The QEMU program; by default qemu-system-x86_64 on PATH."),
            .init(name: "qemu-arg", valueName: "arg", help: "One more argument for QEMU, such as --qemu-arg=-global "
                      + "--qemu-arg=virtio-mmio.force-legacy=false.", isRepeatable: true),
            .init(name: "machine", valueName: "type",
                  help: "qemu: the machine type, any that qemu-system-x86_64 -machine help lists, such as pc-i440fx-4.0; "
                      + "its compat properties (QEMU 7.2's hw_compat_*) enter the prediction. By default pc, or "
                      + "microvm for a -device driver."),
            .init(name: "trace", help: "With --driver, show the whole trace of each run."),
            SharedOptions.format(),
        ])

    struct Options: CommandOptions {
        enum Target: String, CaseIterable {
            case qemu
            case vhostUser = "vhost-user"
        }

        var target: Target
        var includes: [String]
        var device: String?
        var socket: String?
        var layout: String?
        /// The driver models to run, without basic.
        var drivers: [String]
        /// --driver basic: watch config changes and config_generation.
        var watchesChanges: Bool
        var qemu: String?
        var qemuArguments: [String]
        var machine: String?
        var showsTrace: Bool
        var format: ReportFormat

        init(_ arguments: ParsedArguments) throws(UsageError) {
            let target = try arguments.required(argument: "target")
            guard let known = Target(rawValue: target) else {
                let names = Target.allCases.map(\.rawValue)
                throw arguments.misuse("'\(target)' is not something probe can reach; give 'qemu' or 'vhost-user'"
                                       + (Suggestion.closest(to: target, in: names).map { ". Did you mean '\($0)'?" } ?? "."))
            }
            self.target = known
            includes = arguments.values("include")
            device = arguments.value("device")
            socket = arguments.value("socket")
            layout = arguments.value("layout")
            drivers = arguments.values("driver").filter { $0 != "basic" }
            watchesChanges = arguments.values("driver").contains("basic")
            qemu = arguments.value("qemu")
            qemuArguments = arguments.values("qemu-arg")
            machine = arguments.value("machine")
            showsTrace = arguments.flag("trace")
            format = try arguments.choice("format", as: ReportFormat.self)
        }
    }

    static func run(_ options: Options, console: Console) throws(CommandError) {
        switch options.target {
        case .qemu: try probeQEMU(options, console: console)
        case .vhostUser: try probeVhostUser(options, console: console)
        }
    }

    private static func probeVhostUser(_ options: Options, console: Console) throws(CommandError) {
        guard let socket = options.socket else {
            throw .usage("'probe vhost-user' needs --socket, the back-end's Unix socket.")
        }
        guard let source = options.layout ?? options.device else {
            throw .usage("'probe vhost-user' needs the layout to hold the back-end against: --device blk, or --layout FILE.")
        }
        let loaded = try LayoutInput.device(at: source, named: nil, includes: options.includes, console: console)
        let device = try LayoutInput.device(loaded, asOf: SpecVersion.newest)
        let result: VhostUserProbe.Result
        do {
            result = try VhostUserProbe.run(socket: socket, layout: (source, device))
        } catch {
            throw .rejected(error.description)
        }
        console.out(VhostUserProbeReport(result: result).render(options.format, style: TextStyle(colors: console.stdoutColors)))
        if !result.agrees { throw .rejected("the back-end departs from the layout; the verdict above says where") }
    }

    private static func probeQEMU(_ options: Options, console: Console) throws(CommandError) {
        guard let device = options.device else {
            throw .usage("'probe qemu' needs --device, such as --device 'virtio-net-pci,mq=off,host_mtu=9000'.")
        }
        let spec: QEMUDeviceSpec
        switch QEMUDeviceSpec.parse(device) {
        case .success(let parsed): spec = parsed
        case .failure(let error): throw .usage("The value '\(device)' is invalid for '--device <spec>': \(error.description).")
        }
        var layout: (path: String, device: Device)?
        if let path = options.layout {
            let loaded = try LayoutInput.device(at: path, named: nil, includes: options.includes, console: console)
            layout = (path, try LayoutInput.device(loaded, asOf: SpecVersion.newest))
        }
        let probe = QEMUProbe.Options(device: spec, layout: layout, drivers: options.drivers, qemu: options.qemu,
                                      qemuArguments: options.qemuArguments, machine: options.machine,
                                      watchesChanges: options.watchesChanges,
                                      includeFolders: LayoutInput.loader(includes: options.includes).includeFolders)
        let result: QEMUProbeResult
        do {
            result = try QEMUProbe.run(probe)
        } catch {
            throw .rejected(error.description)
        }
        let style = TextStyle(colors: console.stdoutColors)
        console.out(QEMUProbeReport(result: result, showsTrace: options.showsTrace).render(options.format, style: style))
        if !result.agrees { throw .rejected("the device departs from cfgspace's prediction; the verdict above says where") }
    }
}
