import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// The model of Linux 6.1's virtio_input against QEMU's input devices and hand-made selection tables,
/// each expectation worked out from drivers/virtio/virtio_input.c and drivers/input/input.c; the
/// guest tests hold the model against the real driver.
@Suite struct LinuxInputDriverTests {
    private func key(_ select: UInt64, _ subselect: UInt64 = 0) -> ServedDevice.Selection {
        ServedDevice.Selection(select: select, subselect: subselect)
    }

    /// The tablet: EV_SYN, EV_KEY, EV_REL and EV_ABS is 0xf; the buttons 0x110-0x114 are bits 16-20 of
    /// word 4 and BTN_GEAR_DOWN/UP 0x150-0x151 bits 16-17 of word 5; REL_WHEEL is bit 8.
    @Test func qemusTabletAsSysfsShowsIt() throws {
        let outcome = try linuxRun("input", selections: QEMUInputDevices.contents(.tablet))
        #expect(outcome.probeFailure == nil)
        #expect(outcome.text("name") == "QEMU Virtio Tablet")
        #expect(outcome.text("uniq") == "")
        #expect([outcome.text("id.bustype"), outcome.text("id.vendor"), outcome.text("id.product"), outcome.text("id.version")]
                == ["0006", "0627", "0003", "0002"])
        #expect(outcome.text("properties") == "0")
        #expect(outcome.text("capabilities.ev") == "f")
        #expect(outcome.text("capabilities.key") == "30000 1f0000 0 0 0 0")
        #expect(outcome.text("capabilities.rel") == "100")
        #expect(outcome.text("capabilities.abs") == "3")
        #expect(outcome.text("capabilities.led") == "0")
        #expect(outcome.text("absinfo.0") == "min 0 max 32767 fuzz 0 flat 0 res 0")
        #expect(outcome.text("absinfo.1") == "min 0 max 32767 fuzz 0 flat 0 res 0")
        #expect(outcome.view["absinfo.2"] == nil)
        #expect(outcome.configSize == 8 + 43, "QEMU's cfg_size: 8 and the 43-byte button bitmap")
        #expect(outcome.violations.isEmpty, "\(outcome.violations.map(\.detail))")
    }

    /// The keyboard's 29-byte key bitmap as four 64-bit words (little-endian bytes), highest first:
    /// bytes 24-28 "00 00 00 00 04" are 0x400000000, bytes 16-23 0x3078f800dfff, and so on. EV_LED (17)
    /// and EV_REP (20) with EV_SYN and EV_KEY make 0x120003.
    @Test func qemusKeyboardAsSysfsShowsIt() throws {
        let outcome = try linuxRun("input", selections: QEMUInputDevices.contents(.keyboard, serial: "kbd-1"))
        #expect(outcome.text("name") == "QEMU Virtio Keyboard")
        #expect(outcome.text("uniq") == "kbd-1")
        #expect(outcome.text("id.product") == "0001" && outcome.text("id.version") == "0001")
        #expect(outcome.text("capabilities.ev") == "120003")
        #expect(outcome.text("capabilities.led") == "7")
        #expect(outcome.text("capabilities.key") == "400000000 3078f800dfff febeffff7bcfffff fffffffffffffffe")
        #expect(outcome.text("capabilities.rel") == "0" && outcome.text("capabilities.abs") == "0")
        #expect(outcome.view.names.filter { $0.hasPrefix("absinfo") }.isEmpty)
        let codes = QEMUInputDevices.keyboardKeys.reduce(0) { $0 + $1.nonzeroBitCount }
        #expect(codes == 147)
    }

    /// virtinput_probe's order of selections, each select then subsel written as one byte; EV_FF is
    /// never asked, and ABS_INFO only for the axes in absbit.
    @Test func selectionsGoInTheDriversOrder() throws {
        let outcome = try linuxRun("input", selections: QEMUInputDevices.contents(.tablet))
        var pairs: [(UInt8, UInt8)] = []
        var select: UInt8 = 0
        for entry in outcome.trace {
            guard case .configWrite(let offset, let bytes, _) = entry.event, bytes.count == 1 else { continue }
            if offset == 0 { select = bytes[0] } else if offset == 1 { pairs.append((select, bytes[0])) }
        }
        let expected: [(UInt8, UInt8)] = [(0x01, 0), (0x02, 0), (0x03, 0), (0x10, 0), (0x11, 0x14), (0x11, 1), (0x11, 2),
                                          (0x11, 3), (0x11, 4), (0x11, 5), (0x11, 0x11), (0x11, 0x12), (0x12, 0), (0x12, 1)]
        #expect(pairs.map { "\($0.0)/\($0.1)" } == expected.map { "\($0.0)/\($0.1)" })
        // devids as four 16-bit reads; absinfo as min, max, res, fuzz, flat, 32 bits each.
        #expect(outcome.accesses(of: "u.ids.bustype").map(\.width) == [2])
        let abs = outcome.trace.compactMap { entry -> Int? in
            if case .configRead(let offset, 4, _, let field?, _) = entry.event, field.hasPrefix("u.abs.") { return offset }
            return nil
        }
        #expect(abs == [8, 12, 24, 16, 20, 8, 12, 24, 16, 20])
        // The name: size then 19 single-byte reads in a generation loop.
        #expect(outcome.accesses(of: "u.string").count == 19)
    }

    /// "min(size, sizeof(vi->name))": 64 bytes with no room for a NUL; `%s` runs on into the serial,
    /// and a 64-byte serial into phys ("virtio0/input0").
    @Test func stringsOfSixtyFourBytesRunOn() throws {
        let long = String(repeating: "n", count: 70)
        let serial = String(repeating: "s", count: 64)
        var contents = QEMUInputDevices.contents(.mouse, serial: serial)
        contents[key(0x01)] = Array(long.utf8)
        let outcome = try linuxRun("input", selections: contents)
        #expect(outcome.text("name") == String(repeating: "n", count: 64) + serial + "virtio0/input0")
        #expect(outcome.text("uniq") == serial + "virtio0/input0")
        #expect(outcome.accesses(of: "u.string").count == 64 + 64, "bytes 64 on are never read")
    }

    /// No ID_DEVIDS (or fewer than 8 bytes): BUS_VIRTUAL and zeros.
    @Test func shortDeviceIDsLeaveTheVirtualBus() throws {
        var contents = QEMUInputDevices.contents(.mouse)
        contents[key(0x03)] = [0x03, 0x00, 0x34, 0x12]
        let outcome = try linuxRun("input", selections: contents)
        #expect([outcome.text("id.bustype"), outcome.text("id.vendor"), outcome.text("id.product")] == ["0006", "0000", "0000"])
        #expect(outcome.accesses(of: "u.ids.bustype").isEmpty)
    }

    /// EV_ABS's size is not 0 but its bitmap is: virtinput_cfg_bits sets EV_ABS all the same, no axis
    /// gets absinfo, and input_register_device refuses the device after DRIVER_OK; the probe resets it.
    @Test func anAbsoluteDeviceWithoutAxesIsRefused() throws {
        var contents = QEMUInputDevices.contents(.tablet)
        contents[key(0x11, 3)] = [0x00]
        let outcome = try linuxRun("input", selections: contents)
        #expect(outcome.probeFailure == "Absolute device without dev->absinfo, refusing to register")
        #expect(outcome.view.log == ["Absolute device without dev->absinfo, refusing to register",
                                     "virtio_input: probe of virtioN failed with error -22"])
        #expect(outcome.finalStatus == [.failed])
        #expect(outcome.trace.contains { if case .statusWrite(let status) = $0.event { status.contains(.driverOK) } else { false } })
    }

    /// Bits at or past REL_CNT (16) are dropped by bitcount = min(REL_CNT, size * 8); EV_FF's bits are
    /// never asked for; ABS_INFO's size is ignored (an axis without an entry reads as zeros).
    @Test func whatTheDriverDropsOrIgnores() throws {
        var contents = QEMUInputDevices.contents(.tablet)
        contents[key(0x11, 2)] = [0x00, 0x01, 0xff]
        contents[key(0x11, 0x15)] = [0xff]
        contents[key(0x11, 3)] = [0x07]
        let outcome = try linuxRun("input", selections: contents)
        #expect(outcome.text("capabilities.rel") == "100")
        #expect(outcome.text("capabilities.ff") == "0")
        #expect(outcome.text("capabilities.abs") == "7")
        #expect(outcome.text("absinfo.2") == "min 0 max 0 fuzz 0 flat 0 res 0")
        #expect(outcome.accesses(of: "u.abs.min").count == 3)
    }

    /// ABS_MT_SLOT's max + 1 slots: input_mt_init_slots sets the slot range and adds
    /// ABS_MT_TRACKING_ID (0x39) over 0..0xffff; past 1024 slots it refuses (-EINVAL).
    @Test(arguments: [(UInt32(9), true), (0x7fff_ffff, false)])
    func multitouchSlots(maximum: UInt32, registers: Bool) throws {
        var contents = QEMUInputDevices.contents(.tablet)
        contents[key(0x11, 3)] = [0x03, 0, 0, 0, 0, 0x80]
        contents[key(0x12, 0x2f)] = [0, 0, 0, 0] + withUnsafeBytes(of: maximum.littleEndian, Array.init) + [UInt8](repeating: 0, count: 12)
        let outcome = try linuxRun("input", selections: contents)
        if registers {
            #expect(outcome.text("absinfo.47") == "min 0 max 9 fuzz 0 flat 0 res 0")
            #expect(outcome.text("absinfo.57") == "min 0 max 65535 fuzz 0 flat 0 res 0")
            #expect(outcome.text("capabilities.abs") == "200800000000003")
        } else {
            #expect(outcome.probeFailure == "input_mt_init_slots(2147483648) failed")
            #expect(outcome.view.log == ["virtio_input: probe of virtioN failed with error -22"])
        }
    }

    /// "if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) return -ENODEV": a device without VERSION_1
    /// is driven through the legacy interface and refused silently.
    @Test func aLegacyDeviceIsRefusedSilently() throws {
        let outcome = try linuxRun("input", features: "INDIRECT_DESC", selections: QEMUInputDevices.contents(.mouse))
        #expect(outcome.probeFailure != nil)
        #expect(outcome.view.log.isEmpty)
        #expect(outcome.accesses(of: "size").isEmpty)
    }

    /// Nothing in input's config is conditional: packed puts every field the driver reads where fixed does.
    @Test func packedMovesNothingTheDriverReads() throws {
        let device = try builtinDevice("input")
        let fixed = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        let packed = Layout(device: device, features: FeatureSet(), interpretation: .packed)
        for field in LinuxInputDriver.kind.fields { #expect(fixed.field(field)?.offset == packed.field(field)?.offset, "\(field)") }
    }

    /// QEMU's virtio_input_find_config matches select and subsel exactly, and an unknown pair zeroes
    /// the whole config, select included, without moving the generation; serve's rule ignores subsel
    /// for a case that takes none.
    @Test func qemuAnswersSelectionsExactly() throws {
        let device = try builtinDevice("input")
        let trace = Trace()
        let parameters = DeviceParameters(offered: try device.parseFeatures("VERSION_1").get(), values: [], pastEnd: nil,
                                          guestIsLittleEndian: true, selections: QEMUInputDevices.contents(.mouse))
        let qemu = try #require(try QEMUSelectorDevice(selecting: device, parameters: parameters, trace: trace))
        func read(_ offset: Int) -> UInt8 {
            var byte: [UInt8] = [0]
            qemu.readConfig(offset: offset, into: &byte, field: nil)
            return byte[0]
        }
        qemu.writeConfig(offset: 0, bytes: [0x01], field: "select")
        qemu.writeConfig(offset: 1, bytes: [0x05], field: "subsel")
        #expect(read(2) == 0, "ID_NAME with subsel 5 has no entry")
        #expect(read(0) == 0, "an unknown pair zeroes select too")
        qemu.writeConfig(offset: 1, bytes: [0x00], field: "subsel")
        #expect(read(2) == 0, "the read refreshed select to 0: the pair is now 0/0")
        qemu.writeConfig(offset: 0, bytes: [0x01], field: "select")
        #expect(read(2) == 18 && read(8) == UInt8(ascii: "Q"))
        #expect(qemu.readGeneration() == 0)
        let served = try ServedDevice(device: device, interpretation: .fixed, offered: FeatureSet(), values: [("select", .integer(1)),
                                      ("subsel", .integer(5))], selections: QEMUInputDevices.contents(.mouse))
        #expect(served.bytes(modern: true)[2] == 18, "serve's rule: ID_NAME takes no subselector")
    }

    /// A selection longer than `size` (a u8) can count is not a write lost unseen: the served device
    /// refuses it, and the QEMU model records its own violation when the driver selects it.
    @Test func aSelectionSizeCannotCountIsNeverLostUnseen() throws {
        let device = try builtinDevice("input")
        let long: SelectionContents = [ServedDevice.Selection(select: 1, subselect: 0): [UInt8](repeating: 0x41, count: 300)]
        #expect(throws: FieldValueError.self) {
            try ServedDevice(device: device, interpretation: .fixed, offered: FeatureSet(), values: [("select", .integer(1))],
                             selections: long)
        }
        let trace = Trace()
        let parameters = DeviceParameters(offered: try device.parseFeatures("VERSION_1").get(), values: [], pastEnd: nil,
                                          guestIsLittleEndian: true, selections: long)
        let qemu = try #require(try QEMUSelectorDevice(selecting: device, parameters: parameters, trace: trace))
        #expect(trace.violations.isEmpty)
        qemu.writeConfig(offset: 0, bytes: [0x01], field: "select")
        #expect(trace.violations.contains { $0.detail.contains("could not hold the selection") && $0.detail.contains("size") })
    }
}
