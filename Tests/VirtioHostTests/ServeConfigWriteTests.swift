import Foundation
import Testing
import TestSupport
import ConfigLayout
import VirtioModel
@testable import VirtioHost

/// SET_CONFIG as real front-ends send it: QEMU's vhost-user-input writes its whole, possibly stale,
/// buffer back; the migration flag; fields that exist only with a feature.
@Suite struct ServeConfigWriteTests {
    static func input() throws -> ServedDevice {
        let device = try ServeFrontendTests.layout("input")
        var selections: [ServedDevice.Selection: [UInt8]] = [:]
        for text in ["ID_NAME=cfgspace keyboard", "PROP_BITS=0x01", "EV_BITS/1=0xfe,0xff,0x03", "EV_BITS/0x14=0x03"] {
            let (selection, bytes) = try ServedDevice.parseSelection(text, for: device).get()
            selections[selection] = bytes
        }
        return try ServedDevice(device: device, interpretation: .fixed, offered: try device.parseFeatures("VERSION_1").get(),
                                values: [], selections: selections)
    }

    /// Linux's probe order (virtinput_probe: PROP_BITS, then EV_BITS/EV_REP) through QEMU's stale
    /// buffer: the subsel write carries the size PROP_BITS had. A back-end takes select and subsel
    /// from a whole-buffer write and keeps the read-only bytes as served, as QEMU's own
    /// contrib/vhost-user-input does (vi_set_config reads only select and subsel).
    @Test func inputTakesSelectAndSubselFromTheWholeStaleBuffer() throws {
        let fixture = try ServeFixture(try Self.input(), label: "input-stale")
        defer { fixture.close() }
        let frontEnd = try TestFrontEnd(fixture.socketPath)
        try frontEnd.negotiate([.config, .replyAck])
        let qemu = QEMUInputConfig(frontEnd)
        #expect(try qemu.select(0x01, 0) == 17)
        #expect(try qemu.select(0x10, 0) == 1)
        #expect(try qemu.select(0x11, 0x14) == 1, "\(fixture.log.suffix(4))")
        #expect(try qemu.read(0, count: 9) == [0x11, 0x14, 1, 0, 0, 0, 0, 0, 0x03])
        #expect(try qemu.select(0x11, 1) == 3)
        #expect(qemu.acknowledgements.allSatisfy { $0 == 0 }, "\(qemu.acknowledgements)")
        #expect(!fixture.log.contains { $0.contains("refused") })
        #expect(fixture.log.contains { $0.contains("kept as served: size") }, "\(fixture.log.suffix(6))")
    }

    /// A write that covers no writable field and changes read-only bytes is still refused whole.
    @Test func readOnlyBytesAloneAreRefused() throws {
        let fixture = try ServeFixture(try Self.input(), label: "input-readonly")
        defer { fixture.close() }
        let frontEnd = try TestFrontEnd(fixture.socketPath)
        try frontEnd.negotiate([.config, .replyAck])
        #expect(try frontEnd.setConfig(offset: 2, bytes: [9]) == 1)
        #expect(try frontEnd.config(offset: 0, size: 3) == [0, 0, 0])
        #expect(fixture.waitFor("refused: size is read-only"))
    }

    /// writeback exists only with CONFIG_WCE (virtio 1.2, 5.2.4: "If the VIRTIO_BLK_F_CONFIG_WCE feature
    /// is negotiated, the cache mode can be read or set through the writeback field"). Served without
    /// it, the byte at writeback's fixed offset is no field a driver may write.
    @Test func writebackIsNotWritableWithoutConfigWCE() throws {
        let device = try ServeQEMUTests.blk()
        let offered = try device.parseFeatures("BLK_SIZE,FLUSH,VERSION_1").get()
        let served = try ServedDevice(device: device, interpretation: .fixed, offered: offered, values: [])
        let fixture = try ServeFixture(served, label: "wce-absent")
        defer { fixture.close() }
        let frontEnd = try TestFrontEnd(fixture.socketPath)
        try frontEnd.negotiate([.config, .replyAck])
        let wce = try #require(Layout(device: device, features: offered, interpretation: .fixed).field("writeback")?.offset)
        #expect(try frontEnd.setConfig(offset: wce, bytes: [1]) == 1)
        #expect(try frontEnd.config(offset: wce, size: 1) == [0])
        #expect(fixture.waitFor("writeback exists only with CONFIG_WCE"), "\(fixture.log.suffix(3))")
    }

    /// The migration flag (VHOST_SET_CONFIG_TYPE_MIGRATION, docs/interop/vhost-user.rst) restores a
    /// whole config on a migration's destination: read-only fields too.
    @Test func theMigrationFlagWritesReadOnlyFields() throws {
        let served = try VhostUserServeTests.blkServed()
        let fixture = try ServeFixture(served, label: "migration")
        defer { fixture.close() }
        let frontEnd = try TestFrontEnd(fixture.socketPath)
        try frontEnd.negotiate([.config, .replyAck])
        #expect(try frontEnd.setConfig(offset: 0, bytes: ConfigImage.integerBytes(777, width: 8), migration: true) == 0)
        #expect(try frontEnd.config(offset: 0, size: 8) == ConfigImage.integerBytes(777, width: 8))
        #expect(fixture.waitFor("(migration)"), "\(fixture.log.suffix(3))")
    }
}
