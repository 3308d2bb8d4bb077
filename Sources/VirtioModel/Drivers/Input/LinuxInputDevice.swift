/// Linux 6.1's `struct input_dev` as virtio_input fills it and the input core registers it
/// (drivers/input/input.c), and what /sys/class/input/inputN then shows.
struct LinuxInputDevice {
    /// An event type's code bitmap: its type, its sysfs name, how many codes Linux keeps
    /// (`KEY_CNT`...) and the highest one sysfs prints (`KEY_MAX`...), from
    /// include/uapi/linux/input-event-codes.h.
    struct CodeType: Sendable {
        let type: Int
        let name: String
        let count: Int
        let max: Int
    }

    static let key = CodeType(type: 0x01, name: "key", count: 0x300, max: 0x2ff)
    static let rel = CodeType(type: 0x02, name: "rel", count: 0x10, max: 0x0f)
    static let abs = CodeType(type: 0x03, name: "abs", count: 0x40, max: 0x3f)
    static let msc = CodeType(type: 0x04, name: "msc", count: 0x08, max: 0x07)
    static let sw = CodeType(type: 0x05, name: "sw", count: 0x11, max: 0x10)
    static let led = CodeType(type: 0x11, name: "led", count: 0x10, max: 0x0f)
    static let snd = CodeType(type: 0x12, name: "snd", count: 0x08, max: 0x07)
    static let ff = CodeType(type: 0x15, name: "ff", count: 0x80, max: 0x7f)
    /// The code bitmaps in the order sysfs lists capabilities/ (`input_dev_caps_attrs`).
    static let codeTypes = [key, rel, abs, msc, led, snd, ff, sw]
    static let evMax = 0x1f
    static let propMax = 0x1f
    static let evRep = 0x14
    static let absMTSlot = 0x2f
    static let absMTTrackingID = 0x39
    /// `BUS_VIRTUAL`, the bus type when the device gives no IDs.
    static let busVirtual: UInt64 = 0x06

    /// One axis's `struct input_absinfo`, as signed ints.
    struct AbsInfo: Equatable {
        var minimum: Int32 = 0
        var maximum: Int32 = 0
        var fuzz: Int32 = 0
        var flat: Int32 = 0
        var resolution: Int32 = 0

        /// How the user reads it with EVIOCGABS.
        var description: String {
            "min \(minimum) max \(maximum) fuzz \(fuzz) flat \(flat) res \(resolution)"
        }
    }

    /// `struct virtio_input`'s `char name[64]; char serial[64]; char phys[64];`, back to back.
    var name = [UInt8](repeating: 0, count: 64)
    var serial = [UInt8](repeating: 0, count: 64)
    var phys = [UInt8](repeating: 0, count: 64)
    var id = (bustype: UInt64(0), vendor: UInt64(0), product: UInt64(0), version: UInt64(0))
    var propbit = Set<Int>()
    var evbit = Set<Int>()
    var codes: [Int: Set<Int>] = [:]
    /// `dev->absinfo`, allocated by the first `input_set_abs_params`.
    var absinfo: [Int: AbsInfo]?

    /// `input_set_abs_params`: EV_ABS and the axis set, its range, fuzz and flat (resolution kept).
    mutating func setAbsParams(_ axis: Int, minimum: Int32, maximum: Int32, fuzz: Int32, flat: Int32) {
        evbit.insert(Self.abs.type)
        codes[Self.abs.type, default: []].insert(axis)
        var table = absinfo ?? [:]
        var info = table[axis] ?? AbsInfo()
        (info.minimum, info.maximum, info.fuzz, info.flat) = (minimum, maximum, fuzz, flat)
        table[axis] = info
        absinfo = table
    }

    /// `input_mt_init_slots(dev, num_slots, 0)` (drivers/input/input-mt.c): nothing for 0 slots,
    /// -EINVAL past 1024, else ABS_MT_SLOT over the slots and ABS_MT_TRACKING_ID over 0..TRKID_MAX.
    mutating func initSlots(_ count: UInt32) -> Int? {
        guard count != 0 else { return nil }
        guard count <= 1024 else { return -22 }
        setAbsParams(Self.absMTSlot, minimum: 0, maximum: Int32(count) - 1, fuzz: 0, flat: 0)
        setAbsParams(Self.absMTTrackingID, minimum: 0, maximum: 0xffff, fuzz: 0, flat: 0)
        return nil
    }

    /// `input_register_device`: refuses an absolute device without absinfo; sets EV_SYN, clears
    /// KEY_RESERVED and every code bitmap whose type is not in evbit (`input_cleanse_bitmasks`).
    mutating func register() -> String? {
        if evbit.contains(Self.abs.type) && absinfo == nil {
            return "Absolute device without dev->absinfo, refusing to register"
        }
        evbit.insert(0)
        codes[Self.key.type]?.remove(0)
        for type in Self.codeTypes where !evbit.contains(type.type) { codes[type.type] = nil }
        return nil
    }

    /// A C string at `offset` in name, serial and phys together: a field without its NUL runs on into
    /// the next, as `%s` reads it.
    func string(at offset: Int) -> String {
        let bytes = (name + serial + phys).dropFirst(offset).prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `input_print_bitmap`: the bitmap's `unsigned long` words (64-bit on x86-64) in hex from the
    /// highest word sysfs prints (BITS_TO_LONGS(max)) down, leading zero words skipped, the rest
    /// separated by spaces; `0` when empty.
    static func sysfsBitmap(_ bits: Set<Int>, max: Int) -> String {
        let words = (max + 63) / 64
        var printed: [String] = []
        for word in stride(from: words - 1, through: 0, by: -1) {
            let value = bits.filter { $0 / 64 == word }.reduce(UInt64(0)) { $0 | UInt64(1) << UInt64($1 % 64) }
            if value != 0 || !printed.isEmpty { printed.append(String(value, radix: 16)) }
        }
        return printed.isEmpty ? "0" : printed.joined(separator: " ")
    }

    /// /sys/class/input/inputN as a user reads it: name, uniq, id/*, properties, capabilities/*, and
    /// each axis's absinfo (EVIOCGABS on /dev/input/eventN).
    var view: DriverView {
        var view = DriverView()
        view.set("name", .text(string(at: 0)))
        view.set("uniq", .text(string(at: 64)))
        for (name, value) in [("bustype", id.bustype), ("vendor", id.vendor), ("product", id.product), ("version", id.version)] {
            view.set("id." + name, .text(Self.hex4(value)))
        }
        view.set("properties", .text(Self.sysfsBitmap(propbit, max: Self.propMax)))
        view.set("capabilities.ev", .text(Self.sysfsBitmap(evbit, max: Self.evMax)))
        for type in Self.codeTypes {
            view.set("capabilities." + type.name, .text(Self.sysfsBitmap(codes[type.type] ?? [], max: type.max)))
        }
        for axis in (codes[Self.abs.type] ?? []).sorted() {
            view.set("absinfo.\(axis)", .text((absinfo?[axis] ?? AbsInfo()).description))
        }
        return view
    }

    /// `%04x`.
    static func hex4(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}
