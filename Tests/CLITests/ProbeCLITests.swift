import Foundation
import Testing
import TestSupport

/// `cfgspace probe qemu` through the built executable: exit statuses and the JSON contract.
@Suite(.enabled(if: Tools.find("qemu-system-x86_64") != nil || Tools.areRequired,
                "needs qemu-system-x86_64 (Debian's qemu-system-x86; .ci/run installs it)"))
struct ProbeCLITests {
    private func probe(_ arguments: String...) throws -> ProcessResult {
        try Subprocess.run(Subprocess.cfgspace, ["probe"] + arguments, in: PackagePaths.root)
    }

    @Test func agreementExitsZeroWithTheFieldsInJSON() throws {
        let result = try probe("qemu", "--device", "virtio-net-pci,mq=off,host_mtu=9000", "--driver", "linux-current",
                               "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((document["length"] as? [String: Any])?["bytes"] as? Int == 12)
        #expect((document["length"] as? [String: Any])?["exact"] as? Bool == true)
        let fields = try #require(document["fields"] as? [[String: Any]])
        let mtu = try #require(fields.first { $0["name"] as? String == "mtu" })
        #expect(mtu["offset"] as? Int == 10 && mtu["value"] as? String == "9000")
        #expect(mtu["packed_offset"] as? Int == 8 && mtu["misread_when_packed"] as? Bool == true)
        let runs = try #require(document["driver_runs"] as? [[String: Any]])
        #expect((runs.first?["differences"] as? [Any])?.isEmpty == true)
        #expect(document["agrees"] as? Bool == true)
    }

    @Test func aQEMUDepartureExitsOneAndNamesItsSource() throws {
        let result = try probe("qemu", "--device", "virtio-net-pci,hash=on")
        #expect(result.status == 1)
        #expect(result.stdout.contains("DEPARTS  length"))
        #expect(result.stdout.contains("virtio_net_get_features"))
    }

    @Test func aDeviceQEMUCannotCreateExitsOneInQEMUsWords() throws {
        let result = try probe("qemu", "--device", "virtio-blk-pci,drive=nothing")
        #expect(result.status == 1)
        #expect(result.stderr.contains("nothing"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func mistypedProbesAreUsageErrors() throws {
        #expect(try probe("qemu").status == 64)
        #expect(try probe("qmeu", "--device", "virtio-net-pci").status == 64)
        #expect(try probe("qemu", "--device", "host_mtu=9000").status == 64)
        #expect(try probe("qemu", "--device", "virtio-net-pci", "--driver", "windows").status == 64)
    }

    @Test func aMissingQEMUIsReported() throws {
        let result = try probe("qemu", "--device", "virtio-net-pci", "--qemu", "/nonexistent/qemu")
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/qemu"))
    }
}
