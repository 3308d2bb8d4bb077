import ConfigLayout
import Rendering
import Foundation
import VirtioModel

/// A QEMU device the guest's own driver reads as QEMU presents it. Before the boot, cfgspace's model
/// of the same driver probes the same device over qtest (`probe qemu --driver`): what it shows is
/// the prediction, value by value, with the offset and bytes each came from.
final class OwnDeviceParticipant: GuestParticipant {
    let device: GuestDevice
    /// The `-device` value, as given.
    let spec: String
    let probe: QEMUProbeResult
    /// The driver model's run against the real device.
    let predicted: Outcome
    let label: String
    private let id: String
    private let scratch: URL
    private let backend: QEMUBackend
    private let cpus: Int
    /// The model's view after the run-time change, once it is made.
    private var changed: (command: String, prediction: DriverPrediction)?

    var reporter: String { device.name }

    init(_ device: GuestDevice, spec: String? = nil, layout: (path: String, device: Device)?, cpus: Int,
         qemu: String?) throws(HostError) {
        guard case .qemu(let defaultDevice, let makeBackend) = device.presentation else {
            throw HostError(.refused, "\(device.name) is fed by cfgspace, not made by QEMU")
        }
        self.device = device
        self.spec = spec ?? defaultDevice
        label = device.name
        id = "cfgspace-\(device.name)"
        self.cpus = cpus
        // The same number of vCPUs as the guest: QEMU sizes some defaults by them (virtio-scsi's num_queues).
        probe = try QEMUProbe.run(.init(device: self.spec, layout: layout, drivers: [device.driver], cpus: cpus, qemu: qemu,
                                        qemuArguments: ["-smp", String(cpus)]))
        guard let run = probe.driverRuns.first else {
            throw HostError(.refused, "the \(device.driver) model did not run against \(self.spec)")
        }
        predicted = run.real
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cfgspace-guest-\(device.name)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw HostError(.system, "cannot make \(scratch.path): \(error.localizedDescription)")
        }
        backend = makeBackend(scratch.path, id)
    }

    /// The device, then its backend's arguments: QEMU makes -object, -blockdev, -netdev and -chardev
    /// backends before any -device, so they may follow, and a -device on the device's own bus (a disk
    /// on a SCSI controller) must.
    var qemuArguments: [String] {
        let named = (try? QEMUDeviceSpec.parse(spec).get())?.value("id") != nil
        let properties = named ? [] : ["id=\(id)"]
        return ["-device", ([spec] + properties + backend.properties).joined(separator: ",")] + backend.arguments
    }

    var needsQMP: Bool { device.change != nil }

    var kernelArguments: [String] { device.kernelArguments + (device.change != nil ? ["cfgspace.\(device.name).change=1"] : []) }

    /// The run-time change: the model's view after the same change to the config the probe read, then,
    /// once the guest says it is waiting, the QMP command. A guest that never waits shows nothing after
    /// it, which the rows then hold against the prediction.
    func whileRunning(_ machine: GuestMachine) throws(HostError) {
        guard let change = device.change, let driver = DriverKind.named(device.driver, for: probe.device) else { return }
        let (name, arguments) = change.command(machine.memoryMiB)
        let presented = Array(probe.bytes.prefix(predicted.configSize))
        let layout = Layout(device: probe.device, features: probe.offered, interpretation: .fixed)
        var bytes = presented
        for (field, value) in change.fields(machine.memoryMiB) {
            guard let placed = layout.field(field), let offset = placed.offset, offset + placed.size <= bytes.count else { continue }
            for index in 0..<placed.size { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        }
        let command = name + arguments.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        changed = (command, driver.predict(device: probe.device, offered: probe.offered, presented: presented, changed: bytes,
                                           cpus: cpus, label: "QEMU \(spec)"))
        guard try machine.waitFor("\(device.name).waiting") != nil else { return }
        try machine.execute(name, arguments)
    }

    func rows(_ report: GuestReport) -> [GuestRow] {
        var rows = [GuestRow(device: label, name: "features", predicted: DriverPrediction.featureBits(predicted.negotiated),
                             guest: report.value(device.key("features")) ?? "—",
                             source: "offered by QEMU, kept by the driver's table and the transport")]
        rows.append(GuestRow(device: label, name: "probe", predicted: predicted.probeFailure.map { "failed: \($0)" } ?? "ok",
                             guest: report.value(device.key("probe")) ?? "—", source: "the driver's probe"))
        for entry in predicted.view.entries where device.compared?.contains(entry.name) ?? true {
            rows.append(GuestRow(device: label, name: entry.name, predicted: entry.value.description,
                                 guest: report.value(device.key(entry.name)) ?? "—", source: source(of: entry)))
        }
        if let (command, prediction) = changed {
            for entry in prediction.view.entries {
                rows.append(GuestRow(device: label, name: "\(entry.name), changed", predicted: entry.value.description,
                                     guest: report.value("\(device.name).changed.\(entry.name)") ?? "—",
                                     source: "QMP \(command) while the guest runs; " + source(of: entry, in: prediction.reads)))
            }
        }
        return rows
    }

    /// The fields a value came from, where the model read them and what it read.
    private func source(of entry: DriverView.Entry, in reads: [DriverRead]? = nil) -> String {
        entry.fields.map { field in
            guard let read = (reads ?? predicted.reads).last(where: { $0.field == field }) else { return "\(field) not read" }
            return "\(field) read at \(read.offset): " + hexBytes(read.bytes)
        }.joined(separator: "; ")
    }

    func stop() {
        try? FileManager.default.removeItem(at: scratch)
    }
}
