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
        probe = try QEMUProbe.run(.init(device: self.spec, layout: layout, drivers: [device.driver], cpus: cpus, qemu: qemu))
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

    var qemuArguments: [String] {
        let named = (try? QEMUDeviceSpec.parse(spec).get())?.value("id") != nil
        let properties = named ? [] : ["id=\(id)"]
        return backend.arguments + ["-device", ([spec] + properties + backend.properties).joined(separator: ",")]
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
        return rows
    }

    /// The fields a value came from, where the model read them and what it read.
    private func source(of entry: DriverView.Entry) -> String {
        entry.fields.map { field in
            guard let read = predicted.reads.last(where: { $0.field == field }) else { return "\(field) not read" }
            return "\(field) read at \(read.offset): " + hexBytes(read.bytes)
        }.joined(separator: "; ")
    }

    func stop() {
        try? FileManager.default.removeItem(at: scratch)
    }
}
