/// What QEMU 7.2's own virtio-input devices answer for each (select, subsel), from their fixed
/// tables (hw/input/virtio-input-hid.c `virtio_keyboard_config`, `virtio_mouse_config_v1/v2`,
/// `virtio_tablet_config_v1/v2`, `virtio_input_key_config`) and the `serial` property
/// (hw/input/virtio-input.c `virtio_input_idstr_config`). Each entry is the union's bytes, `size` long.
public enum QEMUInputDevices {
    static let idName: UInt64 = 0x01, idSerial: UInt64 = 0x02, idDevids: UInt64 = 0x03
    static let evBits: UInt64 = 0x11, absInfo: UInt64 = 0x12
    static let evKey: UInt64 = 0x01, evRel: UInt64 = 0x02, evAbs: UInt64 = 0x03, evLed: UInt64 = 0x11, evRep: UInt64 = 0x14

    /// `qemu_input_map_qcode_to_linux` as `virtio_input_key_config` turns it into a bitmap: generated
    /// at QEMU's build time from ui/keycodemapdb's keymaps.csv, 147 codes up to KEY_MEDIA (0xe2), so
    /// 29 bytes; as Debian's QEMU 7.2 serves it over qtest.
    static let keyboardKeys: [UInt8] = [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xcf, 0x7b, 0xff,
                                        0xff, 0xbe, 0xfe, 0xff, 0xdf, 0x00, 0xf8, 0x78, 0x30, 0x00, 0x00, 0x00, 0x00,
                                        0x00, 0x00, 0x04]

    /// `keymap_button` as a bitmap: BTN_LEFT, RIGHT, MIDDLE, SIDE, EXTRA (0x110-0x114) and
    /// BTN_GEAR_DOWN, BTN_GEAR_UP (0x150, 0x151): 43 bytes.
    static var buttonKeys: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 0x151 / 8 + 1)
        for code in [0x110, 0x111, 0x112, 0x113, 0x114, 0x150, 0x151] { bytes[code / 8] |= 1 << (code % 8) }
        return bytes
    }

    public enum Kind: String, Sendable, CaseIterable {
        case keyboard, mouse, tablet
    }

    /// The entries of `virtio-KIND-pci` with its `serial` property (none by default).
    ///
    /// The mouse and tablet always serve their v2 tables (with the wheel): `virtio_mouse_init` and
    /// `virtio_tablet_init` choose the table by `wheel_axis` in instance_init, before any property,
    /// `-device ...,wheel-axis=off` or hw_compat_2_10's, is set. QEMU 7.2 over qtest confirms it.
    public static func contents(_ kind: Kind, serial: String? = nil) -> SelectionContents {
        func key(_ select: UInt64, _ subselect: UInt64 = 0) -> ServedDevice.Selection {
            ServedDevice.Selection(select: select, subselect: subselect)
        }
        // ".size = sizeof(VIRTIO_ID_NAME_...)": the name with its NUL.
        let names: [Kind: String] = [.keyboard: "QEMU Virtio Keyboard", .mouse: "QEMU Virtio Mouse", .tablet: "QEMU Virtio Tablet"]
        let products: [Kind: UInt8] = [.keyboard: 1, .mouse: 2, .tablet: 3]
        // The keyboard is version 1; the mouse and tablet version 2 (v2 tables).
        let version: UInt8 = kind == .keyboard ? 1 : 2
        var contents: SelectionContents = [
            key(idName): Array((names[kind] ?? "").utf8) + [0],
            // bustype BUS_VIRTUAL, vendor 0x0627 ("same we use for usb hid devices"), all le16.
            key(idDevids): [0x06, 0x00, 0x27, 0x06, products[kind] ?? 0, 0x00, version, 0x00],
        ]
        switch kind {
        case .keyboard:
            contents[key(evBits, evRep)] = [0x00]
            // LED_NUML, LED_CAPSL, LED_SCROLLL.
            contents[key(evBits, evLed)] = [0x07]
            contents[key(evBits, evKey)] = keyboardKeys
        case .mouse:
            // REL_X, REL_Y and REL_WHEEL (8).
            contents[key(evBits, evRel)] = [0x03, 0x01]
            contents[key(evBits, evKey)] = buttonKeys
        case .tablet:
            contents[key(evBits, evAbs)] = [0x03]
            contents[key(evBits, evRel)] = [0x00, 0x01]
            // ABS_X and ABS_Y over INPUT_EVENT_ABS_MIN..INPUT_EVENT_ABS_MAX (0..0x7fff), le32 each.
            let axis: [UInt8] = [0, 0, 0, 0, 0xff, 0x7f, 0, 0] + [UInt8](repeating: 0, count: 12)
            contents[key(absInfo, 0)] = axis
            contents[key(absInfo, 1)] = axis
            contents[key(evBits, evKey)] = buttonKeys
        }
        // snprintf's count: the serial without its NUL.
        if let serial, !serial.isEmpty { contents[key(idSerial)] = Array(serial.utf8.prefix(127)) }
        return contents
    }
}
