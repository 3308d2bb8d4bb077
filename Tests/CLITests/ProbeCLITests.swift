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

    /// With no --layout, the probe looks for the device's layout where imports are looked for: a
    /// user's layout in an --include folder or in CFGSPACE_PATH wins over the built-in one.
    @Test func aUserLayoutIsFoundThroughIncludeAndCFGSPACEPATH() throws {
        let folder = try Tools.temporaryFolder("probe-layouts")
        defer { try? FileManager.default.removeItem(at: folder) }
        let user = folder.appendingPathComponent("my-net.layout")
        try FileManager.default.copyItem(at: PackagePaths.layout("net.layout"), to: user)
        var environment = ProcessInfo.processInfo.environment
        environment["CFGSPACE_PATH"] = nil
        let device = ["probe", "qemu", "--device", "virtio-net-pci,mq=off", "--format", "json"]
        var withPath = environment
        withPath["CFGSPACE_PATH"] = "/nonexistent:" + folder.path
        for (arguments, environment) in [(device + ["--include", folder.path], environment), (device, withPath),
                                         (device, environment)] {
            let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root, environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let layout = try #require(document["layout"] as? String)
            let searched = arguments.contains("--include") || environment["CFGSPACE_PATH"] != nil
            #expect(searched ? layout == user.path : layout == "(built-in)/net.layout", "\(arguments): \(layout)")
        }
    }

    /// The issue's own case: the property hw_compat_4_0 sets, given on the command line, and the
    /// machine type that sets it; both predict QEMU's 16 bytes.
    @Test func theBalloonsFourZeroSizeFromAPropertyAndAMachine() throws {
        for arguments in [["--device", "virtio-balloon-pci,page-poison=off,qemu-4-0-config-size=on"],
                          ["--device", "virtio-balloon-pci", "--machine", "pc-i440fx-4.0"]] {
            let result = try Subprocess.run(Subprocess.cfgspace, ["probe", "qemu"] + arguments + ["--format", "json"],
                                            in: PackagePaths.root)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(document["predicted_length"] as? Int == 16)
            #expect((document["length"] as? [String: Any])?["bytes"] as? Int == 16)
            let checks = try #require(document["checks"] as? [[String: Any]])
            let cause = checks.first { $0["name"] as? String == "length" }?["cause"] as? [String: Any]
            #expect(arguments.contains("--machine") == (cause?["kind"] as? String == "machine type"), "\(String(describing: cause))")
        }
    }

    /// --driver basic on the balloon: both changes trace as on the qemu model.
    @Test func theBasicDriverWatchesTheGeneration() throws {
        let result = try probe("qemu", "--device", "virtio-balloon-pci", "--driver", "basic", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let runs = try #require(document["change_runs"] as? [[String: Any]])
        #expect(runs.count == 2)
        for run in runs {
            #expect((run["differences"] as? [Any])?.isEmpty == true && run["follows_qemu"] as? Bool == true, "\(run)")
        }
    }

    @Test func aMachineTypeQEMUDoesNotHaveIsReportedInItsWords() throws {
        let result = try probe("qemu", "--device", "virtio-net-pci", "--machine", "pc-i440fx-9.9")
        #expect(result.status == 1)
        #expect(result.stderr.contains("pc-i440fx-9.9"), "\(result.stderr)")
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
