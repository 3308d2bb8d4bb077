import Arguments
import ConfigEmit
import Rendering
import ConfigLayout
import Foundation
import VirtioHost
import VirtioModel

/// `cfgspace serve --vhost-user PATH FILE [...]`: be a vhost-user back-end that serves a layout's
/// configuration, and take changes on standard input while it runs.
enum ServeCommand: Command {
    static let spec = CommandSpec(
        name: "serve",
        abstract: "Serve a device's configuration to QEMU as a vhost-user back-end.",
        discussion: "Listens on the Unix socket --vhost-user and answers a vhost-user front-end (QEMU's "
            + "vhost-user-blk-pci, -input-pci, -gpu-pci, -vsock-pci, -gpio-pci) with the layout's configuration under "
            + "the interpretation: GET_CONFIG gets its bytes, SET_CONFIG may write driver-writable fields only, and "
            + "every message a front-end sends while a guest starts the device is accepted as the protocol requires. "
            + "There is no data path: queues are never served. Every front-end that connects is served at once, up "
            + "to 64, and all see one device.\n"
            + "While it runs, standard input takes 'set FIELD=VALUE ...', which changes the configuration and tells "
            + "every front-end (VHOST_USER_BACKEND_CONFIG_CHANGE_MSG), and 'quit'. SIGINT, SIGTERM and SIGHUP stop it "
            + "as 'quit' does. The socket is refused if something listens there, replaced if nothing does.",
        arguments: [.init(name: "file", help: "The layout: a file, or a built-in name such as blk.")],
        options: [
            SharedOptions.include,
            .init(name: "vhost-user", valueName: "path", help: "The Unix socket to listen on.", isRequired: true),
            .init(name: "socket-mode", valueName: "mode",
                  help: "The socket's permissions, in octal, whatever the umask.", defaultValue: "0600"),
            .init(name: "upstream", valueName: "socket",
                  help: "Interpose in front of the vhost-user back-end at this socket: everything passes through but the "
                      + "config, which is the layout's, holding the back-end's values unless --set gives others."),
            .init(name: "features", valueName: "features",
                  help: "The offered features: names or bit numbers, 'none' or 'all'; by default VERSION_1 and the "
                      + "features that bring the fields --set gives (mtu=9000 brings MTU). A set that the device type's "
                      + "Linux driver model would refuse, or a value out of its field's range, is warned of. With "
                      + "--upstream, the older spelling of --pass."),
            .init(name: "pass", valueName: "features",
                  help: "With --upstream: the device features the front-end may see, of the back-end's (transport bits "
                      + "pass through); by default all of them."),
            .init(name: "set", valueName: "field=value", help: "A field's value, such as capacity=2097152.", isRepeatable: true),
            .init(name: "select", valueName: "case=value",
                  help: "What a selection serves, such as ID_NAME=cfgspace or EV_BITS/1=0xfe,0xff (input).", isRepeatable: true),
            .init(name: "interpretation", valueName: "interpretation", help: "How the bytes are laid out.",
                  choices: Interpretation.allCases.map(\.rawValue), defaultValue: Interpretation.fixed.rawValue),
            .init(name: "queues", valueName: "count",
                  help: "The queue count GET_QUEUE_NUM answers; with --upstream, the back-end answers.", defaultValue: "8"),
            .init(name: "verbose", help: "Print every message as it is served."),
            SharedOptions.spec,
        ])

    struct Options: CommandOptions {
        var socket: String
        var file: String
        var includes: [String]
        var upstream: String?
        /// Standalone: the features offered.
        var features: String?
        /// With --upstream: the device features that pass from the back-end to the front-end.
        var pass: String?
        var values: [String]
        var selections: [String]
        var interpretation: Interpretation
        var queues: Int
        var verbose: Bool
        var version: SpecVersion
        /// The socket's permissions, whatever the umask.
        var socketMode: mode_t

        init(_ arguments: ParsedArguments) throws(UsageError) {
            socket = try arguments.required("vhost-user")
            file = try arguments.required(argument: "file")
            includes = arguments.values("include")
            upstream = arguments.value("upstream")
            features = arguments.value("features")
            pass = arguments.value("pass")
            values = arguments.values("set")
            selections = arguments.values("select")
            interpretation = try arguments.choice("interpretation", as: Interpretation.self)
            guard let queues = try arguments.integer("queues", in: 1...1024, hint: "give 1 to 1024") else {
                throw arguments.misuse("Missing expected argument '--queues <count>'.")
            }
            self.queues = queues
            verbose = arguments.flag("verbose")
            version = try SharedOptions.version(arguments) ?? .newest
            let modeText = arguments.value("socket-mode") ?? "0600"
            guard let socketMode = mode_t(modeText, radix: 8), socketMode <= 0o777 else {
                throw arguments.misuse("The value '\(modeText)' is invalid for '--socket-mode <mode>': give octal permissions "
                                       + "such as 0600 or 0660.")
            }
            self.socketMode = socketMode
            if let problem = UnixSocketPath.problem(socket) {
                throw arguments.misuse("The value '\(socket)' is invalid for '--vhost-user <path>': \(problem).")
            }
            if let upstream {
                if let problem = UnixSocketPath.problem(upstream) {
                    throw arguments.misuse("The value '\(upstream)' is invalid for '--upstream <socket>': \(problem).")
                }
                if UnixSocketPath.same(upstream, socket) {
                    throw arguments.misuse("--upstream is the socket serve listens on (--vhost-user '\(socket)'): give the "
                                           + "back-end's socket.")
                }
            }
            if upstream != nil {
                if arguments.isGiven("queues") {
                    throw arguments.misuse("--queues does not go with --upstream: the back-end answers GET_QUEUE_NUM "
                                           + "itself, and its answer passes through. Leave out --queues.")
                }
                if features != nil, pass != nil {
                    throw arguments.misuse("--features and --pass say the same with --upstream: give --pass only.")
                }
                // The older spelling: --features with --upstream filtered the back-end's features.
                pass = pass ?? features
                features = nil
            } else if pass != nil {
                throw arguments.misuse("--pass filters an upstream back-end's features: give --upstream SOCKET, or "
                                       + "--features for the features serve offers itself.")
            }
        }
    }

    static func run(_ options: Options, console: Console) throws(CommandError) {
        let (path, interpretation) = (options.socket, options.interpretation)
        let version = options.version
        let loaded = try LayoutInput.device(at: options.file, named: nil, includes: options.includes, console: console)
        let device = try LayoutInput.device(loaded, asOf: version)
        let offered: FeatureSet
        if let text = options.pass ?? options.features {
            offered = try LayoutInput.features(text, for: device, console: console, whole: loaded, version: version)
        } else if options.upstream != nil {
            offered = ServedDevice.defaultFeatures(of: device)
        } else {
            // The fields --set gives bring their features; a field given no value brings none.
            let every = FeatureSet(bits: device.allFeatures.map(\.bit))
            let given = try LayoutInput.assignments(options.values, for: device, offered: every, interpretation: .fixed)
            offered = ServedDevice.features(bringing: given.map(\.path), of: device)
        }
        let values = try LayoutInput.assignments(options.values, for: device, offered: offered, interpretation: interpretation)
        var selections: [ServedDevice.Selection: [UInt8]] = [:]
        for text in options.selections {
            switch ServedDevice.parseSelection(text, for: device) {
            case .success(let (selection, bytes)): selections[selection] = bytes
            case .failure(let error): throw .usage("The value '\(text)' is invalid for '--select <case=value>': \(error.description).")
            }
        }
        let served: ServedDevice
        do {
            served = try ServedDevice(device: device, interpretation: interpretation, offered: offered, values: values,
                                      selections: selections)
        } catch {
            throw .usage(error.description)
        }
        let errors = console
        let log = ServeLog(verbose: options.verbose) { line in
            errors.err(TextTable.paragraph("cfgspace serve: \(line)", continuation: "  "))
        }
        do {
            // Before anything listens: a signal from here on stops serve as 'quit' does.
            let stop = try SignalStop.descriptor()
            let server: VhostUserServer
            if let upstream = options.upstream {
                // Bits other versions list and this one does not (1.0's ACCESS_PLATFORM) never pass.
                let withheld = FeatureSet(bits: loaded.allFeatures.map(\.bit)).subtracting(FeatureSet(bits: device.allFeatures.map(\.bit)))
                server = try VhostUserServer(path: path, upstream: upstream, served: served,
                                             offerOnly: options.pass == nil ? nil : offered,
                                             withheld: withheld, socketMode: options.socketMode, log: log)
                console.err(TextTable.paragraph("cfgspace serve: \(device.name) (\(interpretation.rawValue)) on \(path), in front of \(upstream)",
                                                continuation: "  "))
            } else {
                for objection in served.objections() {
                    console.warning(objection + ". Give its fields values with --set, or choose the features with --features.")
                }
                server = try VhostUserServer(path: path, served: served, queues: options.queues, socketMode: options.socketMode, log: log)
                console.err(TextTable.paragraph("cfgspace serve: \(device.name) (\(interpretation.rawValue)) on \(path); offering "
                                                + device.names(of: offered).joined(separator: ", "), continuation: "  "))
            }
            try server.run(commands: Descriptor(dup(STDIN_FILENO)), stop: stop)
            if let signal = SignalStop.signalName { console.err("cfgspace serve: stopped by \(signal)\n") }
        } catch {
            console.error(error.description)
            throw .failed
        }
    }
}
