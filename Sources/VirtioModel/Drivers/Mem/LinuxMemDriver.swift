import ConfigLayout

/// Linux 6.1's virtio_mem (drivers/virtio/virtio_mem.c `virtio_mem_probe`, `virtio_mem_init`,
/// `virtio_mem_init_hotplug`, `virtio_mem_run_wq`, `virtio_mem_refresh_config`): plugged_size,
/// block_size, node_id (whether ACPI_PXM was negotiated or not), addr and region_size read once at
/// probe and never checked; DRIVER_OK; then the worker reads plugged_size, usable_region_size and
/// requested_size and plugs toward requested_size, as again on every config change. What a user
/// sees: the driver's log, the device's region and the memory it added in /proc/iomem, the memory
/// blocks under /sys/devices/system/memory (offline until the user onlines them: Debian does not
/// online hotplugged memory), and MemTotal once they are online.
struct LinuxMemDriver: DriverModel {
    static let kind = DriverKind(
        name: "linux-6.1", layout: "mem",
        summary: "Linux 6.1's virtio_mem: reads node_id without ACPI_PXM; plugs requested_size in sub- or big blocks",
        follows: "drivers/virtio/virtio_mem.c `virtio_mem_init`, `virtio_mem_init_hotplug`, `virtio_mem_refresh_config`, "
            + "`virtio_mem_sbm_plug_request`, `virtio_mem_bbm_plug_request`",
        fields: ["block_size", "node_id", "addr", "region_size", "usable_region_size", "plugged_size", "requested_size"],
        isReference: true, make: { LinuxMemDriver() })

    /// `virtio_mem_features[]`: ACPI_PXM (Debian builds CONFIG_NUMA and CONFIG_ACPI_NUMA) and
    /// UNPLUGGED_INACCESSIBLE.
    static let featureTable = ["ACPI_PXM", "UNPLUGGED_INACCESSIBLE"]

    func probe(_ session: DriverSession) -> DriverResult {
        let (unsupported, failure) = LinuxVirtioCore.negotiate(session, table: Self.featureTable, driver: "virtio_mem")
        if let failure { return failure }
        session.stage = "virtio_mem_init"
        // "Fetch all properties that can't change", each le64 in a generation loop.
        let pluggedAtProbe = read(session, "plugged_size")
        let blockSize = read(session, "block_size")
        // node_id is read whatever was negotiated (a single 16-bit read), and used only under ACPI_PXM.
        let nodeID = session.readLittleEndian("node_id")
        if !session.has("ACPI_PXM") {
            session.note("node_id read without ACPI_PXM, where it \"has no meaning\" (virtio_mem_init); then ignored")
        } else if nodeID != 0 {
            session.note("node_id \(nodeID) is no proximity domain of a one-node guest: nid from the address instead")
        }
        let addr = read(session, "addr")
        let regionSize = read(session, "region_size")
        var view = DriverView()
        // A one-node guest: pxm_to_node(0) is 0, and memory_add_physaddr_to_nid falls back to node 0.
        view.log = ["start address: 0x" + hex(addr), "region size: 0x" + hex(regionSize),
                    "device block size: 0x" + hex(blockSize), "nid: 0"]
        var plugging = VirtioMemPlugging(addr: addr, regionSize: regionSize, deviceBlockSize: blockSize)
        view.log += plugging.alignmentWarnings
        view.log.append("memory block size: 0x" + hex(VirtioMemPlugging.memoryBlock))
        view.log.append((plugging.inSBM ? "subblock size: 0x" : "big block size: 0x") + hex(plugging.unit))
        if pluggedAtProbe != 0 { view.log.append("unplugging all memory is required") }
        view.set("start_address", .text("0x" + hex(addr)), from: ["addr"])
        view.set("region_size", .text("0x" + hex(regionSize)), from: ["region_size"])
        view.set("device_block_size", .text("0x" + hex(blockSize)), from: ["block_size"])
        view.set("nid", 0, from: session.has("ACPI_PXM") ? ["node_id"] : [])
        view.set("memory_block_size", .text("0x" + hex(VirtioMemPlugging.memoryBlock)))
        view.set("subblock_size", plugging.inSBM ? .text("0x" + hex(plugging.unit)) : .absent, from: ["block_size"])
        view.set("big_block_size", plugging.inSBM ? .absent : .text("0x" + hex(plugging.unit)), from: ["block_size"])
        // parent resource: __request_mem_region(addr, region_size, dev_name(...)).
        view.set("region", .text(LinuxPmemDriver.iomemRange(addr, addr &+ regionSize &- 1)), from: ["addr", "region_size"])
        session.transport.addStatus(.driverOK)
        // The first worker run, queued with config_changed set (after an UNPLUG_ALL when memory was
        // still plugged, which leaves the driver's plugged size at 0).
        refresh(session, &view, &plugging)
        return DriverResult(view: view, failure: nil, unsupported: unsupported)
    }

    /// `virtio_mem_config_changed` queues the worker, which reads the dynamic fields again and plugs
    /// toward the new request; by then the user has onlined what was added before (as the guest
    /// does), so the offline threshold counts only the new blocks. A smaller request would unplug,
    /// which is not modelled: the values stay as they were.
    func configChanged(_ session: DriverSession, view: DriverView) -> DriverView {
        guard let addr = number(view["start_address"]), let regionSize = number(view["region_size"]),
              let blockSize = number(view["device_block_size"]), case .number(let kib)? = view["memtotal_added_kib"] else {
            return view
        }
        var plugging = VirtioMemPlugging(addr: addr, regionSize: regionSize, deviceBlockSize: blockSize)
        plugging.plug(toward: kib * 1024, usableRegionSize: regionSize)
        plugging.onlineAll()
        var view = view
        refresh(session, &view, &plugging)
        return view
    }

    /// `virtio_mem_refresh_config` and the plugging that follows: plugged_size (held against the
    /// driver's own, WARN_ON_ONCE), usable_region_size, requested_size; the two log lines; then the
    /// memory added and plugged.
    private func refresh(_ session: DriverSession, _ view: inout DriverView, _ plugging: inout VirtioMemPlugging) {
        session.stage = "virtio_mem_refresh_config"
        let devicePlugged = read(session, "plugged_size")
        if devicePlugged != plugging.plugged {
            session.note("the device's plugged_size 0x\(hex(devicePlugged)) is not the driver's 0x\(hex(plugging.plugged)): "
                         + "WARN_ON_ONCE, and the device's is taken")
        }
        let usable = read(session, "usable_region_size")
        let requested = read(session, "requested_size")
        view.log += ["plugged size: 0x" + hex(devicePlugged), "requested size: 0x" + hex(requested)]
        view.set("plugged_size", .text("0x" + hex(devicePlugged)), from: ["plugged_size"])
        view.set("requested_size", .text("0x" + hex(requested)), from: ["requested_size"])
        if requested < plugging.plugged { session.note("a smaller requested_size unplugs memory, which is not modelled") }
        if plugging.deviceBlockSize == 0 && requested > plugging.plugged {
            // "nb_vm_blocks = size / vm->device_block_size" (virtio_mem_send_plug_request): the worker's
            // first plug divides by zero, an oops in the kworker; nothing is plugged.
            session.note("block_size 0 is no power of two (\"The device MUST set block_size to a power of two\"), and "
                         + "the driver does not check it: the first plug request "
                         + "divides by zero (virtio_mem.c virtio_mem_send_plug_request, v6.1 l.1354)")
            view.log.append("divide error in virtio_mem_run_wq")
        } else {
            plugging.plug(toward: requested, usableRegionSize: usable)
        }
        // Where the added memory starts follows from addr, how much from requested_size (in units of
        // block_size, as far as usable_region_size reaches).
        let ram = plugging.systemRAM.map { LinuxPmemDriver.iomemRange($0.start, $0.end) } ?? "none"
        view.set("system_ram", .text(ram), from: ["addr", "requested_size"])
        view.set("memory_blocks", .text(plugging.memoryBlocks.isEmpty ? "none" : plugging.memoryBlocks.map(String.init)
                     .joined(separator: " ")), from: ["addr", "requested_size"])
        // Once the user onlines the blocks, MemTotal grows by what is plugged in them.
        view.set("memtotal_added_kib", plugging.plugged / 1024, from: ["requested_size"])
    }

    /// A le64 read as `virtio_cread_le` does it: a generation loop around two 32-bit reads.
    private func read(_ session: DriverSession, _ field: String) -> UInt64 {
        session.consistently { session.readLittleEndian(field) }
    }

    private func hex(_ value: UInt64) -> String { String(value, radix: 16) }

    private func number(_ value: DriverValue?) -> UInt64? {
        guard case .text(let text)? = value, text.hasPrefix("0x") else { return nil }
        return UInt64(text.dropFirst(2), radix: 16)
    }
}
