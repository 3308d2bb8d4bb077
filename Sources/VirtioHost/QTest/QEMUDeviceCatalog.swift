/// What cfgspace knows of QEMU 7.2's virtio device types: which layout describes each, what harmless
/// backend lets it be created without a guest, and which configuration fields QEMU fills from which
/// `-device` property, as each device's get_config (or update_config) does it.
public struct QEMUDeviceType: Sendable {
    /// A field QEMU fills from properties, and the value it must then hold.
    public struct Binding: Sendable {
        /// The property as the user writes it (`host_mtu`), or the properties it combines.
        public let property: String
        /// The field's dotted path in the layout.
        public let field: String
        /// Where QEMU does it, cited.
        public let source: String
        /// The value the field must hold under a device spec; nil when the spec does not settle it.
        let expected: @Sendable (QEMUDeviceSpec) -> UInt64?
    }

    /// `virtio-net`: the drivers are this with `-pci`, `-device` and the like.
    public let family: String
    /// The built-in layout's name.
    public let layout: String
    /// Every driver name of the family this QEMU has.
    public let drivers: [String]
    /// Properties and command-line arguments a device needs to be created, when the user gave none.
    let backend: @Sendable (QEMUDeviceSpec) -> (device: QEMUDeviceSpec, arguments: [String])
    public let bindings: [Binding]

    /// The machine a driver needs: microvm for virtio-mmio (`-device` drivers), pc for PCI.
    public static func machine(for driver: String) -> String {
        driver.hasSuffix("-device") ? "microvm" : "pc"
    }

    /// The device spec and extra arguments that create `spec` with a harmless backend.
    public func realize(_ spec: QEMUDeviceSpec) -> (device: QEMUDeviceSpec, arguments: [String]) {
        backend(spec)
    }
}

extension QEMUDeviceType {
    /// The family a driver belongs to.
    public static func forDriver(_ driver: String) -> QEMUDeviceType? {
        catalog.first { $0.drivers.contains(driver) }
    }

    /// The QOM types a driver's objects are, with the types they derive from: its virtio device's
    /// (`virtio-balloon-device`, `virtio-device`) and its transport proxy's (`virtio-balloon-pci`,
    /// `virtio-pci`, or `virtio-mmio` for a `-device` driver). Compat properties and `-global`s name
    /// these (hw/virtio/*.c, `TypeInfo` and `VirtioPCIDeviceTypeInfo`).
    public static func qomTypes(ofDriver driver: String) -> [String] {
        let family = forDriver(driver)?.family ?? driver
        let device: [String] = switch family {
        case "virtio-scsi": ["virtio-scsi-device", "virtio-scsi-common"]
        case "virtio-gpu": ["virtio-gpu-device", "virtio-gpu-base"]
        case "virtio-mem", "virtio-pmem": [family]
        case "virtio-input":
            [driver.replacingOccurrences(of: "-pci", with: "-device"), "virtio-input-hid-device", "virtio-input-device"]
        default: ["\(family)-device"]
        }
        let proxy: [String] = if driver.hasSuffix("-device") {
            ["virtio-mmio"]
        } else {
            [driver, driver.replacingOccurrences(of: "-non-transitional", with: "")
                .replacingOccurrences(of: "-transitional", with: "") + "-base", "virtio-pci"]
        }
        return device + ["virtio-device"] + proxy
    }

    /// The PCI drivers of a family: `-pci`, `-pci-transitional`, `-pci-non-transitional` (those that exist).
    private static func pci(_ family: String, transitional: Bool = true) -> [String] {
        transitional ? ["\(family)-pci", "\(family)-pci-transitional", "\(family)-pci-non-transitional"] : ["\(family)-pci"]
    }

    private static func noBackend(_ spec: QEMUDeviceSpec) -> (device: QEMUDeviceSpec, arguments: [String]) {
        (spec, [])
    }

    private static func binding(_ property: String, _ field: String, _ source: String,
                                _ expected: @escaping @Sendable (QEMUDeviceSpec) -> UInt64?) -> Binding {
        Binding(property: property, field: field, source: source, expected: expected)
    }

    /// A field holding a property's number, or `fallback` (QEMU's default) when it is not given.
    private static func number(_ property: String, _ field: String, _ source: String, default fallback: UInt64? = nil) -> Binding {
        binding(property, field, source) { $0.number(property) ?? fallback }
    }

    /// The logical block size a blk or scsi spec gives (QEMU's default is 512).
    private static func logicalBlockSize(_ spec: QEMUDeviceSpec) -> UInt64 {
        spec.number("logical_block_size") ?? 512
    }

    /// Every device type cfgspace can probe.
    public static let catalog: [QEMUDeviceType] = [
        QEMUDeviceType(
            family: "virtio-9p", layout: "p9", drivers: pci("virtio-9p") + ["virtio-9p-device"],
            backend: { spec in
                guard spec.value("fsdev") == nil else { return (spec, []) }
                return (spec.adding("fsdev", "cfgspace-fs0").adding("mount_tag", "cfgspace"),
                        ["-fsdev", "local,id=cfgspace-fs0,path=/,security_model=none,readonly=on"])
            },
            bindings: [binding("mount_tag", "tag_len", "virtio_9p_get_config (hw/9pfs/virtio-9p-device.c)") { spec in
                spec.value("mount_tag").map { UInt64($0.utf8.count) }
            }]),
        QEMUDeviceType(
            family: "virtio-net", layout: "net", drivers: pci("virtio-net") + ["virtio-net-device"],
            backend: noBackend,
            bindings: [
                binding("mac", "mac", "virtio_net_get_config (hw/net/virtio-net.c)") { _ in nil },
                number("host_mtu", "mtu", "virtio_net_get_config (hw/net/virtio-net.c)"),
                number("speed", "speed", "virtio_net_get_config (hw/net/virtio-net.c)"),
                binding("duplex", "duplex", "virtio_net_device_realize (hw/net/virtio-net.c)") { spec in
                    switch spec.value("duplex") {
                    case "full": 1
                    case "half": 0
                    default: nil
                    }
                },
            ]),
        QEMUDeviceType(
            family: "virtio-blk", layout: "blk", drivers: pci("virtio-blk") + ["virtio-blk-device"],
            backend: { spec in
                guard spec.value("drive") == nil else { return (spec, []) }
                return (spec.adding("drive", "cfgspace-blk0"),
                        ["-blockdev", "driver=null-co,node-name=cfgspace-blk0,size=1073741824,read-zeroes=on"])
            },
            bindings: [
                binding("drive size", "capacity", "virtio_blk_update_config (hw/block/virtio-blk.c)") { spec in
                    spec.value("drive") == nil ? 1_073_741_824 / 512 : nil
                },
                binding("logical_block_size", "blk_size", "virtio_blk_update_config (hw/block/virtio-blk.c)") { spec in
                    spec.number("logical_block_size")
                },
                binding("physical_block_size", "topology.physical_block_exp", "get_physical_block_exp (hw/block/block.c)") { spec in
                    guard let physical = spec.number("physical_block_size") else { return nil }
                    let ratio = physical / logicalBlockSize(spec)
                    return ratio > 0 ? UInt64(ratio.trailingZeroBitCount) : nil
                },
                binding("min_io_size", "topology.min_io_size", "virtio_blk_update_config (hw/block/virtio-blk.c)") { spec in
                    spec.number("min_io_size").map { $0 / logicalBlockSize(spec) }
                },
                binding("opt_io_size", "topology.opt_io_size", "virtio_blk_update_config (hw/block/virtio-blk.c)") { spec in
                    spec.number("opt_io_size").map { $0 / logicalBlockSize(spec) }
                },
                number("cyls", "geometry.cylinders", "virtio_blk_update_config (hw/block/virtio-blk.c)"),
                number("heads", "geometry.heads", "virtio_blk_update_config (hw/block/virtio-blk.c)"),
                number("num-queues", "num_queues", "virtio_blk_update_config (hw/block/virtio-blk.c)"),
                binding("queue-size, seg-max-adjust", "seg_max", "virtio_blk_update_config (hw/block/virtio-blk.c)") { spec in
                    spec.flag("seg-max-adjust") == false ? 126 : (spec.number("queue-size") ?? 256) - 2
                },
                // discard_granularity reaches the config only with report-discard-granularity, which
                // hw_compat_5_2 turns off; otherwise the logical block size does.
                binding("discard_granularity, report-discard-granularity", "discard_sector_alignment",
                        "virtio_blk_update_config (hw/block/virtio-blk.c)") { spec in
                    guard spec.flag("discard") != false else { return nil }
                    let reported = spec.flag("report-discard-granularity") == false ? nil : spec.number("discard_granularity")
                    return (reported ?? logicalBlockSize(spec)) >> 9
                },
                binding("max-discard-sectors", "max_discard_sectors", "virtio_blk_update_config (hw/block/virtio-blk.c)") { spec in
                    spec.flag("discard") == false ? nil : spec.number("max-discard-sectors")
                },
                binding("max-write-zeroes-sectors", "max_write_zeroes_sectors", "virtio_blk_update_config (hw/block/virtio-blk.c)") { spec in
                    spec.flag("write-zeroes") == false ? nil : spec.number("max-write-zeroes-sectors")
                },
            ]),
        QEMUDeviceType(
            family: "virtio-scsi", layout: "scsi", drivers: pci("virtio-scsi") + ["virtio-scsi-device"],
            backend: noBackend,
            bindings: [
                number("num_queues", "num_queues", "virtio_scsi_get_config (hw/scsi/virtio-scsi.c)"),
                number("max_sectors", "max_sectors", "virtio_scsi_get_config (hw/scsi/virtio-scsi.c)", default: 0xffff),
                number("cmd_per_lun", "cmd_per_lun", "virtio_scsi_get_config (hw/scsi/virtio-scsi.c)", default: 128),
                binding("virtqueue_size, seg_max_adjust", "seg_max", "virtio_scsi_get_config (hw/scsi/virtio-scsi.c)") { spec in
                    spec.flag("seg_max_adjust") == false ? 126 : (spec.number("virtqueue_size") ?? 256) - 2
                },
            ]),
        QEMUDeviceType(
            family: "virtio-serial", layout: "console", drivers: pci("virtio-serial") + ["virtio-serial-device"],
            backend: noBackend,
            bindings: [number("max_ports", "max_nr_ports", "virtio_serial_device_realize (hw/char/virtio-serial-bus.c)", default: 31)]),
        QEMUDeviceType(
            family: "virtio-balloon", layout: "balloon", drivers: pci("virtio-balloon") + ["virtio-balloon-device"],
            backend: { spec in
                // Free page hinting runs in an iothread (virtio_balloon_device_realize refuses it without one).
                guard spec.flag("free-page-hint") == true, spec.value("iothread") == nil else { return (spec, []) }
                return (spec.adding("iothread", "cfgspace-io0"), ["-object", "iothread,id=cfgspace-io0"])
            },
            bindings: []),
        QEMUDeviceType(
            family: "virtio-rng", layout: "entropy", drivers: pci("virtio-rng") + ["virtio-rng-device"],
            backend: noBackend, bindings: []),
        QEMUDeviceType(
            family: "virtio-gpu", layout: "gpu", drivers: ["virtio-gpu-pci", "virtio-vga", "virtio-gpu-device"],
            backend: noBackend,
            bindings: [number("max_outputs", "num_scanouts", "virtio_gpu_base_get_config (hw/display/virtio-gpu-base.c)", default: 1)]),
        QEMUDeviceType(
            family: "virtio-input", layout: "input",
            drivers: ["virtio-keyboard-pci", "virtio-mouse-pci", "virtio-tablet-pci", "virtio-keyboard-device",
                      "virtio-mouse-device", "virtio-tablet-device"],
            backend: noBackend, bindings: []),
        QEMUDeviceType(
            family: "virtio-iommu", layout: "iommu", drivers: ["virtio-iommu-pci", "virtio-iommu-device"],
            backend: noBackend,
            bindings: [binding("boot-bypass", "bypass", "virtio_iommu_get_config (hw/virtio/virtio-iommu.c)") { spec in
                spec.flag("boot-bypass").map { $0 ? 1 : 0 } ?? 1
            }]),
        QEMUDeviceType(
            family: "virtio-crypto", layout: "crypto", drivers: ["virtio-crypto-pci", "virtio-crypto-device"],
            backend: { spec in
                guard spec.value("cryptodev") == nil else { return (spec, []) }
                return (spec.adding("cryptodev", "cfgspace-crypto0"), ["-object", "cryptodev-backend-builtin,id=cfgspace-crypto0"])
            },
            bindings: []),
        QEMUDeviceType(
            family: "virtio-mem", layout: "mem", drivers: ["virtio-mem-pci"],
            backend: { spec in
                guard spec.value("memdev") == nil else { return (spec, []) }
                return (spec.adding("memdev", "cfgspace-mem0"),
                        ["-m", "128M,slots=2,maxmem=1G", "-object", "memory-backend-ram,id=cfgspace-mem0,size=256M"])
            },
            bindings: [
                number("requested-size", "requested_size", "virtio_mem_get_config (hw/virtio/virtio-mem.c)", default: 0),
                number("block-size", "block_size", "virtio_mem_get_config (hw/virtio/virtio-mem.c)"),
                number("node", "node_id", "virtio_mem_get_config (hw/virtio/virtio-mem.c)", default: 0),
                binding("memdev size", "region_size", "virtio_mem_get_config (hw/virtio/virtio-mem.c)") { spec in
                    spec.value("memdev") == "cfgspace-mem0" ? 256 << 20 : nil
                },
            ]),
        QEMUDeviceType(
            family: "virtio-pmem", layout: "pmem", drivers: ["virtio-pmem-pci"],
            backend: { spec in
                guard spec.value("memdev") == nil else { return (spec, []) }
                return (spec.adding("memdev", "cfgspace-pmem0"),
                        ["-m", "128M,slots=2,maxmem=1G", "-object", "memory-backend-ram,id=cfgspace-pmem0,size=64M"])
            },
            bindings: [binding("memdev size", "size", "virtio_pmem_get_config (hw/virtio/virtio-pmem.c)") { spec in
                spec.value("memdev") == "cfgspace-pmem0" ? 64 << 20 : nil
            }]),
    ]
}
