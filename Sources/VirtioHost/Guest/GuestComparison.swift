import ConfigLayout
import Rendering
import VirtioModel

/// One value of the guest's, beside the driver model's prediction of it and where it came from.
public struct GuestRow: Sendable {
    /// The device it belongs to, in a run of several: `console`, `blk (packed)`.
    public let device: String
    /// `logical_block_size`, `features`, `kernel log`.
    public let name: String
    public let predicted: String
    public let guest: String
    /// What the value follows from: the field the driver read, where it read it and what cfgspace
    /// served there (`blk_size read at 20: 00 10 00 00; served at 12 (packed)`).
    public let source: String

    public var agrees: Bool { predicted == guest }

    public init(device: String = "", name: String, predicted: String, guest: String, source: String) {
        self.device = device
        self.name = name
        self.predicted = predicted
        self.guest = guest
        self.source = source
    }
}

/// Holds a guest's view of its disk against a driver model's, value by value.
enum GuestComparison {
    /// The /sys/block/vda values the guest's init reports (`vda.NAME`), as the blk model names them.
    static let blockNames = ["size", "logical_block_size", "physical_block_size", "minimum_io_size", "optimal_io_size",
                             "discard_max_bytes", "discard_granularity", "write_zeroes_max_bytes", "write_cache",
                             "alignment_offset", "ro", "queues"]

    /// The guest's view as its init reported it, under the names the blk model uses: `vda.NAME` and
    /// `vda.dmesg`, or under another prefix (`vdpa0.vda.NAME`, with its log lines under `log`).
    static func view(_ report: GuestReport, prefix: String = "vda", log: String = "vda.dmesg") -> DriverView {
        var view = DriverView()
        let hasDisk = report.value("\(prefix).missing") == nil && report.value("\(prefix).size") != nil
        view.set("disk", .text(hasDisk ? "vda" : "none"))
        if hasDisk {
            for name in blockNames { view.set(name, report.value("\(prefix).\(name)").map { .text($0) } ?? .absent) }
        }
        view.log = report.values(log).map(withoutDevicePrefix)
        return view
    }

    /// A kernel log line without the device prefix `dev_info` and the like give a virtio device's lines
    /// (`virtio_blk virtio0: `, `virtio_mem virtio3: `).
    static func withoutDevicePrefix(_ line: String) -> String {
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard words.count == 3, words[1].hasPrefix("virtio"), words[1].hasSuffix(":"), words[1].count > 7,
              words[1].dropFirst(6).dropLast().allSatisfy(\.isNumber) else { return line }
        return String(words[2].drop { $0 == " " })
    }

    static func rows(predicted: DriverPrediction, log: [String], guest: DriverView, guestFeatures: String,
                     served: ServedDevice?) -> [GuestRow] {
        var rows = [GuestRow(name: "features", predicted: predicted.featureBits, guest: guestFeatures,
                             source: "offered by QEMU's front-end, kept by virtio_blk's table and the transport")]
        rows.append(GuestRow(name: "disk", predicted: predicted.view["disk"]?.description ?? "none",
                             guest: guest["disk"]?.description ?? "none",
                             source: predicted.failure.map { "the probe fails: \($0)" } ?? "virtblk_probe succeeds"))
        let hasDisk = predicted.view["disk"] == .text("vda") || guest["disk"] == .text("vda")
        for name in blockNames where hasDisk {
            let entry = predicted.view.entries.first { $0.name == name }
            rows.append(GuestRow(name: name, predicted: entry?.value.description ?? "—", guest: guest[name]?.description ?? "—",
                                 source: source(of: entry, reads: predicted.reads, served: served)))
        }
        let lines = max(log.count, guest.log.count)
        for index in 0..<lines {
            rows.append(GuestRow(name: "kernel log", predicted: line(log, index), guest: line(guest.log, index),
                                 source: "virtio_blk's line \(index + 1)"))
        }
        return rows
    }

    private static func line(_ lines: [String], _ index: Int) -> String { index < lines.count ? lines[index] : "—" }

    /// Where a value came from: the driver's read of its field, and what cfgspace served for it.
    private static func source(of entry: DriverView.Entry?, reads: [DriverRead], served: ServedDevice?) -> String {
        guard let entry else { return "" }
        guard let field = entry.fields.first else { return entry.name == "ro" ? "the RO feature" : "" }
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
