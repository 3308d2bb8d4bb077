import ConfigLayout
import Rendering
import Foundation
import VirtioModel

/// A QEMU device the guest's own driver reads as QEMU presents it. Before the boot, cfgspace's model
/// of the same driver probes the same device over qtest (`probe qemu --driver`), with the same
/// back-end: what it shows is the prediction, value by value, with the offset and bytes each came from.
/// The second and later devices of a type in one boot report as NAME2, NAME3, ... in bus order.
final class OwnDeviceParticipant: GuestParticipant {
    let device: GuestDevice
    /// The `-device` value, as given, and as parsed once.
    let spec: String
    private let parsed: QEMUDeviceSpec
    let probe: QEMUProbeResult
    /// The driver model's run against the real device.
    let predicted: Outcome
    let label: String
    private let id: String
    private let scratch: TemporaryFolder
    private let backend: QEMUBackend
    /// The back-end process the guest's QEMU talks to, started after the probe's has gone.
    private var daemon: (any BackendDaemon)?
    /// Every back-end process started for the device (the probe's, then the guest's).
    private(set) var backendProcesses: [Int32] = []
    private let cpus: Int
    /// The model's view after the run-time change, once it is made.
    private var changed: (command: String, prediction: DriverPrediction)?

    var reporter: String { device.name }

    /// The device's `instance`-th of its type in the boot, from 1.
    init(_ device: GuestDevice, spec: String? = nil, layout: (path: String, device: Device)?, cpus: Int,
         qemu: String?, instance: Int = 1) throws(HostError) {
        guard case .qemu(let defaultDevice, let makeBackend) = device.presentation else {
            throw HostError(.refused, "\(device.name) is fed by cfgspace, not made by QEMU")
        }
        self.device = device
        self.spec = spec ?? defaultDevice
        label = instance == 1 ? device.name : "\(device.name)\(instance)"
        parsed = try QEMUDeviceSpec.parse(self.spec).get()
        id = parsed.value("id") ?? "cfgspace-\(label)"
        self.cpus = cpus
        scratch = try TemporaryFolder(prefix: "cfgspace-guest-\(label)")
        backend = makeBackend(scratch.path, id)
        do throws(HostError) {
            let probed = try Self.probe(parsed, device: device, backend: backend, layout: layout, cpus: cpus, qemu: qemu)
            probe = probed.result
            backendProcesses += probed.daemon.map { [$0] } ?? []
            guard let run = probe.driverRuns.first else {
                throw HostError(.refused, "the \(device.driver) model did not run against \(self.spec)")
            }
            predicted = run.real
            daemon = try backend.daemon?()
            backendProcesses += daemon.map { [$0.pid] } ?? []
        } catch {
            scratch.remove()
            throw error
        }
    }

    /// The driver model's run against the device over qtest, with its back-end (and its own back-end
    /// process, stopped before the guest's starts: both listen on one socket).
    private static func probe(_ spec: QEMUDeviceSpec, device: GuestDevice, backend: QEMUBackend, layout: (path: String, device: Device)?,
                              cpus: Int, qemu: String?) throws(HostError) -> (result: QEMUProbeResult, daemon: Int32?) {
        let daemon = try backend.daemon?()
        defer { daemon?.stop() }
        // The probe's machine has 16 MiB of RAM, and the same room for memory devices as the guest's;
        // the same number of vCPUs as the guest: QEMU sizes some defaults by them (virtio-scsi's num_queues).
        let memory = device.deviceMemoryMiB.map { ["-m", "16M,maxmem=\(16 + $0)M"] } ?? []
        // The backend's properties the spec does not set itself (`adding` keeps the spec's own).
        let withBackend = backend.properties.reduce(spec) { spec, property in
            let parts = property.split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 ? spec.adding(parts[0], parts[1]) : spec
        }
        let result = try QEMUProbe.run(.init(device: withBackend,
                                             layout: layout, drivers: [device.driver], cpus: cpus, qemu: qemu,
                                             qemuArguments: backend.arguments + memory + ["-smp", String(cpus)]))
        return (result, daemon?.pid)
    }

    /// The backend's properties the spec does not set itself.
    private static func unset(_ properties: [String], in spec: QEMUDeviceSpec) -> [String] {
        properties.filter { property in
            guard let key = property.split(separator: "=", maxSplits: 1).first else { return true }
            return spec.value(String(key)) == nil
        }
    }

    /// The device, then its backend's arguments: QEMU makes -object, -blockdev, -netdev and -chardev
    /// backends before any -device, so they may follow, and a -device on the device's own bus (a disk
    /// on a SCSI controller) must.
    var qemuArguments: [String] {
        let properties = parsed.value("id") != nil ? [] : ["id=\(id)"]
        return ["-device", ([spec] + properties + Self.unset(backend.properties, in: parsed)).joined(separator: ",")]
            + backend.arguments
    }

    var needsSharedMemory: Bool { backend.sharedMemory }

    /// Only the first device of a type changes at run time: its reporter is the one that waits.
    private var change: RuntimeChange? { label == device.name && predicted.probeFailure == nil ? device.change : nil }

    var needsQMP: Bool { change != nil }

    var kernelArguments: [String] {
        var words = device.kernelArguments + (change != nil ? ["cfgspace.\(device.name).change=1"] : [])
        guard predicted.probeFailure == nil, let arguments = device.reporterArguments else { return words }
        words += arguments(label, predicted)
        return words
    }

    /// The run-time change: the model's view after the same change to the config the probe read, then,
    /// once the guest says it is waiting, the QMP command. A guest that never waits shows nothing after
    /// it, which the rows then hold against the prediction.
    func whileRunning(_ machine: GuestMachine) throws(HostError) {
        guard let change, let driver = DriverKind.named(device.driver, for: probe.device) else { return }
        let (name, arguments) = change.command(machine.memoryMiB, id, predicted.view)
        let presented = Array(probe.bytes.prefix(predicted.configSize))
        let layout = Layout(device: probe.device, features: probe.offered, interpretation: .fixed)
        var bytes = presented
        for (field, value) in change.fields(machine.memoryMiB, predicted.view) {
            guard let placed = layout.field(field), let offset = placed.offset, offset + placed.size <= bytes.count else { continue }
            for index in 0..<placed.size { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        }
        // The command as a user would type it, without the device's QOM path.
        let command = name + arguments.sorted { $0.key < $1.key }.filter { $0.key != "path" }.map { " \($0.key)=\($0.value)" }.joined()
        changed = (command, driver.predict(device: probe.device, offered: probe.offered, presented: presented, changed: bytes,
                                           cpus: cpus, label: "QEMU \(spec)"))
        guard try machine.waitFor("\(device.name).waiting") != nil else { return }
        try machine.execute(name, arguments.mapValues { $0 as Any })
    }

    /// The key the guest reports a value under: the device's own for the first of its type, else
    /// under the label.
    private func key(_ entry: String) -> String { label == device.name ? device.key(entry) : "\(label).\(entry)" }

    func rows(_ report: GuestReport) -> [GuestRow] {
        var rows = [GuestRow(device: label, name: "features", predicted: DriverPrediction.featureBits(predicted.negotiated),
                             guest: report.value(key("features")) ?? "—",
                             source: "offered by QEMU, kept by the driver's table and the transport")]
        rows.append(GuestRow(device: label, name: "probe", predicted: predicted.probeFailure.map { "failed: \($0)" } ?? "ok",
                             guest: report.value(key("probe")) ?? "—", source: "the driver's probe"))
        for entry in predicted.view.entries where device.compared?.contains(entry.name) ?? true {
            rows.append(GuestRow(device: label, name: entry.name, predicted: entry.value.description,
                                 guest: report.value(key(entry.name)) ?? "—", source: source(of: entry)))
        }
        if device.comparesLog { rows += logRows(predicted.view.log, guest: report.values(key("dmesg")), name: "kernel log") }
        if let (command, prediction) = changed {
            // The first row names the command; the rest follow it.
            for entry in prediction.view.entries where device.compared?.contains(entry.name) ?? true {
                let first = !rows.contains { $0.name.hasSuffix(", changed") }
                rows.append(GuestRow(device: label, name: "\(entry.name), changed", predicted: entry.value.description,
                                     guest: report.value("\(device.name).changed.\(entry.name)") ?? "—",
                                     source: (first ? "after QMP \(command); " : "") + source(of: entry, in: prediction.reads)))
            }
            if device.comparesLog {
                // The lines the driver logged after the change, beyond those of its probe.
                rows += logRows(Array(prediction.view.log.dropFirst(predicted.view.log.count)),
                                guest: report.values("\(device.name).changed.dmesg"), name: "kernel log, changed")
            }
        }
        return rows
    }

    /// The driver's log lines beside the guest's, line by line.
    private func logRows(_ log: [String], guest lines: [String], name: String) -> [GuestRow] {
        let guest = lines.map(GuestComparison.withoutDevicePrefix)
        return (0..<max(log.count, guest.count)).map { index in
            GuestRow(device: label, name: name, predicted: index < log.count ? log[index] : "—",
                     guest: index < guest.count ? guest[index] : "—", source: "the driver's line \(index + 1)")
        }
    }

    /// The fields a value came from, where the model read them and what it read.
    private func source(of entry: DriverView.Entry, in reads: [DriverRead]? = nil) -> String {
        entry.fields.map { field in
            guard let read = (reads ?? predicted.reads).last(where: { $0.field == field }) else { return "\(field) not read" }
            return "\(field) read at \(read.offset): " + hexBytes(read.bytes)
        }.joined(separator: "; ")
    }

    func stop() {
        daemon?.stop()
        scratch.remove()
    }
}
