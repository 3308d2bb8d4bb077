import Foundation
import Testing
import TestSupport

/// `cfgspace guest` through the built executable: every mistake is a usage error before anything
/// starts, and a whole run exits 0 with a JSON report when the guest's driver agrees.
@Suite struct GuestCLITests {
    @Test(arguments: [
        ["--cpus", "0"], ["--device", "gpio"], ["--direct", "--set", "capacity=1"], ["--layout", "net"],
        ["--resize-to", "lots"], ["--device", "net", "--set", "capacity=1"], ["--device", "net", "--interpretation", "packed"],
        ["--qemu-device", "virtio-net-pci", "--device", "blk"], ["--set", "nosuch=1"], ["--features", "NOPE"],
    ])
    func mistakesAreUsageErrors(arguments: [String]) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, ["guest"] + arguments, in: PackagePaths.root)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
    }

    private static var canBoot: Bool {
        Tools.find("qemu-system-x86_64") != nil && Tools.find("qemu-storage-daemon") != nil && Tools.find("cpio") != nil
    }

    @Test(.enabled(if: canBoot || Tools.areRequired, "needs QEMU, qemu-storage-daemon and cpio to build and boot the guest"))
    func aWholeRunReportsAgreementAsJSON() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["CFGSPACE_GUEST_CACHE"] = environment["CFGSPACE_GUEST_CACHE"]
            ?? PackagePaths.root.appendingPathComponent(".cache/guest").path
        let result = try Subprocess.run(Subprocess.cfgspace, ["guest", "--device", "blk", "--cpus", "1", "--format", "json"],
                                        in: PackagePaths.root, environment: environment)
        #expect(result.status == 0, "\(result.stderr)\n\(result.stdout)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["agrees"] as? Bool == true)
        let rows = try #require(document["rows"] as? [[String: Any]])
        #expect(rows.first { $0["name"] as? String == "queues" }?["guest"] as? String == "1")
    }
}
