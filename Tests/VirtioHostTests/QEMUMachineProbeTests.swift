import Foundation
import Testing
import TestSupport
import ConfigLayout
import VirtioModel
@testable import VirtioHost

/// Real QEMU 7.2 under its machine types and compat properties, and config_generation as it moves,
/// held against cfgspace's prediction and its qemu models.
@Suite(.enabled(if: QEMUAvailability.isInstalled || Tools.areRequired,
                "needs qemu-system-x86_64 (Debian's qemu-system-x86; .ci/run installs it)"))
struct QEMUMachineProbeTests {
    private func probe(_ device: String, machine: String? = nil, arguments: [String] = [],
                       watchesChanges: Bool = false) throws -> QEMUProbeResult {
        guard QEMUAvailability.isInstalled else {
            throw HostError(.missingProgram, "qemu-system-x86_64 is not installed; install qemu-system-x86")
        }
        let result = try QEMUProbe.run(.init(device: try QEMUDeviceSpec.parse(device).get(), qemuArguments: arguments, machine: machine,
                                             watchesChanges: watchesChanges))
        #expect(ProcessTable.isGone(result.qemuProcess), "QEMU \(result.qemuProcess) outlived the probe of \(device)")
        return result
    }

    private func departures(_ result: QEMUProbeResult) -> [String] {
        result.checks.filter { $0.verdict == .departs }.map { "\($0.name): \($0.summary) \($0.details)" }
    }

    /// The property hw_compat_4_0 sets, given by hand: the whole 16-byte struct without PAGE_POISON.
    @Test func theBalloonsFourZeroConfigSize() throws {
        let result = try probe("virtio-balloon-pci,page-poison=off,qemu-4-0-config-size=on")
        #expect(result.length == .exact(16))
        #expect(result.predictedLength == 16)
        #expect(result.agrees, "\(departures(result))")
        let plain = try probe("virtio-balloon-pci,page-poison=off")
        #expect(plain.length == .exact(8) && plain.predictedLength == 8)
    }

    /// The same from the machine type, and from a -global; the verdict names where it came from.
    @Test func theMachineTypeSetsIt() throws {
        let four = try probe("virtio-balloon-pci", machine: "pc-i440fx-4.0")
        #expect(four.length == .exact(16) && four.predictedLength == 16)
        #expect(four.agrees, "\(departures(four))")
        let length = try #require(four.checks.first { $0.name == "length" })
        #expect(length.cause?.kind == .machineType && length.cause?.text.contains("hw_compat_4_0") == true)
        // 4.0 also clears page-poison (hw_compat_5_0): PAGE_POISON is not offered.
        #expect(!four.device.isSet("PAGE_POISON", in: four.offered))
        let three = try probe("virtio-balloon-pci", machine: "pc-q35-3.1")
        #expect(three.length == .exact(8) && three.predictedLength == 8 && three.agrees)
        let global = try probe("virtio-balloon-pci,page-poison=off",
                               arguments: ["-global", "virtio-balloon-device.qemu-4-0-config-size=on"])
        #expect(global.length == .exact(16) && global.agrees)
        #expect(global.checks.first { $0.name == "length" }?.cause?.kind == .property)
    }

    /// blk on 4.2 (hw_compat_4_2): seg_max from queue-size 128 without adjustment; on 3.1
    /// (hw_compat_3_1): no discard or write-zeroes, so a config that stops at max_discard_sectors.
    @Test func blkUnderOlderMachines() throws {
        let fourTwo = try probe("virtio-blk-pci", machine: "pc-q35-4.2")
        #expect(fourTwo.fields.first { $0.path == "seg_max" }?.value == .integer(126))
        let properties = try #require(fourTwo.checks.first { $0.name == "properties" })
        #expect(properties.verdict == .agrees && properties.cause?.kind == .machineType, "\(properties.details)")
        #expect(fourTwo.agrees, "\(departures(fourTwo))")
        // hw_compat_5_2: discard_granularity no longer reaches discard_sector_alignment.
        for (machine, alignment) in [("pc-i440fx-5.2", 1), ("pc-i440fx-6.0", 8)] {
            let result = try probe("virtio-blk-pci,discard_granularity=4096", machine: machine)
            #expect(result.fields.first { $0.path == "discard_sector_alignment" }?.value == .integer(UInt64(alignment)))
            #expect(result.agrees, "\(machine): \(departures(result))")
        }
        let threeOne = try probe("virtio-blk-pci", machine: "pc-i440fx-3.1")
        #expect(!threeOne.device.isSet("DISCARD", in: threeOne.offered))
        #expect(threeOne.length == .exact(36) && threeOne.agrees, "\(departures(threeOne))")
    }

    /// Every x86 machine type QEMU 7.2 lists, with balloon and blk: the prediction follows the
    /// machine's compat properties (legacy-only devices before 2.6 included).
    @Test(arguments: ["pc", "q35", "pc-i440fx-7.1", "pc-i440fx-6.2", "pc-i440fx-5.2", "pc-i440fx-5.0", "pc-i440fx-4.2",
                      "pc-i440fx-4.1", "pc-i440fx-4.0", "pc-q35-4.0.1", "pc-i440fx-3.1", "pc-i440fx-2.12", "pc-i440fx-2.7",
                      "pc-i440fx-2.6", "pc-i440fx-2.5", "pc-i440fx-2.0", "pc-i440fx-1.4", "pc-q35-2.4"])
    func everyMachineAgrees(machine: String) throws {
        for device in ["virtio-balloon-pci", "virtio-blk-pci", "virtio-serial-pci"] {
            let result = try probe(device, machine: machine)
            #expect(result.agrees, "\(device) on \(machine): \(departures(result))")
            #expect(result.qemu.properties.machineIsKnown)
        }
    }

    /// QEMU's rule for config_generation, seen through QMP: a link change before DRIVER_OK leaves it,
    /// one after DRIVER_OK moves it by one, and the qemu model traces the same steps. A device that
    /// follows the spec's every-change rule parts from QEMU before DRIVER_OK only.
    @Test func netLinkChangesTraceAsOnTheModel() throws {
        let result = try probe("virtio-net-pci,host_mtu=9000", watchesChanges: true)
        #expect(result.changeRuns.map(\.name) == ["link down before DRIVER_OK", "link up after DRIVER_OK"])
        #expect(RenderingCheck.problems(QEMUProbeReport(result: result, showsTrace: true)) == [])
        for run in result.changeRuns {
            #expect(run.differences.isEmpty, "\(run.name): \(run.differences.map { "\($0.side) #\($0.step) \($0.line)" })")
            #expect(run.followsQEMU, "\(run.name): \(run.generationBefore) → \(run.generationAfter)")
        }
        let before = try #require(result.changeRuns.first), after = try #require(result.changeRuns.last)
        #expect(before.valueBefore == .integer(1) && before.valueAfter == .integer(0))
        #expect(before.generationAfter == before.generationBefore && !before.specDifferences.isEmpty)
        #expect(after.valueAfter == .integer(1) && after.generationAfter == after.generationBefore + 1)
        #expect(after.specDifferences.isEmpty)
        #expect(result.agrees)
    }

    /// The balloon: the driver's write of actual leaves the generation (the spec's reading moves it);
    /// QMP balloon after DRIVER_OK moves it by one and sets num_pages.
    @Test func balloonChangesTraceAsOnTheModel() throws {
        let result = try probe("virtio-balloon-pci", watchesChanges: true)
        #expect(result.changeRuns.map(\.name) == ["driver writes actual", "new balloon target after DRIVER_OK"])
        for run in result.changeRuns {
            #expect(run.differences.isEmpty, "\(run.name): \(run.differences.map { "\($0.side) #\($0.step) \($0.line)" })")
            #expect(run.followsQEMU)
        }
        let actual = try #require(result.changeRuns.first), target = try #require(result.changeRuns.last)
        #expect(actual.valueAfter == .integer(256) && actual.generationAfter == actual.generationBefore)
        #expect(!actual.specDifferences.isEmpty)
        // -m 16M, target 8M: (16M - 8M) >> 12 pages.
        #expect(target.valueAfter == .integer(2048) && target.generationAfter == target.generationBefore + 1)
        #expect(result.agrees)
    }
}
