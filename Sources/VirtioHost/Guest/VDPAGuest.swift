import ConfigLayout
import Foundation
import VirtioModel

/// One boot of the vDPA guest (Guest/build-vdpa-image, Guest/guest-vdpa-init) doing what a plan
/// says: vDPA devices added and bound to virtio_vdpa in turn, then testpmd on QEMU's virtio-net and
/// on a vDPA device through vhost-vdpa. `guest --bus vdpa` and `guest --driver dpdk` each make a
/// plan; the tests boot once for both.
public enum VDPAGuest {
    /// A vDPA device for `vdpa dev add name NAME mgmtdev ARGS`.
    struct Device: Sendable {
        let name: String
        let arguments: [String]

        var command: String { "vdpa dev add name \(name) mgmtdev " + arguments.joined(separator: " ") }
    }

    struct Plan: Sendable {
        /// Added and bound to virtio_vdpa, in order.
        var devices: [Device] = []
        /// QEMU's `-device` for testpmd over PCI (without its netdev).
        var pciNet: String?
        /// Added and bound to vhost_vdpa for testpmd.
        var dpdkDevice: Device?
        /// The MTUs testpmd tries on each port.
        var mtus: [Int] = []

        var kernelArguments: [String] {
            var out: [String] = []
            let added = devices + (dpdkDevice.map { [$0] } ?? [])
            if !devices.isEmpty { out.append("cfgspace.vdpa=" + devices.map(\.name).joined(separator: ",")) }
            for device in added { out.append("cfgspace.add.\(device.name)=" + device.arguments.joined(separator: "/")) }
            let dpdk = (pciNet == nil ? [] : ["pci"]) + (dpdkDevice.map { [$0.name] } ?? [])
            if !dpdk.isEmpty {
                out.append("cfgspace.dpdk=" + dpdk.joined(separator: ","))
                out.append("cfgspace.mtus=" + mtus.map(String.init).joined(separator: ","))
            }
            return out
        }

        var qemuArguments: [String] {
            guard let pciNet else { return [] }
            return ["-netdev", "user,id=cfgspace-net", "-device", pciNet + ",netdev=cfgspace-net"]
        }
    }

    /// What a boot gave: the report, QEMU's pid (ended and reaped by now) and the boot's wall time.
    struct Boot: Sendable {
        let report: GuestReport
        let qemuProcess: Int32
        let seconds: Double
    }

    /// Boots the guest once with `plan`: 1 GiB (testpmd's hugepages), two CPUs (testpmd's two
    /// lcores) of QEMU's `max` model (DPDK's build needs SSE4.2).
    static func boot(_ plan: Plan, image: GuestImage, qemu: String?, timeout: Duration) throws(HostError) -> Boot {
        let start = Date()
        let machine = try GuestMachine(.init(image: image, cpus: 2, memoryMiB: 1024, kernelArguments: plan.kernelArguments,
                                             arguments: plan.qemuArguments, cpu: "max", executable: qemu, timeout: timeout))
        let report = try machine.finish()
        guard report.value("begin") != nil else {
            throw HostError(.refused, "the guest never reported; QEMU said: "
                            + machine.process.finalErrorText().trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return Boot(report: report, qemuProcess: machine.process.pid, seconds: Date().timeIntervalSince(start))
    }

    /// `guest --bus vdpa` (for each of `vdpa`) and `guest --driver dpdk` in one boot, as the tests run them.
    public static func run(vdpa: [GuestVDPARun.Options],
                           dpdk: GuestDPDKRun.Options) throws(HostError) -> (vdpa: [GuestVDPARun.Result], dpdk: GuestDPDKRun.Result) {
        var steps: [[GuestVDPARun.Step]] = []
        for options in vdpa { steps.append(try GuestVDPARun.steps(options)) }
        let prepared = try GuestDPDKRun.prepare(dpdk)
        var plan = GuestDPDKRun.plan(prepared)
        plan.devices = steps.flatMap { $0.map(\.device) }
        let boot = try boot(plan, image: dpdk.image, qemu: dpdk.qemu, timeout: dpdk.timeout)
        return (zip(vdpa, steps).map { GuestVDPARun.result($0, steps: $1, boot: boot) },
                GuestDPDKRun.result(prepared, boot: boot, image: dpdk.image))
    }

    /// The guest's trace lines under `key`, as calls.
    static func calls(_ report: GuestReport, _ key: String) -> [VDPATraceLog.Call] {
        VDPATraceLog.calls(report.values(key))
    }

    /// The model's and the guest's calls side by side, one row each, in order. A call shows the
    /// kind of caller in brackets; the guest's source says which kernel function it was.
    static func callRows(model: [VDPAParentCall], guest: [VDPATraceLog.Call]) -> [GuestRow] {
        (0..<max(model.count, guest.count)).map { index in
            let predicted = index < model.count ? label(model[index]) : "—"
            let real = index < guest.count ? label(guest[index].call) : "—"
            var source: [String] = []
            if index < guest.count { source.append("\(guest[index].call.context) (\(guest[index].task))") }
            if index < model.count, !model[index].context.isEmpty,
               index >= guest.count || model[index].context != guest[index].call.context {
                source.append("model: \(model[index].context)")
            }
            return GuestRow(name: String(index + 1), predicted: predicted, guest: real, source: source.joined(separator: "; "))
        }
    }

    static func label(_ call: VDPAParentCall) -> String { "\(call.text) [\(call.caller.rawValue)]" }

    /// A features row by name: the model's set beside the guest's /sys bit string.
    static func featureRow(_ predicted: FeatureSet, guest: String?, device: ConfigLayout.Device, source: String) -> GuestRow {
        GuestRow(name: "features", predicted: device.list(predicted),
                 guest: guest.map { GuestRunReport.featureNames($0, device: device) } ?? "—", source: source)
    }

    /// `vdpa dev config show`'s lines, the model's beside the guest's.
    static func showRows(model: [String], guest: [String]) -> [GuestRow] {
        let trimmed = { (line: String) in line.trimmingCharacters(in: .whitespacesAndNewlines) }
        return (0..<max(model.count, guest.count)).map { index in
            GuestRow(name: "line \(index + 1)", predicted: index < model.count ? trimmed(model[index]) : "—",
                     guest: index < guest.count ? trimmed(guest[index]) : "—",
                     source: "vdpa_dev_config_fill")
        }
    }
}

/// A part of a guest run's report: what the real stack did beside what the models predicted, row by
/// row, with lines that set the scene.
public struct GuestSection: Sendable {
    public let title: String
    public var lines: [String]
    public var rows: [GuestRow]

    public init(_ title: String, lines: [String] = [], rows: [GuestRow] = []) {
        self.title = title
        self.lines = lines
        self.rows = rows
    }

    public var agrees: Bool { rows.allSatisfy(\.agrees) }
}
