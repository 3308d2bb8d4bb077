import Foundation
import Testing
import TestSupport
import ConfigLayout
import VirtioModel
@testable import VirtioHost

/// QEMU 7.2's compat properties as the probe applies them, and the causes it names, without QEMU.
@Suite struct QEMUMachineTypesTests {
    private func value(_ property: String, of type: String, on machine: String) -> String? {
        QEMUMachineTypes.compatProperties(of: machine)?.last { $0.type == type && $0.property == property }?.value
    }

    /// hw_compat_4_0 sets qemu-4-0-config-size for the 4.0 machines only: hw_compat_3_1, applied
    /// after it for older ones, clears it; 4.1 and later never see it.
    @Test func theBalloonsConfigSizePropertyIsFourZerosAlone() {
        #expect(value("qemu-4-0-config-size", of: "virtio-balloon-device", on: "pc-i440fx-4.0") == "true")
        #expect(value("qemu-4-0-config-size", of: "virtio-balloon-device", on: "pc-q35-4.0") == "true")
        #expect(value("qemu-4-0-config-size", of: "virtio-balloon-device", on: "pc-q35-4.0.1") == "true")
        #expect(value("qemu-4-0-config-size", of: "virtio-balloon-device", on: "pc-i440fx-3.1") == "false")
        #expect(value("qemu-4-0-config-size", of: "virtio-balloon-device", on: "pc-i440fx-4.1") == nil)
        #expect(value("page-poison", of: "virtio-balloon-device", on: "pc-i440fx-5.0") == "false")
        #expect(value("page-poison", of: "virtio-balloon-device", on: "pc-i440fx-5.1") == nil)
    }

    @Test func everyMachineTypeQEMUListsIsKnown() {
        // `qemu-system-x86_64 -machine help` for 7.2.
        let i440fx = ["7.2", "7.1", "7.0", "6.2", "6.1", "6.0", "5.2", "5.1", "5.0", "4.2", "4.1", "4.0", "3.1", "3.0", "2.9",
                      "2.8", "2.7", "2.6", "2.5", "2.4", "2.3", "2.2", "2.12", "2.11", "2.10", "2.1", "2.0", "1.7", "1.6",
                      "1.5", "1.4"]
        let q35 = ["7.2", "7.1", "7.0", "6.2", "6.1", "6.0", "5.2", "5.1", "5.0", "4.2", "4.1", "4.0.1", "4.0", "3.1", "3.0",
                   "2.9", "2.8", "2.7", "2.6", "2.5", "2.4", "2.12", "2.11", "2.10"]
        let names = ["pc", "q35", "microvm", "isapc", "none", "x-remote"] + i440fx.map { "pc-i440fx-" + $0 } + q35.map { "pc-q35-" + $0 }
        for name in names { #expect(QEMUMachineTypes.compatProperties(of: name) != nil, "\(name)") }
        #expect(QEMUMachineTypes.compatProperties(of: "pc")?.isEmpty == true)
        #expect(QEMUMachineTypes.compatProperties(of: "pc-i440fx-9.0") == nil)
        #expect(QEMUMachineTypes.compatProperties(of: "pc-q35-2.3") == nil)
        // Every older machine applies all that a newer one does, and more.
        #expect((QEMUMachineTypes.compatProperties(of: "pc-i440fx-2.5") ?? []).count
                > (QEMUMachineTypes.compatProperties(of: "pc-i440fx-4.2") ?? []).count)
        #expect(value("disable-modern", of: "virtio-pci", on: "pc-i440fx-2.5") == "on")
        #expect(value("unplugged-inaccessible", of: "virtio-mem", on: "pc-q35-6.2") == "off")
        #expect(value("guest_announce", of: "virtio-net-pci", on: "pc-i440fx-2.0") == "off")
    }

    /// The machine's compat properties, then -global, then the -device value: the last one wins.
    @Test func propertiesComeInQEMUsOrder() throws {
        let spec = try QEMUDeviceSpec.parse("virtio-balloon-pci,page-poison=off").get()
        let machine = QEMUDeviceProperties(machine: "pc-i440fx-4.0", spec: spec, qemuArguments: [])
        #expect(machine.qemu.isOn("qemu-4-0-config-size"))
        #expect(machine.setting("qemu-4-0-config-size")?.source == .machine("pc-i440fx-4.0", array: "hw_compat_4_0"))
        #expect(machine.setting("page-poison")?.source == .device)
        // Globals for other device types do not apply.
        #expect(machine.setting("seg-max-adjust") == nil)
        let global = QEMUDeviceProperties(machine: "pc-i440fx-4.0", spec: spec,
                                          qemuArguments: ["-m", "16M", "-global", "virtio-balloon-device.qemu-4-0-config-size=off"])
        #expect(!global.qemu.isOn("qemu-4-0-config-size"))
        #expect(global.setting("qemu-4-0-config-size")?.source == .global)
        let long = QEMUDeviceProperties(machine: "pc", spec: spec, qemuArguments: [
            "-global", "driver=virtio-balloon-pci,property=qemu-4-0-config-size,value=on"])
        #expect(long.qemu.isOn("qemu-4-0-config-size"))
        let given = QEMUDeviceProperties(machine: "pc-i440fx-4.0",
                                         spec: try QEMUDeviceSpec.parse("virtio-balloon-pci,qemu-4-0-config-size=off").get(),
                                         qemuArguments: [])
        #expect(!given.qemu.isOn("qemu-4-0-config-size"))
        // blk on 4.2: seg_max from queue-size 128 without adjustment, as the catalog's binding reads it.
        let blk = QEMUDeviceProperties(machine: "pc-q35-4.2", spec: try QEMUDeviceSpec.parse("virtio-blk-pci").get(),
                                       qemuArguments: [])
        let effective = blk.effective(try QEMUDeviceSpec.parse("virtio-blk-pci").get())
        #expect(effective.flag("seg-max-adjust") == false && effective.number("queue-size") == 128)
    }

    private func balloon() throws -> Device {
        let loaded = try LayoutLoader().load(argument: "balloon")
        return try #require(loaded.devices.first).asOf(nil)
    }

    /// The checks' causes: a property that would give QEMU's length, an unknown machine type, and
    /// where an agreement took a property from.
    @Test func aLengthDepartureNamesTheCauseItCan() throws {
        let device = try balloon()
        let spec = try QEMUDeviceSpec.parse("virtio-balloon-pci,page-poison=off").get()
        let offered = try device.parseFeatures("VERSION_1").get()
        func length(_ actual: Int, machine: String, arguments: [String] = []) -> ProbeCheck? {
            let properties = QEMUDeviceProperties(machine: machine, spec: spec, qemuArguments: arguments)
            let encoding = ConfigImage.Encoding(isModern: true, guestIsLittleEndian: true)
            let predicted = QEMUProbe.predictedLength(device, offered: offered, properties: properties.qemu, selections: [],
                                                      bytes: [], encoding: encoding)
            let negotiation = ProbeNegotiation(offered: offered, wanted: offered, unknownBits: [], featuresAccepted: true)
            let read = QEMUConfigRead(device: device, negotiation: negotiation,
                                      fixed: Layout(device: device, features: offered, interpretation: .fixed),
                                      encoding: encoding, count: 0, generation: 0, bytes: [], selections: [], legacyViews: [])
            let observation = ConfigObservation(bytes: [], length: .exact(actual), generation: 0, device: device,
                                                offered: offered, encoding: encoding)
            return ProbeVerdict(started: spec, type: QEMUDeviceType.forDriver("virtio-balloon-pci"), properties: properties,
                                virtioID: 5, read: read, observation: observation, pastEnd: [], predicted: predicted)
                .all().first { $0.name == "length" }
        }
        let agreed = try #require(length(16, machine: "pc-i440fx-4.0"))
        #expect(agreed.verdict == .agrees && agreed.cause?.kind == .machineType)
        #expect(agreed.cause?.text.contains("hw_compat_4_0") == true)
        #expect(agreed.summary.contains("qemu-4-0-config-size=true"))
        let flipped = try #require(length(16, machine: "pc"))
        #expect(flipped.verdict == .departs && flipped.cause?.kind == .property)
        #expect(flipped.cause?.text.contains("qemu-4-0-config-size=on") == true)
        let unknown = try #require(length(12, machine: "pc-i440fx-9.0"))
        #expect(unknown.verdict == .departs && unknown.cause?.kind == .machineType)
        let nothing = try #require(length(12, machine: "pc"))
        #expect(nothing.verdict == .departs && nothing.cause == nil)
        let global = try #require(length(16, machine: "pc", arguments: ["-global", "virtio-balloon-device.qemu-4-0-config-size=on"]))
        #expect(global.verdict == .agrees && global.cause?.kind == .property)
    }
}
