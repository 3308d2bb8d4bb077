import ConfigLayout

/// Linux 6.1's virtio_pmem (drivers/nvdimm/virtio_pmem.c `virtio_pmem_probe`): no feature of its own,
/// start and size read once with LE accessors and never checked, DRIVER_OK set inside probe before
/// the nvdimm region is created. What a user then sees comes from libnvdimm and nd_pmem
/// (drivers/nvdimm/region_devs.c, pmem.c): the region, the pmem0 disk, and /proc/iomem; a range the
/// pages cannot be mapped for (not 2 MiB aligned) or a namespace under a page leaves no disk.
/// There is no config_changed.
struct LinuxPmemDriver: DriverModel {
    static let kind = DriverKind(
        name: "linux-6.1", layout: "pmem",
        summary: "Linux 6.1's virtio_pmem: start and size unchecked; libnvdimm and nd_pmem refuse what they cannot map",
        follows: "drivers/nvdimm/virtio_pmem.c `virtio_pmem_probe`; region_devs.c; namespace_devs.c "
            + "`nvdimm_namespace_common_probe`; pmem.c `pmem_attach_disk`",
        fields: ["start", "size"], isReference: true, make: { LinuxPmemDriver() })

    /// `SUBSECTION_SIZE` on x86-64: `memremap_compat_align()` (mm/memremap.c).
    static let subsection: UInt64 = 2 << 20
    /// `MEMREMAP_COMPAT_ALIGN_MAX` (region_devs.c `default_align`).
    static let compatAlign: UInt64 = 16 << 20
    static let page: UInt64 = 4096

    func probe(_ session: DriverSession) -> DriverResult {
        let (unsupported, failure) = LinuxVirtioCore.negotiate(session, table: [], driver: "virtio_pmem")
        if let failure { return failure }
        session.stage = "virtio_pmem_probe"
        // virtio_cread_le of a u64: __virtio_cread_many, a generation loop around two 32-bit reads.
        let start = session.consistently { session.readLittleEndian("start") }
        let size = session.consistently { session.readLittleEndian("size") }
        // "virtio_device_ready(vdev)" before nvdimm_pmem_region_create.
        session.transport.addStatus(.driverOK)
        var view = DriverView()
        var log: [String] = []
        view.set("provider", .text("virtio-pmem"))
        // res.end = start + size - 1: the region's size is resource_size(res), size itself.
        view.set("region.size", size, from: ["size"])
        view.set("region.resource", .text(Self.cHex(start)), from: ["start"])
        view.set("region.align", .text(Self.cHex(size < Self.compatAlign ? Self.page : Self.compatAlign)), from: ["size"])
        let end = start &+ size &- 1
        // nd_pmem's probe: nvdimm_namespace_common_probe, then pmem_attach_disk.
        if size < Self.page {
            // "too small must be at least %#x" (dev_dbg) below ND_MIN_NAMESPACE_SIZE, -ENODEV: silent.
            session.note("a namespace of \(size) bytes is under a page: nd_pmem does not bind it, silently")
        } else if start % Self.subsection != 0 || (end &+ 1) % Self.subsection != 0 {
            // A namespace whose pages would be mapped (pmem_should_map_pages) must start and end on
            // memremap_compat_align(), SUBSECTION_SIZE: "%pr misaligned, unable to map", -EOPNOTSUPP.
            log.append("nd_pmem namespace0.0: [mem \(Self.resourceHex(start))-\(Self.resourceHex(end)) flags 0x200] "
                       + "misaligned, unable to map")
            log.append("nd_pmem: probe of namespace0.0 failed with error -95")
        } else {
            // A virtio-pmem region has no flush hint (nvdimm_has_flush): pmem_attach_disk warns.
            log.append("nd_pmem namespace0.0: unable to guarantee persistence of writes")
            // set_capacity(disk, size / 512) for a raw namespace; devm_request_mem_region names it.
            view.set("disk", .text("pmem0"), from: ["start", "size"])
            view.set("disk.size", size / 512, from: ["size"])
            view.set("iomem", .text(Self.iomemRange(start, end) + " : namespace0.0"), from: ["start", "size"])
        }
        if view["disk"] == nil { view.set("disk", .text("none"), from: ["start", "size"]) }
        view.log = log
        return DriverResult(view: view, failure: nil, unsupported: unsupported)
    }

    /// An address as `%pr` prints it (lib/vsprintf.c `resource_string`, mem_spec): 0x and at least
    /// eight hex digits.
    static func resourceHex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - text.count)) + text
    }

    /// `%#llx`: 0x and hex, but a bare 0 for zero.
    static func cHex(_ value: UInt64) -> String { value == 0 ? "0" : "0x" + String(value, radix: 16) }

    /// A /proc/iomem range (kernel/resource.c `r_show`): each end in at least 8 hex digits.
    static func iomemRange(_ start: UInt64, _ end: UInt64) -> String {
        func padded(_ value: UInt64) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, 8 - text.count)) + text
        }
        return padded(start) + "-" + padded(end)
    }
}
