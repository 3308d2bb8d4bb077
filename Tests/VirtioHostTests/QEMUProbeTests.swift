import Foundation
import Testing
import TestSupport
import ConfigLayout
import VirtioModel
@testable import VirtioHost

/// QEMU's own virtio devices, driven over qtest, held against cfgspace.
enum QEMUAvailability {
    static var isInstalled: Bool { Tools.find("qemu-system-x86_64") != nil }
    /// Whether multiqueue net can have its tap backend here (root and /dev/net/tun).
    static var hasTap: Bool { getuid() == 0 && FileManager.default.fileExists(atPath: "/dev/net/tun") }
}

/// One configuration to probe, and the finding it meets, if QEMU departs.
struct QEMUCase: Sendable, CustomTestStringConvertible {
    let device: String
    var arguments: [String] = []
    var finding: String? = nil

    var testDescription: String { device + (arguments.isEmpty ? "" : " " + arguments.joined(separator: " ")) }

    /// Every device this QEMU can create under qtest with no guest, over several option sets, each
    /// transitional and non-transitional where both exist, PCI and virtio-mmio.
    static let coverage: [QEMUCase] = [
        // net
        QEMUCase(device: "virtio-net-pci,mq=off,host_mtu=9000"),
        QEMUCase(device: "virtio-net-pci,speed=2500"),
        QEMUCase(device: "virtio-net-pci,speed=1000,duplex=full"),
        QEMUCase(device: "virtio-net-pci,duplex=half"),
        QEMUCase(device: "virtio-net-pci,status=off,host_mtu=1500"),
        QEMUCase(device: "virtio-net-pci,mac=02:00:00:00:00:01"),
        QEMUCase(device: "virtio-net-pci,mq=on"),
        QEMUCase(device: "virtio-net-pci,rss=on"),
        QEMUCase(device: "virtio-net-pci,hash=on", finding: "net-hash-report-size"),
        QEMUCase(device: "virtio-net-pci,mq=on,host_mtu=9000,speed=100,duplex=full,rss=on"),
        QEMUCase(device: "virtio-net-pci-transitional,host_mtu=9000"),
        QEMUCase(device: "virtio-net-pci-non-transitional,host_mtu=9000"),
        QEMUCase(device: "virtio-net-pci,disable-modern=on,host_mtu=9000"),
        QEMUCase(device: "virtio-net-device,host_mtu=1500"),
        QEMUCase(device: "virtio-net-device,host_mtu=1500", arguments: ["-global", "virtio-mmio.force-legacy=false"]),
        // blk
        QEMUCase(device: "virtio-blk-pci"),
        QEMUCase(device: "virtio-blk-pci,discard=off,write-zeroes=off"),
        QEMUCase(device: "virtio-blk-pci,num-queues=4,queue-size=128"),
        QEMUCase(device: "virtio-blk-pci,logical_block_size=4096,physical_block_size=4096"),
        QEMUCase(device: "virtio-blk-pci,physical_block_size=4096,min_io_size=8192,opt_io_size=65536"),
        QEMUCase(device: "virtio-blk-pci,cyls=1024,heads=16,secs=63"),
        QEMUCase(device: "virtio-blk-pci,seg-max-adjust=off,config-wce=off"),
        QEMUCase(device: "virtio-blk-pci,max-discard-sectors=2048,max-write-zeroes-sectors=4096"),
        QEMUCase(device: "virtio-blk-pci-transitional"),
        QEMUCase(device: "virtio-blk-pci-non-transitional"),
        QEMUCase(device: "virtio-blk-device", arguments: ["-global", "virtio-mmio.force-legacy=false"]),
        // scsi
        QEMUCase(device: "virtio-scsi-pci"),
        QEMUCase(device: "virtio-scsi-pci,num_queues=4,max_sectors=1024,cmd_per_lun=64"),
        QEMUCase(device: "virtio-scsi-pci-non-transitional,virtqueue_size=128"),
        QEMUCase(device: "virtio-scsi-device"),
        // serial
        QEMUCase(device: "virtio-serial-pci"),
        QEMUCase(device: "virtio-serial-pci,max_ports=4"),
        QEMUCase(device: "virtio-serial-pci,emergency-write=off"),
        QEMUCase(device: "virtio-serial-pci-non-transitional"),
        // balloon
        QEMUCase(device: "virtio-balloon-pci"),
        QEMUCase(device: "virtio-balloon-pci,free-page-hint=on"),
        QEMUCase(device: "virtio-balloon-pci,free-page-reporting=on,deflate-on-oom=on"),
        QEMUCase(device: "virtio-balloon-pci,page-poison=off"),
        QEMUCase(device: "virtio-balloon-pci-non-transitional"),
        // rng
        QEMUCase(device: "virtio-rng-pci"),
        QEMUCase(device: "virtio-rng-pci-non-transitional"),
        // gpu and vga
        QEMUCase(device: "virtio-gpu-pci"),
        QEMUCase(device: "virtio-gpu-pci,max_outputs=4"),
        QEMUCase(device: "virtio-vga,max_outputs=2"),
        // input
        QEMUCase(device: "virtio-keyboard-pci"),
        QEMUCase(device: "virtio-mouse-pci"),
        QEMUCase(device: "virtio-tablet-pci"),
        // the rest
        QEMUCase(device: "virtio-iommu-pci"),
        QEMUCase(device: "virtio-iommu-pci,boot-bypass=off"),
        QEMUCase(device: "virtio-crypto-pci"),
        QEMUCase(device: "virtio-mem-pci,requested-size=64M"),
        QEMUCase(device: "virtio-pmem-pci"),
        QEMUCase(device: "virtio-9p-pci"),
        QEMUCase(device: "virtio-9p-pci,mount_tag=share"),
        QEMUCase(device: "virtio-9p-device"),
    ]
}

@Suite(.enabled(if: QEMUAvailability.isInstalled || Tools.areRequired,
                "needs qemu-system-x86_64 (Debian's qemu-system-x86; .ci/run installs it)"))
struct QEMUProbeTests {
    static func probe(_ device: String, arguments: [String] = [], drivers: [String] = []) throws -> QEMUProbeResult {
        guard QEMUAvailability.isInstalled else {
            throw HostError(.missingProgram, "qemu-system-x86_64 is not installed; install qemu-system-x86")
        }
        let result = try QEMUProbe.run(.init(device: try QEMUDeviceSpec.parse(device).get(), drivers: drivers, qemuArguments: arguments))
        // The probe ends and reaps its QEMU before it returns.
        #expect(ProcessTable.isGone(result.qemuProcess), "QEMU \(result.qemuProcess) outlived the probe of \(device)")
        return result
    }

    @Test(arguments: QEMUCase.coverage)
    func everyDeviceAgreesOrDepartsAsRecorded(_ configuration: QEMUCase) throws {
        let result = try Self.probe(configuration.device, arguments: configuration.arguments)
        // Its report's text and Markdown come from one document and carry the same facts.
        #expect(RenderingCheck.problems(QEMUProbeReport(result: result)) == [], "\(configuration.device)")
        let departures = result.checks.filter { $0.verdict == .departs }
        if let finding = configuration.finding {
            let known = try #require(QEMUFindings.all.first { $0.id == finding })
            #expect(!departures.isEmpty, "\(configuration.device) no longer departs: \(known.summary)")
            for check in departures {
                #expect(check.knownFinding?.contains(known.summary) == true, "\(check.name): \(check.summary)")
            }
        } else {
            #expect(departures.isEmpty, "\(departures.map { "\($0.name): \($0.summary) \($0.details)" })")
        }
        // Undecided only where QEMU hides the exact length, and then it says why.
        for check in result.checks where check.verdict == .undecided {
            #expect(check.knownFinding != nil, "\(configuration.device): \(check.name) undecided: \(check.details)")
        }
        #expect(result.checks.contains { $0.name == "length" })
    }

    /// The question of 2021, asked of QEMU itself: with MTU and without MQ, mtu is at 10 and holds
    /// host_mtu; a packed reading's offset 8 finds max_virtqueue_pairs' bytes instead.
    @Test func netWithMTUAndWithoutMQ() throws {
        let result = try Self.probe("virtio-net-pci,mq=off,host_mtu=9000")
        #expect(result.length == .exact(12))
        #expect(result.predictedLength == 12)
        let mtu = try #require(result.fields.first { $0.path == "mtu" })
        #expect(mtu.offset == 10 && mtu.value == .integer(9000) && mtu.bytes == [0x28, 0x23])
        #expect(mtu.packedOffset == 8 && mtu.isMisreadWhenPacked)
        #expect(mtu.packedReadsFrom == ["max_virtqueue_pairs"])
        #expect(mtu.packedBytes == result.fields.first { $0.path == "max_virtqueue_pairs" }?.bytes)
        // The transitional function's legacy interface serves the same bytes, at 20 and with MSI-X at 24.
        #expect(result.legacyViews.map(\.configOffset) == [20, 24])
        for view in result.legacyViews { #expect(Array(view.bytes.prefix(12)) == Array(result.bytes.prefix(12))) }
        #expect(result.pastEnd.allSatisfy { $0.bytes.allSatisfy { $0 == 0xff } })
        #expect(result.agrees)
    }

    /// Every net driver model negotiates with real QEMU exactly as with the qemu model.
    @Test(arguments: ["virtio-net-pci,mq=off,host_mtu=9000", "virtio-net-pci,disable-modern=on,host_mtu=9000",
                      "virtio-net-pci,speed=1000,duplex=full,rss=on"])
    func driverModelsTraceAsOnTheModel(device: String) throws {
        let net = DriverKind.all.filter { $0.layout == "net" }.map(\.name)
        let result = try Self.probe(device, drivers: net)
        #expect(result.driverRuns.count == net.count)
        for run in result.driverRuns {
            #expect(run.real.realDeviceFailure == nil)
            #expect(run.differences.isEmpty, "\(run.driver.name): \(run.differences.map { "\($0.side) #\($0.step) \($0.line)" })")
            #expect(run.real.trace.count > 10)
        }
    }

    @Test func inputIsSizedByWhatItServes() throws {
        let result = try Self.probe("virtio-keyboard-pci")
        let name = try #require(result.selections.first { $0.name == "ID_NAME" })
        #expect(String(decoding: name.bytes.prefix { $0 != 0 }, as: UTF8.self) == "QEMU Virtio Keyboard")
        #expect(result.selections.contains { $0.name == "EV_BITS" && $0.subselect == 1 })
        let largest = try #require(result.selections.map(\.size).max())
        #expect(result.length == .exact(8 + largest))
    }

    @Test(.enabled(if: QEMUAvailability.hasTap || Tools.areRequired, "multiqueue net needs a tap device (root, /dev/net/tun)"))
    func multiqueueNetOverTap() throws {
        let result = try Self.probe("virtio-net-pci,mq=on,netdev=n0",
                                    arguments: ["-netdev", "tap,id=n0,queues=4,script=no,downscript=no,vhost=off"])
        #expect(result.fields.first { $0.path == "max_virtqueue_pairs" }?.value == .integer(4))
        #expect(result.agrees)
    }

    @Test func aDeviceQEMUCannotCreateFailsWithQEMUsWords() {
        do {
            _ = try Self.probe("virtio-blk-pci,drive=missing")
            Issue.record("QEMU created a disk with no drive")
        } catch {
            #expect("\(error)".contains("missing"), "\(error)")
        }
    }
}
