import Arguments
import ConfigLayout
import Rendering
import VirtioHost
import VirtioModel

/// `guest --bus vdpa` and `guest --driver dpdk`: the vDPA guest, with Linux's own vDPA core and
/// vdpa_sim, and DPDK's testpmd. Every option is checked before the image is built or anything starts.
enum GuestVDPAMode {
    enum Mode {
        case vdpa(GuestVDPARun.Kind)
        case dpdk
    }

    static let options: [CommandSpec.Option] = [
        .init(name: "bus", valueName: "bus",
              help: "Where the device sits: direct (QEMU presents it over PCI) or vdpa (vdpa_sim on the guest's own "
                  + "vDPA core, bound through virtio_vdpa).", choices: ["direct", "vdpa"], defaultValue: "direct"),
        .init(name: "driver", valueName: "driver",
              help: "Whose driver reads it: linux (the guest kernel's) or dpdk (DPDK 22.11's testpmd, on QEMU's "
                  + "virtio-net over PCI and on vdpa_sim through vhost-vdpa).", choices: ["linux", "dpdk"],
              defaultValue: "linux"),
        .init(name: "replay", help: "vdpa: also run the replay's linux-current scenarios as far as the real stack goes."),
    ]

    /// The mode the arguments ask for; nil for the direct bus with Linux's driver. Part of decoding
    /// guest's options (`GuestCommand.Options`), and called from there only.
    static func mode(_ arguments: ParsedArguments) throws(UsageError) -> Mode? {
        let dpdk = arguments.value("driver") == "dpdk"
        let vdpa = arguments.value("bus") == "vdpa"
        let kind: GuestVDPARun.Kind = arguments.value("device") == "net" ? .net : .blk
        guard dpdk || vdpa else {
            if arguments.flag("replay") { throw arguments.misuse("--replay is for --bus vdpa --device net.") }
            return nil
        }
        let what = dpdk ? "--driver dpdk" : "--bus vdpa"
        let given = ["interpretation", "resize-to", "qemu-device", "cpus", "features", "direct"].filter(arguments.isGiven)
        if let option = given.first {
            let why = option == "features" ? "iproute2 6.1's vdpa cannot provision a vDPA device's features"
                : option == "cpus" ? "the vDPA guest has two CPUs, as testpmd needs two lcores"
                : "it is for the direct bus"
            throw arguments.misuse("--\(option) does not go with \(what): \(why).")
        }
        if dpdk {
            guard arguments.values("device").isEmpty || kind == .net else {
                throw arguments.misuse("--driver dpdk drives a net device: leave out --device or say --device net.")
            }
            if arguments.flag("replay") { throw arguments.misuse("--replay is for --bus vdpa --device net.") }
            return .dpdk
        }
        if arguments.flag("replay") && kind != .net { throw arguments.misuse("--replay is for --bus vdpa --device net.") }
        if kind == .blk, let set = arguments.values("set").first {
            throw arguments.misuse("--set \(set): vdpasim_blk takes no attributes at vdpa dev add (it has no config_attr_mask).")
        }
        return .vdpa(kind)
    }

    /// `--set` values, checked against what `vdpa dev add` takes for vdpasim_net.
    static func values(_ items: [String], layout: Device) throws(CommandError) -> [(field: String, text: String)] {
        var values: [(field: String, text: String)] = []
        for item in items {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw .usage("The value '\(item)' is invalid for '--set <field=value>': give a field and a value, such as mtu=9000.")
            }
            values.append((String(item[..<equals]), String(item[item.index(after: equals)...])))
        }
        do {
            _ = try VDPASimSession.net(layout, values: values)
        } catch {
            throw .usage("--set: \(error.description) (vdpa dev add takes "
                         + VDPASimSession.addAttributes.joined(separator: " and ") + " for vdpasim_net).")
        }
        return values
    }

    static func run(_ mode: Mode, _ options: GuestCommand.Options, layout: Device, console: Console) throws(CommandError) {
        var values: [(field: String, text: String)] = []
        if case .vdpa(.blk) = mode {} else { values = try self.values(options.values, layout: layout) }
        let image: GuestImage
        do {
            image = try GuestImage.ensure(flavour: .vdpa, timeout: .seconds(900))
        } catch {
            throw .rejected("no vDPA guest image: \(error.description)")
        }
        let style = TextStyle(colors: console.stdoutColors)
        let report: GuestSectionsReport
        do {
            switch mode {
            case .vdpa(let kind):
                report = GuestSectionsReport(try GuestVDPARun.run(.init(
                    kind: kind, layout: layout, values: values, replay: options.replay, image: image,
                    qemu: options.qemu)))
            case .dpdk:
                report = GuestSectionsReport(try GuestDPDKRun.run(.init(layout: layout, values: values, image: image,
                                                                              qemu: options.qemu)))
            }
        } catch {
            throw .rejected(error.description)
        }
        console.out(report.render(options.format, style: style))
        if !report.agrees { throw .rejected("the real stack departs from the models' prediction; the report above says where") }
    }
}
