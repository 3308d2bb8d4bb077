import Arguments
import ConfigEmit
import Rendering
import ConfigLayout
import VirtioHost
import VirtioModel

/// `cfgspace guest [--device NAME] [...]` and `cfgspace guest --matrix`: boot a real Linux guest and
/// hold what its own drivers made of the devices against cfgspace's models of those drivers.
enum GuestCommand: Command {
    /// "console (virtio-serial-pci,max_ports=5), ...".
    private static var ownDevices: String {
        GuestDevice.all.compactMap { device in device.defaultQEMUDevice.map { "\(device.name) (\($0))" } }
            .joined(separator: ", ")
    }

    static let spec = CommandSpec(
        name: "guest",
        abstract: "Boot a real Linux guest and check what its own driver made of the device.",
        discussion: "blk: qemu-storage-daemon exports a 1 GiB file; cfgspace's interposer (serve --upstream) sits in "
            + "front of it and serves the configuration under --interpretation, with the daemon's values unless --set "
            + "gives others; QEMU's vhost-user-blk-pci presents it to a Linux 6.1 guest (Debian's cloud kernel under "
            + "TCG), whose virtio_blk reports /sys/block/vda, the negotiated features, its kernel log lines and the "
            + "first block's checksum. Beside each value: what cfgspace's model of Linux 6.1's virtio_blk predicts "
            + "from the bytes cfgspace predicts QEMU presents, and the field it came from.\n"
            + "QEMU's own devices, made from --qemu-device (by default: " + ownDevices + "), read by the guest's "
            + "own drivers, beside cfgspace's model of each driver run against the same device over qtest.\n"
            + "--matrix: every device at once, in as few boots as they allow, in one table.\n"
            + "--bus vdpa: Linux's own vDPA core with vdpa_sim (built out of tree from linux-source-6.1), the device "
            + "added with vdpa dev add and --set's mac and mtu, its config shown before and after virtio_net (or "
            + "virtio_blk) binds through virtio_vdpa, and ftrace's record of every call into vdpa_sim, each beside "
            + "the models' prediction.\n"
            + "--driver dpdk: DPDK 22.11's testpmd on QEMU's virtio-net over PCI (uio_pci_generic) and on vdpa_sim "
            + "through vhost-vdpa, beside the dpdk driver model.\n"
            + "The guest image is built on first use from Debian's packages (apt-get download; about 28 MB, 70 MB "
            + "for the generic kernel that 9p, gpu and crypto need, and about 150 MB more for the vDPA guest, which "
            + "also needs make, gcc-12, iproute2 and dpdk-dev installed) into CFGSPACE_GUEST_CACHE, or "
            + "~/.cache/cfgspace/guest. Exit status 1 on any difference.",
        options: [
            SharedOptions.include,
            .init(name: "device", valueName: "device", help: "The device the guest reads, by its layout's name.",
                  choices: GuestDevice.all.map(\.name), defaultValue: "blk"),
            .init(name: "matrix", help: "Every device, in as few boots as they allow, in one table."),
            .init(name: "layout", valueName: "file", help: "The device's layout; by default the built-in one."),
            .init(name: "interpretation", valueName: "interpretation", help: "blk, vsock: how cfgspace lays the bytes out.",
                  choices: Interpretation.allCases.map(\.rawValue), defaultValue: Interpretation.fixed.rawValue),
            .init(name: "features", valueName: "features",
                  help: "blk: the device features the guest may see, of the daemon's (transport bits pass through); "
                    + "vsock: what serve offers."),
            .init(name: "set", valueName: "field=value", help: "blk: a value over the daemon's, such as blk_size=4096; "
                      + "vsock: guest_cid=7; --bus vdpa --device net and --driver dpdk: mac or mtu, such as mtu=9000.",
                  isRepeatable: true),
            .init(name: "cpus", valueName: "count", help: "The guest's CPUs (and blk's queues).", defaultValue: "2"),
            .init(name: "resize-to", valueName: "sectors",
                  help: "blk: once the guest has reported, set capacity to this on the interposer and check the guest sees it."),
            .init(name: "direct", help: "blk: no interposer; QEMU reads qemu-storage-daemon's config itself."),
            .init(name: "qemu-device", valueName: "spec",
                  help: "For a device QEMU makes itself: the -device value, such as virtio-serial-pci,max_ports=5."),
            .init(name: "qemu", valueName: "path", help: "The QEMU program; by default qemu-system-x86_64 on PATH."),
        ] + GuestVDPAMode.options + [SharedOptions.format()])

    struct Options: CommandOptions {
        var includes: [String]
        /// The device the guest reads; with --driver dpdk, net.
        var device: String
        var matrix: Bool
        var layout: String?
        var interpretation: Interpretation
        var features: String?
        var values: [String]
        var cpus: Int
        var resizeTo: String?
        var direct: Bool
        var qemuDevice: String?
        var qemu: String?
        /// --bus vdpa or --driver dpdk; nil for the direct bus with Linux's driver.
        var mode: GuestVDPAMode.Mode?
        var replay: Bool
        var format: ReportFormat

        init(_ arguments: ParsedArguments) throws(UsageError) {
            includes = arguments.values("include")
            matrix = arguments.flag("matrix")
            layout = arguments.value("layout")
            interpretation = try arguments.choice("interpretation", as: Interpretation.self)
            features = arguments.value("features")
            values = arguments.values("set")
            guard let cpus = try arguments.integer("cpus", in: 1...8, hint: "give 1 to 8") else {
                throw arguments.misuse("Missing expected argument '--cpus <count>'.")
            }
            self.cpus = cpus
            resizeTo = arguments.value("resize-to")
            direct = arguments.flag("direct")
            qemuDevice = arguments.value("qemu-device")
            qemu = arguments.value("qemu")
            replay = arguments.flag("replay")
            format = try arguments.choice("format", as: ReportFormat.self)
            mode = try GuestVDPAMode.mode(arguments)
            if case .dpdk? = mode { device = "net" } else { device = try arguments.required("device") }
            if matrix {
                if mode != nil { throw arguments.misuse("--matrix boots the plain guests; --bus vdpa and --driver dpdk run on their own.") }
                let single = ["device", "layout", "features", "set", "resize-to", "qemu-device", "direct"].filter(arguments.isGiven)
                    + (interpretation != .fixed ? ["interpretation"] : [])
                if let option = single.first {
                    throw arguments.misuse("--\(option) is for one device; --matrix runs every device with its defaults, fed "
                                           + "ones under both interpretations.")
                }
            }
        }
    }

    static func run(_ options: Options, console: Console) throws(CommandError) {
        let (format, interpretation, cpus) = (options.format, options.interpretation, options.cpus)
        let style = TextStyle(colors: console.stdoutColors)
        if options.matrix {
            // The devices cfgspace feeds are fed the layouts of their names, from the same loader as every command's.
            var fedLayouts: [String: (path: String, device: Device)] = [:]
            for fed in GuestDevice.all where fed.isFed {
                let loaded = try LayoutInput.device(at: fed.name, named: nil, includes: options.includes, console: console)
                fedLayouts[fed.name] = (fed.name, try LayoutInput.device(loaded, asOf: SpecVersion.newest))
            }
            let matrix = GuestMatrix.Options(fedLayouts: fedLayouts, cpus: cpus, qemu: options.qemu)
            let result = try hosted { () throws(HostError) in try GuestMatrix.run(matrix) }
            console.out(GuestMatrixReport(result: result).render(format, style: style))
            if !result.agrees {
                throw .rejected("\(result.rows.filter { !$0.agrees }.count) values differ from the prediction")
            }
            return
        }
        let name = options.device
        guard let guestDevice = GuestDevice.named(name) else {
            throw .usage("No guest reads '\(name)'; give --device " + GuestDevice.all.map(\.name).joined(separator: ", ") + ".")
        }
        let source = options.layout ?? name
        let device = try LayoutInput.device(try LayoutInput.device(at: source, named: nil, includes: options.includes, console: console),
                                            asOf: SpecVersion.newest)
        guard device.name == name else {
            throw .usage("The layout '\(source)' describes \(device.name) (ID \(device.id)), not \(name).")
        }
        if let mode = options.mode { return try GuestVDPAMode.run(mode, options, layout: device, console: console) }
        // Every argument is checked before the image is built or anything starts.
        let fedOnly = [("features", options.features != nil), ("set", !options.values.isEmpty),
                       ("resize-to", options.resizeTo != nil), ("direct", options.direct),
                       ("interpretation", interpretation != .fixed)].filter(\.1).map(\.0)
        if !guestDevice.isFed, let option = fedOnly.first {
            throw .usage("--\(option) is for blk and vsock, which cfgspace feeds; the \(name) guest reads QEMU's own device.")
        }
        if guestDevice.isFed, options.qemuDevice != nil {
            throw .usage("--qemu-device is for a device QEMU makes itself; cfgspace feeds \(name) over vhost-user.")
        }
        if guestDevice.isFed && name != "blk" {
            try runFed(guestDevice, layout: (source, device), options, style: style, console: console)
            return
        }
        let choices = guestDevice.isFed ? try blkChoices(options, device: device, console: console)
            : nil
        let image = try hosted { () throws(HostError) in try GuestImage.ensure(kernel: guestDevice.kernel) }
        guard let choices else {
            let run = GuestDeviceRun.Options(devices: [(guestDevice, options.qemuDevice)],
                                             layouts: [name: (source, device)], image: image, cpus: cpus, qemu: options.qemu)
            let result = try hosted { () throws(HostError) in try GuestDeviceRun.run(run) }
            console.out(GuestRunReport(devices: result).render(format, style: style))
            if !result.agrees {
                throw .rejected("\(result.rows.filter { !$0.agrees }.count) values differ from the prediction")
            }
            return
        }
        let run = GuestBlkRun.Options(layout: (source, device), image: image, interpretation: interpretation,
                                      features: choices.features, values: choices.values, cpus: cpus,
                                      resizeTo: choices.resizeTo, throughInterposer: !choices.direct, qemu: options.qemu)
        let result = try hosted { () throws(HostError) in try GuestBlkRun.run(run) }
        console.out(GuestRunReport(blk: result).render(format, style: style))
        if !result.agrees {
            throw .rejected("\(result.rows.filter { !$0.agrees }.count) values differ from the prediction")
        }
    }

    /// A device cfgspace feeds other than blk (vsock): --set and --features over its own values.
    private static func runFed(_ guestDevice: GuestDevice, layout: (path: String, device: Device), _ options: Options,
                               style: TextStyle, console: Console) throws(CommandError) {
        let device = layout.device
        if let option = options.resizeTo != nil ? "resize-to" : options.direct ? "direct" : nil {
            throw .usage("--\(option) is for blk; give \(guestDevice.name) --set, --features or --interpretation.")
        }
        let features = try options.features.map { text throws(CommandError) in
            try LayoutInput.features(text, for: device, console: console)
        }
        let values = try LayoutInput.assignments(options.values, for: device,
                                                 offered: features ?? FeatureSet(bits: device.allFeatures.map(\.bit)),
                                                 interpretation: options.interpretation)
        let image = try hosted { () throws(HostError) in try GuestImage.ensure(kernel: guestDevice.kernel) }
        let fed = FedOptions(layout: layout, interpretation: options.interpretation, image: image, cpus: options.cpus,
                             qemu: options.qemu, values: values, features: features)
        let result = try hosted { () throws(HostError) in try GuestFedRun.run(guestDevice, fed) }
        console.out(GuestRunReport(fed: result, device: device).render(options.format, style: style))
        if !result.agrees {
            throw .rejected("\(result.rows.filter { !$0.agrees }.count) values differ from the prediction")
        }
    }

    /// Runs host work, its failure reported as an error that stops the command.
    private static func hosted<T>(_ body: () throws(HostError) -> T) throws(CommandError) -> T {
        do {
            return try body()
        } catch {
            throw .rejected(error.description)
        }
    }

    /// What blk's options ask for, checked.
    private struct BlkChoices {
        var features: FeatureSet?
        var values: [(path: String, value: FieldValue)]
        var resizeTo: UInt64?
        var direct: Bool
    }

    private static func blkChoices(_ options: Options, device: Device, console: Console) throws(CommandError) -> BlkChoices {
        let interpretation = options.interpretation
        let features = try options.features.map { text throws(CommandError) in
            try LayoutInput.features(text, for: device, console: console)
        }
        let offered = features ?? FeatureSet(bits: device.allFeatures.map(\.bit))
        let values = try LayoutInput.assignments(options.values, for: device, offered: offered, interpretation: interpretation)
        var resize: UInt64?
        if let text = options.resizeTo {
            guard let sectors = UInt64(text) else {
                throw .usage("The value '\(text)' is invalid for '--resize-to <sectors>': give a number of 512-byte sectors.")
            }
            resize = sectors
        }
        let direct = options.direct
        if direct && (resize != nil || !values.isEmpty || features != nil || interpretation != .fixed) {
            throw .usage("--direct reads qemu-storage-daemon's own config: --set, --features, --resize-to and "
                         + "--interpretation need the interposer.")
        }
        return BlkChoices(features: features, values: values, resizeTo: resize, direct: direct)
    }
}
