import Foundation
import Testing
import TestSupport
import ConfigLayout
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
        let offeredByQEMU = FeatureSet(words: QEMUProbe.pairs(try registers.deviceFeatures(windows: 2)))
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
