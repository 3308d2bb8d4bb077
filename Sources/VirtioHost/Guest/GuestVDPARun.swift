import ConfigLayout
import Rendering
import Foundation
import VirtioModel

/// `cfgspace guest --bus vdpa`: Linux 6.1's own vDPA core with a vdpa_sim device, in a guest. The
/// device is added with `vdpa dev add` and the `--set` values, its config shown over netlink with no
/// driver bound, bound to virtio_vdpa so that virtio_net (or virtio_blk) probes it, and shown again;
/// ftrace records every call the kernel makes into vdpa_sim. Beside each step: what the models
/// predict (the vdpa_sim model on the vDPA core model, driven by the linux-current driver model or
/// the virtio_blk model), call by call and value by value.
public enum GuestVDPARun {
    public enum Kind: String, Sendable { case net, blk }

    public struct Options: Sendable {
        public var kind: Kind
        /// The net or blk layout.
        public var layout: Device
        /// net: mac and mtu for `vdpa dev add`, over the defaults.
        public var values: [(field: String, text: String)]
        /// Also run the replay's linux-current scenarios, as far as the real stack reaches them.
        public var replay: Bool
        public var image: GuestImage
        public var qemu: String?
        public var timeout: Duration

        public init(kind: Kind, layout: Device, values: [(field: String, text: String)] = [], replay: Bool = false,
                    image: GuestImage, qemu: String? = nil, timeout: Duration = .seconds(300)) {
            self.kind = kind
            self.layout = layout
            self.values = values
            self.replay = replay
            self.image = image
            self.qemu = qemu
            self.timeout = timeout
        }
    }

    public typealias Result = GuestSectionsResult

    /// One device the guest adds and binds, with its model session.
    struct Step {
        let device: VDPAGuest.Device
        let kind: Kind
        let session: VDPASimSession
    }

    /// The name of the device the run is about, and of the replay's.
    static func deviceName(_ kind: Kind) -> String { kind == .net ? "net0" : "blk0" }
    static let replayName = "replay3"

    public static func run(_ options: Options) throws(HostError) -> Result {
        let steps = try self.steps(options)
        let boot = try VDPAGuest.boot(VDPAGuest.Plan(devices: steps.map(\.device)), image: options.image, qemu: options.qemu,
                                      timeout: options.timeout)
        return result(options, steps: steps, boot: boot)
    }

    /// The devices a run adds, with their models.
    static func steps(_ options: Options) throws(HostError) -> [Step] {
        do {
            switch options.kind {
            case .blk:
                return [Step(device: VDPAGuest.Device(name: deviceName(.blk), arguments: ["vdpasim_blk"]), kind: .blk,
                             session: try VDPASimSession.blk(options.layout))]
            case .net:
                var steps = [try netStep(deviceName(.net), options.layout, options.values)]
                if options.replay { steps.append(try netStep(replayName, options.layout, GuestReplay.standInValues)) }
                return steps
            }
        } catch {
            throw HostError(.refused, error.description)
        }
    }

    private static func netStep(_ name: String, _ layout: Device, _ values: [(field: String, text: String)]) throws(ScenarioError) -> Step {
        let session = try VDPASimSession.net(layout, values: values)
        var arguments = ["vdpasim_net"]
        for (field, value) in session.values where VDPASimSession.addAttributes.contains(field) {
            arguments += [field, value.description]
        }
        return Step(device: VDPAGuest.Device(name: name, arguments: arguments), kind: .net, session: session)
    }

    static func result(_ options: Options, steps: [Step], boot: VDPAGuest.Boot) -> Result {
        let report = boot.report
        var sections: [GuestSection] = []
        for step in steps where step.device.name == deviceName(options.kind) { sections += self.sections(step, report) }
        if options.replay, let stand = steps.first(where: { $0.device.name == replayName }) {
            // The stand-in's bind, call by call; its other steps are the main device's.
            sections += self.sections(stand, report).filter { $0.title.contains("binds") }
            sections.append(GuestReplay.section(standIn: stand, report: report, layout: options.layout))
        }
        let driver = options.kind == .net ? "virtio_net" : "virtio_blk"
        return Result(title: "Linux \(report.value("kernel") ?? "kernel unknown"): \(driver) on vdpa_sim through virtio_vdpa",
                      facts: [("device", steps.first?.device.command ?? ""),
                              ("models", "\(options.kind == .net ? "vdpasim-net" : "vdpasim-blk") on the vDPA core (6.1), "
                               + (options.kind == .net ? "linux-current" : "Linux 6.1's virtio_blk")),
                              ("modules", report.value("taint") ?? "—"),
                              ("boot", String(format: "%.1f s under TCG", boot.seconds))],
                      sections: sections, report: report, bootSeconds: boot.seconds, processes: [boot.qemuProcess])
    }

    /// A device's story: added, shown, bound, what the driver made of it, shown again.
    static func sections(_ step: Step, _ report: GuestReport) -> [GuestSection] {
        let name = step.device.name
        let session = step.session
        if let error = report.value("\(name).add_error") {
            return [GuestSection("vdpa dev add", lines: [step.device.command],
                                 rows: [GuestRow(name: "added", predicted: "yes", guest: "no: \(error)", source: "vdpa dev add")])]
        }
        let before = session.configShow(name: name)
        var sections = [GuestSection("vdpa dev config show \(name), no driver bound",
                                     rows: VDPAGuest.showRows(model: before.lines, guest: report.values("\(name).show_before"))
                                        + VDPAGuest.callRows(model: before.calls, guest: VDPAGuest.calls(report, "\(name).trace_before")))]
        let bindTitle = "\(step.kind == .net ? "virtio_net" : "virtio_blk") binds \(name) through virtio_vdpa (ftrace on vdpa_sim)"
        switch step.kind {
        case .net:
            let binding = session.bind(net: DriverKind.reference(for: session.model.device))
            sections.append(GuestSection(bindTitle, rows: VDPAGuest.callRows(model: binding.calls,
                                                                           guest: VDPAGuest.calls(report, "\(name).trace_bind"))))
            sections.append(GuestSection("what virtio_net made of \(name)",
                                         rows: netRows(binding, report, name, device: session.model.device)))
        case .blk:
            let bound = session.bindBlk(cpus: 2)
            sections.append(GuestSection(bindTitle, rows: VDPAGuest.callRows(model: bound.calls,
                                                                           guest: VDPAGuest.calls(report, "\(name).trace_bind"))))
            var rows = GuestComparison.rows(predicted: bound.prediction, log: bound.prediction.view.log,
                                            guest: GuestComparison.view(report, prefix: "\(name).vda", log: "\(name).dmesg"),
                                            guestFeatures: report.value("\(name).features") ?? "", served: nil)
            rows.removeAll { $0.name == "features" }
            rows.insert(VDPAGuest.featureRow(bound.prediction.negotiated, guest: report.value("\(name).features"),
                                             device: session.model.device, source: "offered by vdpa_sim, kept by virtio_blk's table"),
                        at: 0)
            sections.append(GuestSection("what virtio_blk made of \(name)", rows: rows))
        }
        let after = session.configShow(name: name)
        sections.append(GuestSection("vdpa dev config show \(name), driver bound",
                                     rows: VDPAGuest.showRows(model: after.lines, guest: report.values("\(name).show_after"))
                                        + VDPAGuest.callRows(model: after.calls, guest: VDPAGuest.calls(report, "\(name).trace_after"))))
        return sections
    }

    static func netRows(_ binding: VDPABinding, _ report: GuestReport, _ name: String, device: Device) -> [GuestRow] {
        let mtuRead = binding.reads.last { $0.field == "mtu" }
        let mac = binding.view?["mac"]?.description
        return [
            GuestRow(name: "driver", predicted: binding.failure == nil ? "virtio_net" : "none",
                     guest: report.value("\(name).driver").flatMap { $0.isEmpty ? nil : $0 } ?? "none",
                     source: binding.failure.map { "the probe fails: \($0)" } ?? "virtnet_probe succeeds"),
            VDPAGuest.featureRow(binding.negotiated, guest: report.value("\(name).features"), device: device,
                                 source: "offered by vdpa_sim, kept by virtio_net's table"),
            GuestRow(name: "mtu", predicted: binding.view?["mtu"]?.description ?? "—", guest: report.value("\(name).eth.mtu") ?? "—",
                     source: mtuRead.map { "mtu read at \($0.offset): " + hexBytes($0.bytes) } ?? "mtu not read"),
            GuestRow(name: "address", predicted: mac ?? "random", guest: report.value("\(name).eth.address") ?? "—",
                     source: "mac, read a byte at a time"),
        ]
    }
}
