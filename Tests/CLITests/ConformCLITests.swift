import Foundation
import Testing
import TestSupport

/// `cfgspace conform` through the built executable: exit statuses, file:line findings, JSON.
@Suite(.enabled(if: Tools.find("gcc") != nil || Tools.areRequired, "needs gcc"))
struct ConformCLITests {
    static let fixture = "Tests/VirtioHostTests/Fixtures/conform/blk-wide-num-queues.h"

    @Test func theGeneratedHeaderConforms() throws {
        let result = try Subprocess.cfgspace("conform", "Generated/c/net.h", "--struct", "cfgspace_net_config")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("The struct conforms"))
    }

    @Test func aDifferenceExitsOneAndPointsAtTheLine() throws {
        let result = try Subprocess.cfgspace("conform", Self.fixture, "--struct", "my_blk_config", "--device", "blk")
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(Self.fixture):23: resized: num_queues is 4 bytes, spec 2"))
        #expect(result.stdout.contains("max_discard_sectors is 2 bytes late"))
    }

    @Test func jsonCarriesTheShift() throws {
        let result = try Subprocess.cfgspace("conform", Self.fixture, "--struct", "my_blk_config", "--device", "blk", "--format", "json")
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let shift = try #require(document["first_shift"] as? [String: Any])
        #expect(shift["field"] as? String == "max_discard_sectors")
        #expect(shift["by"] as? Int == 2)
        #expect(document["agrees"] as? Bool == false)
    }

    @Test func aCompilerErrorIsShownAsTheCompilerSaidIt() throws {
        let folder = try Tools.temporaryFolder("conform-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.h").path
        try "struct virtio_blk_config { nosuchtype capacity; };\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Subprocess.cfgspace("conform", file, "--struct", "virtio_blk_config")
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):1"), "\(result.stderr)")
        #expect(result.stderr.contains("nosuchtype"))
    }

    @Test(arguments: [
        ["conform", "Generated/c/net.h"],
        ["conform", "Generated/c/net.h", "--struct", "my_struct"],
        ["conform", "notes.txt", "--struct", "virtio_net_config"],
        ["conform", "Generated/c/net.h", "--struct", "cfgspace_net_config", "--lang", "go"],
        ["conform", "Generated/c/net.h", "--struct", "cfgspace_net_config", "--map", "mtu"],
        ["conform", "Generated/c/net.h", "--struct", "cfgspace_net_config", "--map", "x=mtuu"],
        ["conform", "Generated/c/net.h", "--struct", "cfgspace_net_config", "--spec", "9.7"],
    ])
    func mistakesAreUsageErrors(arguments: [String]) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
    }

    @Test func anUnknownStructIsRejectedWithASuggestion() throws {
        let result = try Subprocess.cfgspace("conform", "Generated/c/net.h", "--struct", "cfgspace_net_confg", "--device", "net")
        #expect(result.status == 1)
        #expect(result.stderr.contains("Did you mean 'cfgspace_net_config'?"), "\(result.stderr)")
    }
}
