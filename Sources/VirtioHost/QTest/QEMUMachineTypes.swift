/// QEMU 7.2's x86 machine types and the compat properties each applies to virtio devices: a fact
/// table transcribed from v7.2.0's `hw_compat_*` arrays (hw/core/machine.c) and `pc_compat_*` arrays
/// (hw/i386/pc.c), their virtio and vhost entries only (the rest set other devices). Each versioned
/// machine applies the arrays of its own version and of every later one, oldest last, so an older
/// array's entry wins (`pc_i440fx_X_machine_options` and `pc_q35_X_machine_options` call the next
/// version's, then `compat_props_add`, hw/i386/pc_piix.c and pc_q35.c). Debian's 7.2.22 adds only
/// MSI-X vector counts to these arrays.
public enum QEMUMachineTypes {
    /// One compat entry, as QEMU's `GlobalProperty` holds it.
    public struct Global: Sendable, Equatable {
        /// The QOM type it applies to, with every type derived from it: `virtio-balloon-device`.
        public let type: String
        public let property: String
        public let value: String
        /// Where it is set: `hw_compat_4_0`, or `-global` for one given on the command line.
        public var source: String = ""

        init(_ type: String, _ property: String, _ value: String) {
            self.type = type
            self.property = property
            self.value = value
        }

        public init(type: String, property: String, value: String, source: String) {
            self.type = type
            self.property = property
            self.value = value
            self.source = source
        }
    }

    /// `hw_compat_X_Y`, newest first: every virtio and vhost entry.
    static let hwCompat: [(version: String, globals: [Global])] = [
        ("7.1", [.init("virtio-device", "queue_reset", "false")]),
        ("7.0", []),
        ("6.2", []),
        ("6.1", [.init("vhost-user-vsock-device", "seqpacket", "off")]),
        ("6.0", [.init("vhost-vsock-device", "seqpacket", "off")]),
        ("5.2", [.init("virtio-blk-device", "report-discard-granularity", "off"),
                 .init("virtio-net-pci-base", "vectors", "3")]),
        ("5.1", [.init("vhost-scsi", "num_queues", "1"), .init("vhost-user-blk", "num-queues", "1"),
                 .init("vhost-user-scsi", "num_queues", "1"), .init("virtio-blk-device", "num-queues", "1"),
                 .init("virtio-scsi-device", "num_queues", "1"), .init("virtio-pci", "x-ats-page-aligned", "off")]),
        ("5.0", [.init("virtio-balloon-device", "page-poison", "false"),
                 .init("virtio-device", "x-disable-legacy-check", "true")]),
        ("4.2", [.init("virtio-blk-device", "queue-size", "128"), .init("virtio-scsi-device", "virtqueue_size", "128"),
                 .init("virtio-blk-device", "x-enable-wce-if-config-wce", "off"),
                 .init("virtio-blk-device", "seg-max-adjust", "off"), .init("virtio-scsi-device", "seg_max_adjust", "off"),
                 .init("vhost-blk-device", "seg_max_adjust", "off"), .init("virtio-device", "use-disabled-flag", "false")]),
        ("4.1", [.init("virtio-pci", "x-pcie-flr-init", "off")]),
        ("4.0", [.init("virtio-vga", "edid", "false"), .init("virtio-gpu-device", "edid", "false"),
                 .init("virtio-device", "use-started", "false"),
                 .init("virtio-balloon-device", "qemu-4-0-config-size", "true")]),
        ("3.1", [.init("virtio-blk-device", "discard", "false"), .init("virtio-blk-device", "write-zeroes", "false"),
                 .init("virtio-balloon-device", "qemu-4-0-config-size", "false")]),
        ("3.0", []),
        ("2.12", []),
        ("2.11", [.init("virtio-blk-pci", "vectors", "2"), .init("vhost-user-blk-pci", "vectors", "2")]),
        ("2.10", [.init("virtio-mouse-device", "wheel-axis", "false"), .init("virtio-tablet-device", "wheel-axis", "false")]),
        ("2.9", [.init("virtio-net-device", "x-mtu-bypass-backend", "off")]),
        ("2.8", [.init("virtio-pci", "x-pcie-deverr-init", "off"), .init("virtio-pci", "x-pcie-lnkctl-init", "off"),
                 .init("virtio-pci", "x-pcie-pm-init", "off")]),
        ("2.7", [.init("virtio-pci", "page-per-vq", "on"), .init("virtio-serial-device", "emergency-write", "off"),
                 .init("virtio-pci", "x-ignore-backend-features", "on")]),
        // Both optional: "not all virtio-pci devices support legacy mode".
        ("2.6", [.init("virtio-mmio", "format_transport_address", "off"), .init("virtio-pci", "disable-modern", "on"),
                 .init("virtio-pci", "disable-legacy", "off")]),
        ("2.5", []),
        ("2.4", [.init("virtio-blk-device", "scsi", "true"), .init("virtio-pci", "x-disable-pcie", "on"),
                 .init("virtio-pci", "migrate-extra", "off")]),
        ("2.3", [.init("virtio-blk-pci", "any_layout", "off"), .init("virtio-balloon-pci", "any_layout", "off"),
                 .init("virtio-serial-pci", "any_layout", "off"), .init("virtio-9p-pci", "any_layout", "off"),
                 .init("virtio-rng-pci", "any_layout", "off")]),
        ("2.2", []),
        ("2.1", [.init("virtio-scsi-pci", "any_layout", "off"),
                 .init("virtio-pci", "virtio-pci-bus-master-bug-migration", "on")]),
    ]

    /// `pc_compat_X_Y`, newest first: every virtio entry (2.0 and older exist for i440fx only).
    static let pcCompat: [(version: String, globals: [Global])] = [
        ("7.1", []), ("7.0", []),
        ("6.2", [.init("virtio-mem", "unplugged-inaccessible", "off")]),
        ("6.1", []), ("6.0", []), ("5.2", []), ("5.1", []), ("5.0", []), ("4.2", []), ("4.1", []), ("4.0", []),
        ("3.1", []), ("3.0", []), ("2.12", []), ("2.11", []), ("2.10", []), ("2.9", []), ("2.8", []), ("2.7", []),
        ("2.6", []), ("2.5", []), ("2.4", []), ("2.3", []), ("2.2", []), ("2.1", []),
        ("2.0", [.init("virtio-scsi-pci", "any_layout", "off"), .init("virtio-net-pci", "guest_announce", "off")]),
        ("1.7", []), ("1.6", []),
        ("1.5", [.init("virtio-net-pci", "any_layout", "off")]),
        ("1.4", [.init("virtio-blk-pci", "discard_granularity", "0"), .init("virtio-serial-pci", "vectors", "0xFFFFFFFF"),
                 .init("virtio-net-pci", "ctrl_guest_offloads", "off"), .init("virtio-net-pci", "romfile", "pxe-virtio.rom")]),
    ]

    /// The machines without versions, which apply no compat array: `microvm`, `isapc` (no PCI),
    /// `none` and `x-remote`.
    static let unversioned = ["microvm", "isapc", "none", "x-remote"]

    /// The versions `qemu-system-x86_64 -machine help` lists: i440fx from 1.4, q35 from 2.4 (and
    /// `pc-q35-4.0.1`, the 4.0-stable default, which applies 4.0's arrays too: pc_q35.c).
    static let i440fxVersions: [String] = pcCompat.map(\.version)
    static let q35Versions: [String] = Array(hwCompat.map(\.version).prefix { $0 != "2.3" })

    /// The newest versioned machines, which the aliases `pc` and `q35` name.
    public static let newest = "7.2"

    /// A machine type's canonical name: `pc` is `pc-i440fx-7.2`, `q35` is `pc-q35-7.2`.
    public static func canonical(_ machine: String) -> String {
        switch machine {
        case "pc": "pc-i440fx-\(newest)"
        case "q35": "pc-q35-\(newest)"
        default: machine
        }
    }

    /// The compat properties a machine type applies, in the order QEMU registers them (later ones
    /// win), each with its array; nil for a machine type this table does not know.
    public static func compatProperties(of machine: String) -> [Global]? {
        let name = canonical(machine)
        if unversioned.contains(name) { return [] }
        let version: String
        let known: [String]
        if name.hasPrefix("pc-i440fx-") {
            version = String(name.dropFirst("pc-i440fx-".count))
            known = i440fxVersions
        } else if name.hasPrefix("pc-q35-") {
            version = String(name.dropFirst("pc-q35-".count)) == "4.0.1" ? "4.0" : String(name.dropFirst("pc-q35-".count))
            known = q35Versions
        } else {
            return nil
        }
        if version == newest { return [] }
        guard known.contains(version) else { return nil }
        // Every array from 7.1 down to the machine's own version, hw before pc at each version.
        var globals: [Global] = []
        for entry in pcCompat {
            if let hw = hwCompat.first(where: { $0.version == entry.version }) {
                globals += hw.globals.map { Global(type: $0.type, property: $0.property, value: $0.value,
                                                   source: "hw_compat_" + hw.version.replacingOccurrences(of: ".", with: "_")) }
            }
            globals += entry.globals.map { Global(type: $0.type, property: $0.property, value: $0.value,
                                                  source: "pc_compat_" + entry.version.replacingOccurrences(of: ".", with: "_")) }
            if entry.version == version { return globals }
        }
        return nil
    }
}
