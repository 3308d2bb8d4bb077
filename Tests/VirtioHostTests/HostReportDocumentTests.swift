import Foundation
import Testing
import TestSupport
import ConfigLayout
import Rendering
@testable import VirtioModel
@testable import VirtioHost

/// The host's reports come from one document each: text and Markdown are exactly its document's,
/// and both show every piece of text it holds. The guest reports are built from their value types
/// (a real guest's run needs minutes); conform's from the fixtures the real compilers measure.
@Suite struct HostReportDocumentTests {
    /// A guest's console as its init printed it: reports among kernel lines, finished or not.
    static func guestReport(_ lines: [String], complete: Bool) -> GuestReport {
        var report = GuestReport()
        for line in lines + (complete ? ["CFGSPACE end"] : []) { report.take(line) }
        return report
    }

    static let console = ["CFGSPACE begin", "CFGSPACE kernel=6.1.0-57-cloud-amd64",
                          "[    1.204] virtio_blk virtio0: [vda] 2097152 512-byte logical blocks (1.07 GB/1.00 GiB)",
                          "[    1.311] reboot: Power down"]

    static func rows(device: String = "") throws -> [GuestRow] {
        let bits = DriverPrediction.featureBits(FeatureSet(bits: [1, 2, 6, 9, 32]))
        return [
            GuestRow(device: device, name: "logical_block_size", predicted: "512", guest: "512",
                     source: "blk_size read at 20: 00 02 00 00; served 512 at 12 (packed)"),
            GuestRow(device: device, name: "optimal_io_size", predicted: "4096", guest: "0",
                     source: "topology.opt_io_size read at 28: 01 00 00 00; served 1 at 16 (packed)"),
            GuestRow(device: device, name: "features", predicted: bits, guest: bits, source: "features_show"),
            GuestRow(device: device, name: "kernel log", predicted: "[vda] 2097152 512-byte logical blocks",
                     guest: "[vda] 1048576 512-byte logical blocks", source: "virtblk_update_capacity"),
        ]
    }

    static func blk() throws -> Device {
        try #require(LayoutLoader().load(argument: "blk").devices.first).asOf(nil)
    }

    static func reports() throws -> [(name: String, report: any DocumentedReport)] {
        let blk = try blk()
        let offered = try blk.parseFeatures("SIZE_MAX,SEG_MAX,BLK_SIZE,FLUSH,VERSION_1").get()
        let prediction = DriverPrediction(view: DriverView(), failure: nil, reads: [], negotiated: offered, trace: [])
        let disagreeing = guestReport(console, complete: true)
        let blkRun = GuestBlkRun.Result(interpretation: .packed, daemonOffers: offered, qemuOffers: offered, served: nil,
                                        presented: [0, 0, 0x20, 0, 0, 0, 0, 0], prediction: prediction,
                                        predictedAfterResize: nil, report: disagreeing, rows: try rows(),
                                        readSeconds: 0.125, device: blk, processes: [])
        let agreeing = try rows().filter(\.agrees)
        let fed = GuestFedRun.Result(label: "blk (fixed)", report: guestReport(console, complete: true),
                                     rows: agreeing.map { GuestRow(device: "blk (fixed)", name: $0.name,
                                                                    predicted: $0.predicted, guest: $0.guest,
                                                                    source: $0.source) }
                                         + [GuestRow(device: "console", name: "max_nr_ports", predicted: "31",
                                                     guest: "31", source: "virtio_cread_feature")],
                                     qemuProcess: 0)
        var section = GuestSection("virtio_net binds net0 through virtio_vdpa (ftrace on vdpa_sim)",
                                   lines: ["vdpa dev add name net0 mgmtdev vdpasim_net mac 52:54:00:12:34:56 mtu 9000, "
                                           + "then the driver's probe, every call into vdpa_sim traced by ftrace with its "
                                           + "caller and its result"])
        section.rows = try rows().filter { $0.name != "features" }
        let sections = GuestSectionsResult(title: "Linux 6.1.0-57-cloud-amd64: virtio_net on vdpa_sim through virtio_vdpa",
                                           facts: [("device", "vdpa dev add name net0 mgmtdev vdpasim_net"),
                                                   ("models", "vdpasim-net on the vDPA core (6.1), linux-current")],
                                           sections: [section, GuestSection("what virtio_net made of net0",
                                                                            rows: agreeing)],
                                           report: guestReport(console, complete: false), bootSeconds: 8.25, processes: [])
        let boots = [GuestMatrix.Boot(devices: ["blk (fixed)", "console"], report: guestReport(console, complete: true),
                                      seconds: 20.04),
                     GuestMatrix.Boot(devices: ["blk (packed)"], report: guestReport(console, complete: false), seconds: 6.6)]
        let matrix = GuestMatrix.Result(kernel: .cloud, boots: boots,
                                        rows: try rows(device: "blk (fixed)") + [GuestRow(device: "console", name: "max_nr_ports",
                                                                                          predicted: "31", guest: "31",
                                                                                          source: "virtio_cread_feature")],
                                        seconds: 28.1)
        let agreeingMatrix = GuestMatrix.Result(kernel: .cloud, boots: [boots[0]], rows: agreeing, seconds: 20.0)
        return [
            ("guest blk", GuestRunReport(blk: blkRun)),
            ("guest fed", GuestRunReport(fed: fed, device: blk)),
            ("guest sections", GuestSectionsReport(sections)),
            ("guest matrix", GuestMatrixReport(result: matrix)),
            ("guest matrix agrees", GuestMatrixReport(result: agreeingMatrix)),
        ]
    }

    @Test func textAndMarkdownCarryTheSameFacts() throws {
        try Self.check(try Self.reports())
    }

    /// Conform's findings, notes and verdicts, from structs gcc and rustc measure.
    @Test(.enabled(if: ConformFixture.compilersAreHere, "needs gcc and rustc (.ci/run installs them)"))
    func conformTextAndMarkdownCarryTheSameFacts() throws {
        let cases: [(String, String, String, String?)] = [
            ("blk_wide_num_queues.rs", "VirtioBlockConfig", "blk", nil),
            ("byte_orders.rs", "BigEndianConsole", "console", "SIZE"),
            ("byte_orders.rs", "WrappingConsole", "console", "SIZE"),
            ("unknown-packing-macro.h", "virtio_blk_config", "blk", nil),
            ("padding_blk.rs", "BlkConfig", "blk", "SEG_MAX,FLUSH,DISCARD"),
        ]
        var reports: [(name: String, report: any DocumentedReport)] = []
        for (file, name, device, features) in cases {
            let result = try ConformFixture.check(file, name, device: device, features: features)
            reports.append(("conform \(file) \(name)", ConformReport(result: result, file: file,
                                                                    language: file.hasSuffix(".rs") ? .rust : .c)))
        }
        try Self.check(reports)
    }

    static func check(_ reports: [(name: String, report: any DocumentedReport)]) throws {
        for (name, report) in reports {
            let problems = RenderingCheck.problems(report)
            #expect(problems.isEmpty, "\(name): \(problems)")
        }
    }
}
