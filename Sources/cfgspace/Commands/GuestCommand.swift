import Arguments
import ConfigEmit
import Rendering
import ConfigLayout
import VirtioHost
import VirtioModel

/// `cfgspace guest [--device blk|net] [...]`: boot a real Linux guest and hold what its own driver
/// made of the device against cfgspace's model of that driver.
enum GuestCommand: Command {
    static let defaultNetDevice = "virtio-net-pci,mq=off,host_mtu=9000"

    static let spec = CommandSpec(
        name: "guest",
        abstract: "Boot a real Linux guest and check what its own driver made of the device.",
        discussion: "blk: qemu-storage-daemon exports a 1 GiB file; cfgspace's interposer (serve --upstream) sits in "
            + "front of it and serves the configuration under --interpretation, with the daemon's values unless --set "
            + "gives others; QEMU's vhost-user-blk-pci presents it to a Linux 6.1 guest (Debian's cloud kernel under "
            + "TCG), whose virtio_blk reports /sys/block/vda, the negotiated features, its kernel log lines and the "
            + "first block's checksum. Beside each value: what cfgspace's model of Linux 6.1's virtio_blk predicts "
            + "from the bytes cfgspace predicts QEMU presents, and the field it came from.\n"
            + "net: QEMU's own virtio-net (--qemu-device, by default mq=off,host_mtu=9000) read by the guest's "
            + "virtio_net, beside the linux-current model run against the same device over qtest.\n"
            + "--bus vdpa: Linux's own vDPA core with vdpa_sim (built out of tree from linux-source-6.1), the device "
            + "added with vdpa dev add and --set's mac and mtu, its config shown before and after virtio_net (or "
            + "virtio_blk) binds through virtio_vdpa, and ftrace's record of every call into vdpa_sim, each beside "
            + "the models' prediction.\n"
            + "--driver dpdk: DPDK 22.11's testpmd on QEMU's virtio-net over PCI (uio_pci_generic) and on vdpa_sim "
            + "through vhost-vdpa, beside the dpdk driver model.\n"
            + "The guest image is built on first use from Debian's packages (apt-get download; about 28 MB, and about "
            + "150 MB more for the vDPA guest, which also needs make, gcc-12, iproute2 and dpdk-dev installed) into "
            + "CFGSPACE_GUEST_CACHE, or ~/.cache/cfgspace/guest. Exit status 1 on any difference.",
        options: [
            SharedOptions.include,
            .init(name: "device", valueName: "device", help: "The device the guest reads.", choices: ["blk", "net"],
                  defaultValue: "blk"),
            .init(name: "layout", valueName: "file", help: "The device's layout; by default the built-in one."),
            .init(name: "interpretation", valueName: "interpretation", help: "blk: how the interposer lays the bytes out.",
                  choices: Interpretation.allCases.map(\.rawValue), defaultValue: Interpretation.fixed.rawValue),
            .init(name: "features", valueName: "features",
                  help: "blk: the device features the guest may see, of the daemon's (transport bits pass through)."),
            .init(name: "set", valueName: "field=value", help: "blk: a value over the daemon's, such as blk_size=4096; "
                      + "--bus vdpa --device net and --driver dpdk: mac or mtu, such as mtu=9000.",
                  isRepeatable: true),
            .init(name: "cpus", valueName: "count", help: "The guest's CPUs (and blk's queues).", defaultValue: "2"),
            .init(name: "resize-to", valueName: "sectors",
                  help: "blk: once the guest has reported, set capacity to this on the interposer and check the guest sees it."),
            .init(name: "direct", help: "blk: no interposer; QEMU reads qemu-storage-daemon's config itself."),
            .init(name: "qemu-device", valueName: "spec", help: "net: the -device value.", defaultValue: defaultNetDevice),
            .init(name: "qemu", valueName: "path", help: "The QEMU program; by default qemu-system-x86_64 on PATH."),
        ] + GuestVDPAMode.options + [SharedOptions.format()])

    static func run(_ arguments: ParsedArguments, console: Console) throws(CommandError) {
        guard let format = arguments.choice("format", as: ReportFormat.self),
              let interpretation = arguments.choice("interpretation", as: Interpretation.self) else { throw .failed }
        guard let cpus = arguments.value("cpus").flatMap(Int.init), (1...8).contains(cpus) else {
            throw .usage("The value '\(arguments.value("cpus") ?? "")' is invalid for '--cpus <count>': give 1 to 8.")
        }
        let mode = try GuestVDPAMode.mode(arguments)
        let isNet: Bool
        if case .dpdk = mode { isNet = true } else { isNet = arguments.value("device") == "net" }
        let source = arguments.value("layout") ?? (isNet ? "net" : "blk")
        let device = try LayoutInput.device(try LayoutInput.device(at: source, named: nil, arguments: arguments, console: console), asOf: SpecVersion.newest)
        guard device.id == (isNet ? 1 : 2) else {
            throw .usage("The layout '\(source)' describes \(device.name) (ID \(device.id)), not \(isNet ? "net (ID 1)" : "blk (ID 2)").")
        }
        if let mode { return try GuestVDPAMode.run(mode, arguments, layout: device, format: format, console: console) }
        // Every argument is checked before the image is built or anything starts.
        let blkOnly = ["features", "set", "resize-to", "interpretation"].filter { arguments.values($0).isEmpty == false }
            + (arguments.flag("direct") ? ["direct"] : [])
        if isNet, let option = blkOnly.first(where: { $0 != "interpretation" || interpretation != .fixed }) {
            throw .usage("--\(option) is for --device blk; the net guest reads QEMU's own virtio-net.")
        }
        if !isNet && arguments.values("qemu-device").isEmpty == false && arguments.value("qemu-device") != defaultNetDevice {
            throw .usage("--qemu-device is for --device net; the blk guest's device is vhost-user-blk-pci.")
        }
        let choices = isNet ? nil : try blkChoices(arguments, device: device, interpretation: interpretation, console: console)
        let image: GuestImage
        do {
            image = try GuestImage.ensure()
        } catch {
            console.error("no guest image: \(error.description)")
            throw .failed
        }
        let style = TextStyle(colors: console.stdoutColors)
        do {
            guard let choices else {
                let result = try GuestNetRun.run(.init(device: arguments.value("qemu-device") ?? "", layout: (source, device),
                                                       image: image, cpus: cpus, qemu: arguments.value("qemu")))
                console.out(GuestRunReport(net: result).render(format, style: style))
                if !result.agrees { throw CommandError.failed }
                return
            }
            let options = GuestBlkRun.Options(layout: (source, device), image: image, interpretation: interpretation,
                                              features: choices.features, values: choices.values, cpus: cpus,
                                              resizeTo: choices.resizeTo, throughInterposer: !choices.direct,
                                              qemu: arguments.value("qemu"))
            let result = try GuestBlkRun.run(options)
            console.out(GuestRunReport(blk: result).render(format, style: style))
            if !result.agrees { throw CommandError.failed }
        } catch let error as HostError {
            console.error(error.description)
            throw .failed
        } catch let error as CommandError {
            throw error
        } catch {
            throw .failed
        }
    }

    /// What blk's options ask for, checked.
    private struct BlkChoices {
        var features: FeatureSet?
        var values: [(path: String, value: FieldValue)]
        var resizeTo: UInt64?
        var direct: Bool
    }

    private static func blkChoices(_ arguments: ParsedArguments, device: Device, interpretation: Interpretation,
                                   console: Console) throws(CommandError) -> BlkChoices {
        let features = try arguments.value("features").map { text throws(CommandError) in
            try LayoutInput.features(text, for: device, console: console)
        }
        let offered = features ?? FeatureSet(bits: device.allFeatures.map(\.bit))
        let values = try LayoutInput.assignments(arguments.values("set"), for: device, offered: offered, interpretation: interpretation)
        var resize: UInt64?
        if let text = arguments.value("resize-to") {
            guard let sectors = UInt64(text) else {
                throw .usage("The value '\(text)' is invalid for '--resize-to <sectors>': give a number of 512-byte sectors.")
            }
            resize = sectors
        }
        let direct = arguments.flag("direct")
        if direct && (resize != nil || !values.isEmpty || features != nil || interpretation != .fixed) {
            throw .usage("--direct reads qemu-storage-daemon's own config: --set, --features, --resize-to and "
                         + "--interpretation need the interposer.")
        }
        return BlkChoices(features: features, values: values, resizeTo: resize, direct: direct)
    }
}
