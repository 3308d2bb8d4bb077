import ConfigLayout

/// Linux 6.1's virtio_input (drivers/virtio/virtio_input.c `virtinput_probe`): no feature of its own,
/// VERSION_1 required, and everything it knows of the device asked through select and subsel, in
/// the driver's fixed order, before DRIVER_OK. It keeps at most 64 bytes of the name and serial,
/// asks only some event types, ignores ABS_INFO's size, and leaves the rest to the input core
/// (`input_register_device`). There is no config_changed: nothing is read after probe.
struct LinuxInputDriver: DriverModel {
    static let kind = DriverKind(
        name: "linux-6.1", layout: "input",
        summary: "Linux 6.1's virtio_input: selects names, IDs, bitmaps and axes in its fixed order; 64-byte strings",
        follows: "drivers/virtio/virtio_input.c `virtinput_probe`, `virtinput_cfg_bits`, `virtinput_cfg_abs`; "
            + "drivers/input/input.c `input_register_device`",
        fields: ["select", "subsel", "size", "u.string", "u.bitmap", "u.abs.min", "u.abs.max", "u.abs.fuzz", "u.abs.flat",
                 "u.abs.res", "u.ids.bustype", "u.ids.vendor", "u.ids.product", "u.ids.version"],
        isReference: true, make: { LinuxInputDriver() })

    /// `enum virtio_input_config_select` (include/uapi/linux/virtio_input.h).
    static let idName: UInt64 = 0x01, idSerial: UInt64 = 0x02, idDevids: UInt64 = 0x03
    static let propBits: UInt64 = 0x10, evBits: UInt64 = 0x11, absInfo: UInt64 = 0x12
    /// `INPUT_PROP_CNT`.
    static let propCount = 0x20
    /// The event types virtinput_probe asks for, in its order: device to kernel, then kernel to device.
    /// EV_FF, EV_PWR and EV_FF_STATUS are never asked.
    static let askedTypes = [LinuxInputDevice.key, LinuxInputDevice.rel, LinuxInputDevice.abs, LinuxInputDevice.msc,
                             LinuxInputDevice.sw, LinuxInputDevice.led, LinuxInputDevice.snd]

    func probe(_ session: DriverSession) -> DriverResult {
        let (unsupported, failure) = LinuxVirtioCore.negotiate(session, table: [], driver: "virtio_input")
        if let failure { return failure }
        // "if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) return -ENODEV;": silent.
        guard session.has("VERSION_1") else {
            return LinuxVirtioCore.failed(session, driver: "virtio_input", reason: "VERSION_1 not negotiated: -ENODEV",
                                          line: nil, errno: -19, unsupported: unsupported)
        }
        var input = LinuxInputDevice()
        // The strings: min(size, sizeof(vi->name)) bytes into 64-byte buffers that start zeroed.
        let nameSize = select(session, Self.idName, 0)
        place(session.readArray("u.string", count: min(nameSize, 64)), in: &input.name)
        let serialSize = select(session, Self.idSerial, 0)
        place(session.readArray("u.string", count: min(serialSize, 64)), in: &input.serial)
        if nameSize >= 64 || serialSize >= 64 {
            session.note("a string of 64 bytes or more has no terminator in its 64-byte buffer; %s runs on "
                         + "(virtio_input.c virtinput_probe, v6.1 l.247-254)")
        }
        // "virtio%d/input0" with the device's index: a guest with one virtio device calls it virtio0.
        place(Array("virtio0/input0".utf8), in: &input.phys)
        if select(session, Self.idDevids, 0) >= 8 {
            input.id = (session.readLittleEndian("u.ids.bustype"), session.readLittleEndian("u.ids.vendor"),
                        session.readLittleEndian("u.ids.product"), session.readLittleEndian("u.ids.version"))
        } else {
            input.id.bustype = LinuxInputDevice.busVirtual
        }
        input.propbit = bits(session, Self.propBits, 0, count: Self.propCount) ?? []
        // EV_REP: its size alone, no bitmap.
        if select(session, Self.evBits, UInt64(LinuxInputDevice.evRep)) != 0 { input.evbit.insert(LinuxInputDevice.evRep) }
        for type in Self.askedTypes {
            // virtinput_cfg_bits sets the type whenever size != 0, even for an all-zero bitmap.
            guard let codes = bits(session, Self.evBits, UInt64(type.type), count: type.count) else { continue }
            input.codes[type.type] = codes
            input.evbit.insert(type.type)
        }
        if input.evbit.contains(LinuxInputDevice.abs.type) {
            for axis in (input.codes[LinuxInputDevice.abs.type] ?? []).sorted() { readAxis(session, axis, into: &input) }
            if input.codes[LinuxInputDevice.abs.type]?.contains(LinuxInputDevice.absMTSlot) == true {
                // "nslots = input_abs_get_max(vi->idev, ABS_MT_SLOT) + 1", an int.
                let maximum = input.absinfo?[LinuxInputDevice.absMTSlot]?.maximum ?? 0
                let slots = UInt32(bitPattern: maximum &+ 1)
                if let errno = input.initSlots(slots) {
                    return LinuxVirtioCore.failed(session, driver: "virtio_input", reason: "input_mt_init_slots(\(slots)) failed",
                                                  line: nil, errno: errno, unsupported: unsupported)
                }
            }
        }
        session.transport.addStatus(.driverOK)
        if let refusal = input.register() {
            // err_input_register: the device is reset (6.1.189's fix), then the core marks it FAILED.
            session.transport.reset()
            return LinuxVirtioCore.failed(session, driver: "virtio_input", reason: refusal, line: refusal, errno: -22,
                                          unsupported: unsupported)
        }
        return DriverResult(view: input.view, failure: nil, unsupported: unsupported)
    }

    /// The selections by name, for the stage each read is made under.
    static let selectionNames: [UInt64: String] = [idName: "ID_NAME", idSerial: "ID_SERIAL", idDevids: "ID_DEVIDS",
                                                    propBits: "PROP_BITS", evBits: "EV_BITS", absInfo: "ABS_INFO"]

    /// `virtinput_cfg_select`: select, then subsel (one-byte writes), then size (a one-byte read).
    private func select(_ session: DriverSession, _ select: UInt64, _ subselect: UInt64) -> Int {
        session.stage = (Self.selectionNames[select] ?? String(select)) + "/\(subselect)"
        session.write("select", select, width: 1)
        session.write("subsel", subselect, width: 1)
        return Int(session.readLittleEndian("size"))
    }

    /// `virtinput_cfg_bits`: nil when size is 0; else all `size` bitmap bytes read, and the codes
    /// below min(count, size × 8) that are set.
    private func bits(_ session: DriverSession, _ select: UInt64, _ subselect: UInt64, count: Int) -> Set<Int>? {
        let size = self.select(session, select, subselect)
        guard size != 0 else { return nil }
        let bytes = session.readArray("u.bitmap", count: size)
        return Set((0..<min(count, size * 8)).filter { $0 / 8 < bytes.count && bytes[$0 / 8] & (1 << ($0 % 8)) != 0 })
    }

    /// `virtinput_cfg_abs`: ABS_INFO's size is not looked at; min, max, res, fuzz and flat are read in
    /// that order, as u32s that become ints.
    private func readAxis(_ session: DriverSession, _ axis: Int, into input: inout LinuxInputDevice) {
        let size = select(session, Self.absInfo, UInt64(axis))
        if size == 0 { session.note("ABS_INFO for axis \(axis) has size 0; its fields are read anyway, departing from 5.8.5.1's "
                                     + "\"SHOULD check the size field\" (virtio_input.c virtinput_cfg_abs, v6.1 l.176)") }
        func read(_ field: String) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: session.readLittleEndian(field))) }
        let minimum = read("u.abs.min"), maximum = read("u.abs.max"), resolution = read("u.abs.res")
        let fuzz = read("u.abs.fuzz"), flat = read("u.abs.flat")
        input.setAbsParams(axis, minimum: minimum, maximum: maximum, fuzz: fuzz, flat: flat)
        input.absinfo?[axis]?.resolution = resolution
    }

    private func place(_ bytes: [UInt8], in buffer: inout [UInt8]) {
        for (index, byte) in bytes.prefix(buffer.count).enumerated() { buffer[index] = byte }
    }
}
