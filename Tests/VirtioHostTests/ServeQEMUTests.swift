import Foundation
import Testing
import TestSupport
import ConfigLayout
import Rendering
import VirtioModel
@testable import VirtioHost

/// QEMU's vhost-user front-ends fed by `cfgspace serve`, read through QEMU's own virtio-pci.
@Suite(.enabled(if: QEMUAvailability.isInstalled || Tools.areRequired,
                "needs qemu-system-x86_64 (Debian's qemu-system-x86; .ci/run installs it)"))
struct ServeQEMUTests {
    static func blk() throws -> Device {
        try ProbeTarget.builtinLayout(forID: 2, likely: "blk").device.asOf(nil)
    }

    /// QEMU's vhost-user-blk takes its config from serve: read through QEMU's virtio-pci, it is what
    /// cfgspace predicts, QEMU's own sizing and num_queues included; a wce write reaches serve as
    /// SET_CONFIG; a runtime resize reaches the driver with a new generation.
    @Test(arguments: [Interpretation.fixed, .packed])
    func vhostUserBlkPresentsWhatCfgspacePredicts(interpretation: Interpretation) throws {
        let device = try Self.blk()
        let offered = try device.parseFeatures("SIZE_MAX,SEG_MAX,BLK_SIZE,FLUSH,TOPOLOGY,CONFIG_WCE,DISCARD,WRITE_ZEROES,MQ,VERSION_1").get()
        let served = try ServedDevice(device: device, interpretation: interpretation, offered: offered,
                                      values: [("capacity", .integer(2_097_152)), ("blk_size", .integer(4096)),
                                               ("num_queues", .integer(4)), ("size_max", .integer(65536)),
                                               ("seg_max", .integer(126)), ("writeback", .integer(1)),
                                               ("max_discard_sectors", .integer(2048))])
        let fixture = try ServeFixture(served, label: "serve-blk")
        defer { fixture.close() }
        let spec = "vhost-user-blk-pci,num-queues=2"
        let machine = try QEMUMachine(VhostUserQEMU.options(device: spec, socket: fixture.socketPath))
        defer { machine.quit() }
        let registers = try #require(try ProbeTarget.locate(on: machine, id: "vhost-probe").primary as? VirtioPCIModern)
        let offeredByQEMU = FeatureSet(words: ProbeNegotiation.pairs(try registers.deviceFeatures(windows: 2)))
        #expect(try registers.start(accepting: offeredByQEMU))
        #expect(fixture.waitFor("SET_VRING_ENABLE"))

        let predicted = QEMUFrontend.presented(served.bytes(modern: true), by: try QEMUDeviceSpec.parse(spec).get(), device: device)
        let read = try ConfigReader(registers: registers).read(count: predicted.count + 8, layout: nil)
        #expect(Array(read.prefix(predicted.count)) == predicted, "QEMU presents \(hexBytes(read)), cfgspace predicts \(hexBytes(predicted))")
        #expect(read.suffix(8).allSatisfy { $0 == 0xff })

        // The driver writes wce: QEMU passes a change of that byte on, at its fixed offset
        // (vhost_user_blk_set_config). Served fixed, it is writeback; served packed, the byte at 32 is
        // part of max_discard_sectors, which serve refuses to let a driver write.
        let wce = try #require(Layout(device: device, features: offered, interpretation: .fixed).field("writeback")?.offset)
        if interpretation == .fixed {
            try registers.writeConfig(offset: wce, bytes: [0])
            #expect(fixture.waitFor("SET_CONFIG 1 bytes at \(wce): wrote writeback"))
        } else {
            try registers.writeConfig(offset: wce, bytes: [0x5a])
            #expect(fixture.waitFor("SET_CONFIG 1 bytes at \(wce) refused: max_discard_sectors is read-only"))
        }

        // A resize while the device runs: the driver reads the new capacity under a new generation.
        let generation = try registers.readGeneration()
        try fixture.command("set capacity=4096")
        #expect(fixture.waitFor("acknowledged: ok"))
        let capacity = try ConfigReader(registers: registers).read(count: 8, layout: nil)
        let servedNow = QEMUFrontend.presented(served.bytes(modern: true), by: try QEMUDeviceSpec.parse(spec).get(), device: device)
        let capacityAt = try #require(Layout(device: device, features: offered, interpretation: interpretation).field("capacity")?.offset)
        #expect(Array(servedNow[capacityAt..<capacityAt + 8]) == ConfigImage.integerBytes(4096, width: 8))
        if interpretation == .fixed { #expect(capacity == ConfigImage.integerBytes(4096, width: 8)) }
        #expect(try registers.readGeneration() != generation)
    }
}

/// The other front-ends QEMU 7.2 has that fetch config from their back-end, each fed by serve.
@Suite(.enabled(if: QEMUAvailability.isInstalled || Tools.areRequired,
                "needs qemu-system-x86_64 (Debian's qemu-system-x86; .ci/run installs it)"))
struct ServeFrontendTests {
    /// vhost-user-input and -gpu refuse to start without KVM in QEMU 7.2 ("vhost initialization
    /// failed: requires kvm"); KVM is the machine's, not something .ci/run can install.
    static var hasKVM: Bool { access("/dev/kvm", R_OK | W_OK) == 0 }

    static func layout(_ name: String) throws -> Device {
        let loaded = try LayoutLoader().load(path: BuiltinLayouts.path(of: name))
        return try #require(loaded.devices.first).asOf(nil)
    }

    /// serve with `served`, and QEMU's `frontend` in front of it: the fixture, the machine (the
    /// caller's to quit, and the fixture to close) and the device's registers.
    static func behindQEMU(_ served: ServedDevice, frontend: String, label: String,
                           kvm: Bool) throws -> (fixture: ServeFixture, machine: QEMUMachine, registers: VirtioPCIModern) {
        let fixture = try ServeFixture(served, label: label)
        do {
            let machine = try QEMUMachine(VhostUserQEMU.options(device: frontend, socket: fixture.socketPath,
                                                                 arguments: kvm ? ["-accel", "kvm"] : []))
            guard let registers = try ProbeTarget.locate(on: machine, id: "vhost-probe").primary as? VirtioPCIModern else {
                machine.quit()
                throw TestFailure("\(frontend) is not a modern virtio-pci device")
            }
            return (fixture, machine, registers)
        } catch {
            fixture.close()
            throw error
        }
    }

    static func presents(_ layout: String, frontend: String, values: [(String, FieldValue)], features: String,
                         kvm: Bool = false) throws -> (served: ServedDevice, read: [UInt8], predicted: [UInt8], fixture: ServeFixture, machine: QEMUMachine, registers: VirtioPCIModern) {
        let device = try Self.layout(layout)
        let served = try ServedDevice(device: device, interpretation: .fixed, offered: try device.parseFeatures(features).get(),
                                      values: values.map { ($0.0, $0.1) })
        let (fixture, machine, registers) = try Self.behindQEMU(served, frontend: frontend, label: "serve-\(layout)", kvm: kvm)
        let predicted = QEMUFrontend.presented(served.bytes(modern: true), by: try QEMUDeviceSpec.parse(frontend).get(), device: device)
        let read = try ConfigReader(registers: registers).read(count: predicted.count + 4, layout: nil)
        return (served, read, predicted, fixture, machine, registers)
    }

    @Test func vsockAndGPIOPresentWhatServeServes() throws {
        for (layout, frontend, values) in [("vsock", "vhost-user-vsock-pci", [("guest_cid", FieldValue.integer(42))]),
                                           ("gpio", "vhost-user-gpio-pci", [("ngpio", .integer(16)), ("gpio_names_size", .integer(96))])] {
            let run = try Self.presents(layout, frontend: frontend, values: values, features: "VERSION_1")
            defer { run.machine.quit(); run.fixture.close() }
            #expect(Array(run.read.prefix(run.predicted.count)) == run.predicted, "\(frontend): \(hexBytes(run.read))")
            #expect(run.read.suffix(4).allSatisfy { $0 == 0xff })
        }
    }

    @Test(.enabled(if: hasKVM || Tools.areRequired, "vhost-user-gpu needs KVM in QEMU 7.2")) func gpuPresentsItsOwnEventsOverServes() throws {
        let run = try Self.presents("gpu", frontend: "vhost-user-gpu-pci", values: [("num_scanouts", .integer(2)),
                                    ("events_read", .integer(7)), ("num_capsets", .integer(1))], features: "EDID,VERSION_1", kvm: true)
        defer { run.machine.quit(); run.fixture.close() }
        #expect(Array(run.read.prefix(run.predicted.count)) == run.predicted, "\(hexBytes(run.read))")
    }

    /// select and subsel written through QEMU reach serve as SET_CONFIG, and what they select comes
    /// back on the next read.
    @Test(.enabled(if: hasKVM || Tools.areRequired, "vhost-user-input needs KVM in QEMU 7.2")) func inputSelectionsGoThroughQEMU() throws {
        let device = try Self.layout("input")
        var selections: [ServedDevice.Selection: [UInt8]] = [:]
        for text in ["ID_NAME=cfgspace keyboard", "ID_DEVIDS=6,1,1,1", "EV_BITS/1=0xfe,0xff,0x03"] {
            let (selection, bytes) = try ServedDevice.parseSelection(text, for: device).get()
            selections[selection] = bytes
        }
        let served = try ServedDevice(device: device, interpretation: .fixed, offered: try device.parseFeatures("VERSION_1").get(),
                                      values: [], selections: selections)
        let (fixture, machine, registers) = try Self.behindQEMU(served, frontend: "vhost-user-input-pci", label: "serve-input",
                                                                kvm: true)
        defer { machine.quit(); fixture.close() }
        for (select, subsel, expected) in [(UInt8(1), UInt8(0), Array("cfgspace keyboard".utf8)),
                                           (3, 0, [6, 0, 1, 0, 1, 0, 1, 0]), (0x11, 1, [0xfe, 0xff, 0x03]), (0x11, 2, [])] {
            try registers.writeConfig(offset: 1, bytes: [subsel])
            try registers.writeConfig(offset: 0, bytes: [select])
            let bytes = try ConfigReader(registers: registers).read(count: 8 + max(expected.count, 1), layout: nil)
            #expect(Int(bytes[2]) == expected.count, "select \(select)/\(subsel): size \(bytes[2]); \(fixture.log.suffix(3))")
            #expect(Array(bytes[8..<8 + expected.count]) == expected)
        }
        #expect(fixture.log.contains { $0.contains("SET_CONFIG 136 bytes at 0: wrote select") })
    }

    /// Linux's probe order through QEMU (virtinput_probe: PROP_BITS, then virtinput_cfg_select for
    /// EV_BITS/EV_REP, select before subsel): QEMU sends its whole stale 136-byte buffer on each
    /// write, and serve takes select and subsel from it. QEMU presents 136 bytes: reads stop at 136.
    @Test(.enabled(if: hasKVM || Tools.areRequired, "vhost-user-input needs KVM in QEMU 7.2"))
    func inputFollowsLinuxsProbeOrderThroughQEMU() throws {
        let served = try ServeConfigWriteTests.input()
        let (fixture, machine, registers) = try Self.behindQEMU(served, frontend: "vhost-user-input-pci",
                                                                label: "serve-input-linux", kvm: true)
        defer { machine.quit(); fixture.close() }
        func select(_ select: UInt8, _ subsel: UInt8) throws -> [UInt8] {
            try registers.writeConfig(offset: 0, bytes: [select])
            try registers.writeConfig(offset: 1, bytes: [subsel])
            return try registers.readConfig(offset: 0, width: 4)
        }
        #expect(try select(0x10, 0).prefix(3) == [0x10, 0, 1])
        #expect(try select(0x11, 0x14).prefix(3) == [0x11, 0x14, 1], "\(fixture.log.suffix(4))")
        #expect(try registers.readConfig(offset: 8, width: 1) == [0x03])
        #expect(try select(0x11, 1).prefix(3) == [0x11, 1, 3])
        #expect(!fixture.log.contains { $0.contains("refused") }, "\(fixture.log.filter { $0.contains("refused") })")
        #expect(QEMUFrontend.presented(served.bytes(modern: true), by: try QEMUDeviceSpec.parse("vhost-user-input-pci").get(),
                                       device: served.device).count == 136)
        #expect(try registers.readConfig(offset: 132, width: 4) != [0xff, 0xff, 0xff, 0xff])
        #expect(try registers.readConfig(offset: 136, width: 1) == [0xff])
    }
}
