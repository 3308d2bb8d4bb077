import Foundation
import Testing
import TestSupport

/// `probe qemu` on real devices: its text fits 100 columns with no word broken (blk's packed
/// readings, net's MAC, input's 128-byte bitmap), QEMU's short names are taken, and the warning
/// the probe itself causes is not passed on.
@Suite(.enabled(if: Tools.find("qemu-system-x86_64") != nil || Tools.areRequired,
                "needs qemu-system-x86_64 (Debian's qemu-system-x86; .ci/run installs it)"))
struct ProbeFitsCLITests {
    @Test(arguments: ["virtio-blk-pci", "virtio-net-pci,mq=on,host_mtu=9000,speed=10000,duplex=full", "virtio-keyboard-pci",
                      "virtio-balloon-pci", "virtio-crypto-pci", "virtio-iommu-pci"])
    func probeTextFits(_ device: String) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, ["probe", "qemu", "--device", device], in: PackagePaths.root)
        #expect(result.status == 0, "\(result.stderr)")
        let problems = TextFit.problems(in: result.stdout) + TextFit.problems(in: result.stderr)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(!result.stdout.contains("has no peer"), "\(result.stdout)")
    }

    /// qdev_alias_table (QEMU 7.2's softmmu/qdev-monitor.c): virtio-blk is virtio-blk-pci.
    @Test func qemusShortNamesAreTaken() throws {
        let result = try Subprocess.run(Subprocess.cfgspace, ["probe", "qemu", "--device", "virtio-blk"], in: PackagePaths.root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("QEMU ") && result.stdout.contains("virtio-blk-pci"), "\(result.stdout)")
    }
}

/// Small answers a first user meets: one generated file on standard output, and counts in words.
@Suite struct SmallAnswersCLITests {
    @Test func generatePrintsOneFileToStandardOutput() throws {
        let printed = try Subprocess.cfgspace("generate", "blk", "--target", "c", "--output", "-")
        #expect(printed.status == 0, "\(printed.stderr)")
        let folder = try Tools.temporaryFolder("generate-one")
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try Subprocess.cfgspace("generate", "blk", "--target", "c", "--output", folder.path)
        #expect(written.stdout.hasPrefix("wrote 2 files for 1 device to "), "\(written.stdout)")
        let file = try String(contentsOf: folder.appendingPathComponent("c/blk.h"), encoding: .utf8)
        #expect(printed.stdout == file)

        for arguments in [["blk", "net", "--target", "c"], ["blk"], ["blk", "--target", "all"]] {
            let refused = try Subprocess.run(Subprocess.cfgspace, ["generate"] + arguments + ["--output", "-"], in: PackagePaths.root)
            #expect(refused.status == 64, "\(arguments)")
            #expect(refused.unwrappedStderr.contains("--output - prints one file"), "\(refused.stderr)")
        }
    }
}
