import ConfigLayout
import VirtioModel

/// One value of the guest's, beside the driver model's prediction of it and where it came from.
public struct GuestRow: Sendable {
    /// `logical_block_size`, `features`, `kernel log`.
    public let name: String
    public let predicted: String
    public let guest: String
    /// What the value follows from: the field the driver read, where it read it and what cfgspace
    /// served there (`blk_size read at 20: 00 10 00 00; served at 12 (packed)`).
    public let source: String

    public var agrees: Bool { predicted == guest }
}

/// Holds a guest's view of its disk against a driver model's, value by value.
enum GuestComparison {
    /// The config field each /sys value follows from.
    static let sources: [String: String] = [
        "size": "capacity", "logical_block_size": "blk_size", "physical_block_size": "topology.physical_block_exp",
        "minimum_io_size": "topology.min_io_size", "optimal_io_size": "topology.opt_io_size",
        "discard_max_bytes": "max_discard_sectors", "discard_granularity": "discard_sector_alignment",
        "write_zeroes_max_bytes": "max_write_zeroes_sectors", "write_cache": "writeback",
        "alignment_offset": "topology.alignment_offset", "queues": "num_queues",
    ]

    /// The guest's view as its init reported it.
    static func view(_ report: GuestReport) -> LinuxBlkView {
        let hasDisk = report.value("vda.missing") == nil && report.value("vda.size") != nil
        var sysfs: [String: String] = [:]
        for name in LinuxBlkView.sysfsNames { sysfs[name] = report.value("vda.\(name)") }
        return LinuxBlkView(hasDisk: hasDisk, features: report.value("vda.features") ?? "",
                            sysfs: hasDisk ? sysfs : [:],
                            kernelLog: report.values("vda.dmesg").map(LinuxBlkView.withoutDevicePrefix),
                            failure: nil)
    }

    static func rows(predicted: LinuxBlkView, guest: LinuxBlkView, reads: [DriverRead], served: ServedDevice?) -> [GuestRow] {
        var rows = [GuestRow(name: "features", predicted: predicted.features, guest: guest.features,
                             source: "offered by QEMU's front-end, kept by virtio_blk's table and the transport")]
        rows.append(GuestRow(name: "disk", predicted: predicted.hasDisk ? "vda" : "none", guest: guest.hasDisk ? "vda" : "none",
                             source: predicted.failure.map { "the probe fails: \($0)" } ?? "virtblk_probe succeeds"))
        for name in LinuxBlkView.sysfsNames where predicted.hasDisk || guest.hasDisk {
            rows.append(GuestRow(name: name, predicted: predicted.sysfs[name] ?? "—", guest: guest.sysfs[name] ?? "—",
                                 source: source(of: name, reads: reads, served: served)))
        }
        let lines = max(predicted.kernelLog.count, guest.kernelLog.count)
        for index in 0..<lines {
            rows.append(GuestRow(name: "kernel log", predicted: line(predicted.kernelLog, index), guest: line(guest.kernelLog, index),
                                 source: "virtio_blk's line \(index + 1)"))
        }
        return rows
    }

    private static func line(_ lines: [String], _ index: Int) -> String { index < lines.count ? lines[index] : "—" }

    /// Where a value came from: the driver's read of its field, and what cfgspace served for it.
    private static func source(of name: String, reads: [DriverRead], served: ServedDevice?) -> String {
        if name == "ro" { return "the RO feature" }
        guard let field = sources[name] else { return "" }
        var parts: [String] = []
        if let read = reads.last(where: { $0.field == field }) {
            parts.append("\(field) read at \(read.offset): " + hexBytes(read.bytes))
        } else {
            parts.append("\(field) not read")
        }
        if let served, let placed = served.image.layout.field(field), let offset = placed.offset,
           let value = served.image.value(field) {
            parts.append("served \(value.description) at \(offset) (\(served.interpretation.rawValue))")
        }
        return parts.joined(separator: "; ")
    }

}
