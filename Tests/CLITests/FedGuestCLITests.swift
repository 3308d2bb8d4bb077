import Foundation
import Testing
import TestSupport

/// `cfgspace guest --device vsock` through the built executable: blk's own options are usage errors,
/// and --set reaches the guest through serve and QEMU's vhost-user-vsock-pci.
@Suite struct FedGuestCLITests {
    @Test(arguments: [
        ["--device", "vsock", "--resize-to", "8"], ["--device", "vsock", "--direct"],
        ["--device", "vsock", "--qemu-device", "vhost-vsock-pci"], ["--device", "vsock", "--set", "tag_len=1"],
        ["--device", "p9", "--set", "tag_len=1"], ["--device", "gpu", "--interpretation", "packed"],
    ])
    func blksOptionsAreUsageErrors(arguments: [String]) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, ["guest"] + arguments, in: PackagePaths.root)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
    }

    private static var canBoot: Bool { Tools.find("qemu-system-x86_64") != nil && Tools.find("cpio") != nil }

    @Test(.enabled(if: canBoot || Tools.areRequired, "needs QEMU and cpio to build and boot the guest"))
    func setReachesTheGuestsIoctl() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["CFGSPACE_GUEST_CACHE"] = environment["CFGSPACE_GUEST_CACHE"]
            ?? PackagePaths.root.appendingPathComponent(".cache/guest").path
        let result = try Subprocess.run(Subprocess.cfgspace, ["guest", "--device", "vsock", "--set", "guest_cid=9", "--cpus", "1",
                                                              "--format", "json"], in: PackagePaths.root, environment: environment)
        #expect(result.status == 0, "\(result.stderr)\n\(result.stdout)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try #require(document["rows"] as? [[String: Any]])
        #expect(rows.first { $0["name"] as? String == "local_cid" }?["guest"] as? String == "9")
    }

    /// The layout given with --layout is the one cfgspace feeds, not the built-in one: a vsock layout
    /// that names SEQPACKET otherwise cannot offer serve's default features, and the run says so
    /// before anything boots.
    @Test(.enabled(if: canBoot || Tools.areRequired, "needs QEMU and cpio to build the guest"))
    func theGivenLayoutIsTheOneFed() throws {
        let folder = try Tools.temporaryFolder("fed-layouts")
        defer { try? FileManager.default.removeItem(at: folder) }
        let user = folder.appendingPathComponent("vsock.layout")
        let builtin = try String(contentsOf: PackagePaths.layout("vsock.layout"), encoding: .utf8)
        try builtin.replacingOccurrences(of: "feature SEQPACKET ", with: "feature SEQ_PACKET").write(to: user, atomically: true,
                                                                                                   encoding: .utf8)
        let result = try Subprocess.run(Subprocess.cfgspace, ["guest", "--device", "vsock", "--layout", user.path, "--cpus", "1"],
                                        in: PackagePaths.root)
        #expect(result.status == 1, "\(result.stderr)\n\(result.stdout)")
        #expect(result.stderr.contains("vsock's layout lacks SEQPACKET"), "\(result.stderr)")
    }
}
