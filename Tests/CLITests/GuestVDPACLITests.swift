import Foundation
import Testing
import TestSupport

/// `cfgspace guest --bus vdpa` and `--driver dpdk` through the built executable: every mistake is a
/// usage error before anything starts, and each whole run (a boot of the vDPA guest) exits 0 with a
/// JSON report when the real stack did what the models predicted.
@Suite struct GuestVDPACLITests {
    @Test(arguments: [
        ["--bus", "vdpa", "--device", "blk", "--set", "capacity=1"], ["--bus", "vdpa", "--features", "MTU"],
        ["--bus", "vdpa", "--device", "net", "--set", "speed=1"], ["--bus", "vdpa", "--device", "net", "--set", "mtu=lots"],
        ["--driver", "dpdk", "--device", "blk"], ["--replay"], ["--bus", "vdpa", "--device", "blk", "--replay"],
        ["--driver", "dpdk", "--interpretation", "packed"], ["--bus", "vdpa", "--cpus", "1"], ["--bus", "pci"],
        ["--driver", "dpdk", "--resize-to", "8"], ["--driver", "dpdk", "--replay"],
    ])
    func mistakesAreUsageErrors(arguments: [String]) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, ["guest"] + arguments, in: PackagePaths.root)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
    }

    private static var canBoot: Bool {
        ["qemu-system-x86_64", "dpdk-testpmd", "make", "gcc-12"].allSatisfy { Tools.find($0) != nil }
    }

    private func run(_ arguments: [String]) throws -> [String: Any] {
        var environment = ProcessInfo.processInfo.environment
        environment["CFGSPACE_GUEST_CACHE"] = environment["CFGSPACE_GUEST_CACHE"]
            ?? PackagePaths.root.appendingPathComponent(".cache/guest").path
        let result = try Subprocess.run(Subprocess.cfgspace, ["guest"] + arguments + ["--format", "json"], in: PackagePaths.root,
                                        environment: environment)
        #expect(result.status == 0, "\(result.stderr)\n\(result.stdout)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    private func rows(_ document: [String: Any], section fragment: String) throws -> [[String: Any]] {
        let sections = try #require(document["sections"] as? [[String: Any]])
        let section = try #require(sections.first { ($0["title"] as? String)?.contains(fragment) == true })
        return try #require(section["rows"] as? [[String: Any]])
    }

    @Test(.enabled(if: canBoot || Tools.areRequired, "needs QEMU, make, gcc-12 and DPDK's testpmd to build and boot the vDPA guest"))
    func vdpaNetWithTheReplay() throws {
        let document = try run(["--bus", "vdpa", "--device", "net", "--set", "mtu=9000", "--replay"])
        #expect(document["agrees"] as? Bool == true)
        let view = try rows(document, section: "what virtio_net made of net0")
        #expect(view.first { $0["name"] as? String == "mtu" }?["guest"] as? String == "9000")
        #expect(try rows(document, section: "replay").allSatisfy { $0["agrees"] as? Bool == true })
    }

    @Test(.enabled(if: canBoot || Tools.areRequired, "needs QEMU, make, gcc-12 and DPDK's testpmd to build and boot the vDPA guest"))
    func dpdkOnBothPorts() throws {
        let document = try run(["--driver", "dpdk"])
        #expect(document["agrees"] as? Bool == true)
        let pci = try rows(document, section: "uio_pci_generic")
        #expect(pci.first { $0["name"] as? String == "port config mtu 0 9001" }?["guest"] as? String == "refused")
        let vdpa = try rows(document, section: "vhost-vdpa")
        #expect(vdpa.first { $0["name"] as? String == "port config mtu 0 9698" }?["guest"] as? String == "taken")
    }
}
