import ConfigLayout
import Rendering
import Foundation
import VirtioModel

/// `cfgspace guest --driver dpdk`: DPDK 22.11's testpmd in the vDPA guest, on two ports: QEMU's own
/// virtio-net over PCI, bound to uio_pci_generic, and vdpa_sim through vhost-vdpa, both made with
/// the same mac and mtu. testpmd shows each port, then tries MTUs on it. Beside each value: what the
/// `dpdk` driver model predicts, against the same QEMU device over qtest for the PCI port and on the
/// vdpa_sim model for the vDPA one, where ftrace holds the kernel's calls into vdpa_sim against the
/// model's.
public enum GuestDPDKRun {
    public struct Options: Sendable {
        public var layout: Device
        /// mac and mtu, for QEMU's device and vdpa_sim alike.
        public var values: [(field: String, text: String)]
        public var image: GuestImage
        public var qemu: String?
        public var timeout: Duration

        public init(layout: Device, values: [(field: String, text: String)] = [], image: GuestImage, qemu: String? = nil,
                    timeout: Duration = .seconds(300)) {
            self.layout = layout
            self.values = values
            self.image = image
            self.qemu = qemu
            self.timeout = timeout
        }
    }

    public typealias Result = GuestSectionsResult

    /// The models' side, made before the guest boots: the MTUs to try come from them.
    struct Prepared {
        let pciSpec: String
        let pci: (outcome: Outcome, port: DPDKPort, qemuProcess: Int32)
        let vdpa: (device: VDPAGuest.Device, session: VDPASimSession, binding: VDPABinding, port: DPDKPort)
        let mtus: [Int]
    }

    static let vdpaName = "dpdk0"

    public static func run(_ options: Options) throws(HostError) -> Result {
        let prepared = try prepare(options)
        let boot = try VDPAGuest.boot(plan(prepared), image: options.image, qemu: options.qemu, timeout: options.timeout)
        return result(prepared, boot: boot, image: options.image)
    }

    static func plan(_ prepared: Prepared) -> VDPAGuest.Plan {
        VDPAGuest.Plan(pciNet: prepared.pciSpec, dpdkDevice: prepared.vdpa.device, mtus: prepared.mtus)
    }

    static func prepare(_ options: Options) throws(HostError) -> Prepared {
        let session: VDPASimSession
        do {
            session = try VDPASimSession.net(options.layout, values: options.values)
        } catch {
            throw HostError(.refused, error.description)
        }
        let value = { (field: String) in session.values.last { $0.field == field }?.value.description ?? "" }
        let pciSpec = "virtio-net-pci,mq=off,host_mtu=\(value("mtu")),mac=\(value("mac"))"
        let probe = try QEMUProbe.run(.init(device: try QEMUDeviceSpec.parse(pciSpec).get(), layout: ("net", options.layout), drivers: ["dpdk"], qemu: options.qemu))
        guard let outcome = probe.driverRuns.first?.real, let dpdk = DriverKind.named("dpdk", for: options.layout) else {
            throw HostError(.refused, "the dpdk model did not run on \(pciSpec)")
        }
        let pciPort = DPDKPort(device: options.layout, offered: outcome.offered, negotiated: outcome.negotiated,
                               view: outcome.probeFailure == nil ? outcome.view : nil)
        let binding = session.bind(net: dpdk)
        let vdpaPort = DPDKPort(device: options.layout, offered: binding.offered, negotiated: binding.negotiated, view: binding.view)
        let mtu = Int(value("mtu")) ?? DPDKPort.defaultMTU
        let mtus = Set([mtu, mtu + 1, pciPort.maxMTU, pciPort.maxMTU + 1, vdpaPort.maxMTU, vdpaPort.maxMTU + 1])
            .filter { (DPDKPort.minimumMTU...Int(UInt16.max)).contains($0) }.sorted()
        var arguments = ["vdpasim_net"]
        for field in VDPASimSession.addAttributes { arguments += [field, value(field)] }
        return Prepared(pciSpec: pciSpec, pci: (outcome, pciPort, probe.qemuProcess),
                        vdpa: (VDPAGuest.Device(name: vdpaName, arguments: arguments), session, binding, vdpaPort), mtus: mtus)
    }

    static func result(_ prepared: Prepared, boot: VDPAGuest.Boot, image: GuestImage) -> Result {
        let report = boot.report
        let key = "dpdk.\(vdpaName)"
        let vdpaLog = TestpmdLog(report.values("\(key).out"))
        var sections = [GuestSection("testpmd on QEMU's virtio-net-pci, through uio_pci_generic",
                                     lines: ["-device " + prepared.pciSpec, "model: dpdk on the same device over qtest"],
                                     rows: portRows(prepared.pci.port, TestpmdLog(report.values("dpdk.pci.out")),
                                                    status: report.value("dpdk.pci.status"), mtus: prepared.mtus))]
        var vdpaRows = portRows(prepared.vdpa.port, vdpaLog, status: report.value("\(key).status"), mtus: prepared.mtus)
        let written = DPDKPort.virtioUserWrites(prepared.vdpa.binding.negotiated, device: prepared.vdpa.session.model.device)
        vdpaRows.insert(GuestRow(name: "virtio-user writes", predicted: hex(written),
                                 guest: vdpaLog.virtioUserFeatures.map(hex) ?? "—",
                                 source: "virtio_user_dev_set_features: without MAC, CTRL_VQ and STATUS"), at: 3)
        sections.append(GuestSection("testpmd on vdpa_sim, through vhost-vdpa",
                                     lines: [prepared.vdpa.device.command, "model: dpdk on virtio-user over the vdpasim-net model"],
                                     rows: vdpaRows))
        sections.append(callSection(prepared.vdpa.binding.calls, VDPAGuest.calls(report, "\(key).trace")))
        // The image's stamp names the dpdk-dev it was built from: "dpdk-dev 22.11.11-0+deb12u1".
        let words = image.stamp.split(separator: " ")
        let version = words.firstIndex(of: "dpdk-dev").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil }
            .map { String($0.prefix { $0 != "-" }) } ?? "22.11"
        let title = "DPDK \(version) testpmd in Linux \(report.value("kernel") ?? "kernel unknown")"
        return Result(title: title,
                      facts: [("ports", "QEMU's virtio-net-pci (uio_pci_generic) and vdpa_sim (vhost-vdpa)"),
                              ("testpmd", "-l 0-1 -n 1 ... -- -i --total-num-mbufs=2048 --mbuf-size=10240 --disable-link-check"),
                              ("MTUs tried", prepared.mtus.map(String.init).joined(separator: ", ")),
                              ("boot", String(format: "%.1f s under TCG", boot.seconds))],
                      sections: sections, report: report, bootSeconds: boot.seconds,
                      processes: [boot.qemuProcess, prepared.pci.qemuProcess])
    }

    /// What testpmd showed of a port beside the port the model predicts.
    static func portRows(_ port: DPDKPort, _ log: TestpmdLog, status: String?, mtus: [Int]) -> [GuestRow] {
        var rows = [
            GuestRow(name: "asked for", predicted: hex(port.requested), guest: log.requested.map(hex) ?? "—",
                     source: "guest_features before negotiate: VIRTIO_PMD_DEFAULT_GUEST_FEATURES"),
            GuestRow(name: "offered", predicted: hex(port.offered), guest: log.offered.map(hex) ?? "—",
                     source: "host_features before negotiate"),
            GuestRow(name: "negotiated", predicted: hex(port.negotiated), guest: log.negotiated.map(hex) ?? "—",
                     source: "features after negotiate"),
            GuestRow(name: "MAC address", predicted: port.mac.map { hexBytes($0, separator: ":") } ?? "random",
                     guest: log.macs.first ?? "—", source: "show port info"),
            GuestRow(name: "link", predicted: port.linkUp ? "up" : "down", guest: log.links.first ?? "—", source: "show port info"),
            GuestRow(name: "MTU", predicted: String(port.configuredMTU), guest: log.mtus.first.map(String.init) ?? "—",
                     source: "show port info: rte_eth_dev_configure takes RTE_ETHER_MTU"),
        ]
        var last = port.configuredMTU
        for mtu in mtus {
            let verdict = port.accepts(mtu)
            if verdict.accepted { last = mtu }
            let attempt = log.attempts.first { $0.mtu == mtu }
            rows.append(GuestRow(name: "port config mtu 0 \(mtu)", predicted: verdict.accepted ? "taken" : "refused",
                                 guest: attempt.map { $0.accepted ? "taken" : "refused" } ?? "—",
                                 source: (attempt?.reason ?? verdict.reason).replacingOccurrences(of: " for port_id 0", with: "")))
        }
        rows.append(GuestRow(name: "MTU at the end", predicted: String(last), guest: log.mtus.last.map(String.init) ?? "—",
                             source: "show port info, after the MTUs (max MTU \(port.maxMTU))"))
        rows.append(GuestRow(name: "testpmd", predicted: "exit 0", guest: status.map { "exit \($0)" } ?? "—",
                             source: log.failure ?? "quit"))
        return rows
    }

    /// The calls into vdpa_sim while the port came up, up to DRIVER_OK; what followed (the port
    /// starting, stopping and closing) is shown, not modelled.
    static func callSection(_ model: [VDPAParentCall], _ guest: [VDPATraceLog.Call]) -> GuestSection {
        let upTo = guest.firstIndex { if case .setStatus(let status) = $0.call.operation { status & 4 != 0 } else { false } }
        let probed = upTo.map { Array(guest[...$0]) } ?? guest
        var lines: [String] = []
        if let core = guest.first(where: { $0.call.caller == .core }) {
            lines.append("virtio-user reads the MAC before any feature is set: \(core.call.context) sets features 0 first, "
                         + "and vdpa_sim answers \(core.call.text.components(separatedBy: " = ").last ?? "?")")
        }
        let later = guest.dropFirst(probed.count).map { VDPAGuest.label($0.call) }
        if !later.isEmpty {
            lines.append("after DRIVER_OK, not modelled (port start restores the MAC, which virtio-user reads back; stop and "
                         + "close reset): " + later.joined(separator: ", "))
        }
        return GuestSection("vdpa_sim's calls while testpmd brings the vDPA port up (ftrace)", lines: lines,
                            rows: VDPAGuest.callRows(model: model, guest: probed))
    }
}
