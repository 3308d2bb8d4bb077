import Arguments
import Foundation
import Testing
@testable import cfgspace
import TestSupport

/// `cfgspace serve` and `cfgspace probe vhost-user` through the built executable.
@Suite struct ServeCLITests {
    @Test func serveAnswersProbeAndQuitsOnStdin() throws {
        let folder = try Tools.temporaryFolder("serve-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let socket = folder.appendingPathComponent("blk.sock").path
        let serve = Process()
        serve.executableURL = Subprocess.cfgspace
        serve.arguments = ["serve", "--vhost-user", socket, "blk", "--set", "capacity=2097152", "--features", "BLK_SIZE,VERSION_1",
                           "--set", "blk_size=4096"]
        let input = Pipe()
        serve.standardInput = input
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        defer { if serve.isRunning { serve.terminate() } }
        let end = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socket) && Date() < end { usleep(10_000) }

        let probe = try Subprocess.cfgspace("probe", "vhost-user", "--socket", socket, "--device", "blk", "--format", "json")
        #expect(probe.status == 0, "\(probe.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(probe.stdout.utf8)) as? [String: Any])
        let fields = try #require(document["fields"] as? [[String: Any]])
        #expect(fields.first { $0["name"] as? String == "capacity" }?["value"] as? String == "2097152")
        #expect(fields.first { $0["name"] as? String == "blk_size" }?["value"] as? String == "4096")
        #expect(document["offered"] as? [String] == ["BLK_SIZE", "VERSION_1"])

        input.fileHandleForWriting.write(Data("quit\n".utf8))
        let deadline = Date().addingTimeInterval(10)
        while serve.isRunning && Date() < deadline { usleep(10_000) }
        #expect(!serve.isRunning)
        #expect(serve.terminationStatus == 0)
    }

    @Test(arguments: [
        ["serve", "blk"],
        ["serve", "--vhost-user", "/tmp/x.sock", "blk", "--set", "capacityy=1"],
        ["serve", "--vhost-user", "/tmp/x.sock", "blk", "--set", "capacity=lots"],
        ["serve", "--vhost-user", "/tmp/x.sock", "blk", "--interpretation", "squashed"],
        ["serve", "--vhost-user", "/tmp/x.sock", "blk", "--select", "ID_NAME=x"],
        ["serve", "--vhost-user", "/tmp/x.sock", "blk", "--queues", "0"],
        ["probe", "vhost-user", "--device", "blk"],
        ["probe", "vhost-user", "--socket", "/tmp/x.sock"],
    ])
    func mistakesAreUsageErrors(arguments: [String]) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
    }

    /// What --upstream makes meaningless or ambiguous is refused, saying why and what to give.
    @Test(arguments: [
        (["--upstream", "/tmp/y.sock", "--queues", "4"], "--queues does not go with --upstream: the back-end answers"),
        (["--pass", "FLUSH"], "--pass filters an upstream back-end's features: give --upstream SOCKET"),
        (["--upstream", "/tmp/y.sock", "--pass", "FLUSH", "--features", "FLUSH"], "give --pass only"),
    ])
    func upstreamMisusesSayWhy(extra: [String], message: String) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, ["serve", "--vhost-user", "/tmp/x.sock", "blk"] + extra,
                                        in: PackagePaths.root)
        #expect(result.status == 64, "\(extra): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    /// --features with --upstream, its older spelling, still says which of the back-end's features pass.
    @Test func featuresWithUpstreamIsTakenAsPass() throws {
        func options(_ words: String...) throws -> ServeCommand.Options {
            try ServeCommand.Options(ArgumentParser.parse(["--vhost-user", "/tmp/x.sock", "blk"] + words,
                                                          for: ServeCommand.spec).get())
        }
        let old = try options("--upstream", "/tmp/y.sock", "--features", "FLUSH")
        #expect(old.pass == "FLUSH" && old.features == nil)
        let new = try options("--upstream", "/tmp/y.sock", "--pass", "FLUSH")
        #expect(new.pass == "FLUSH" && new.features == nil)
        let alone = try options("--features", "FLUSH")
        #expect(alone.features == "FLUSH" && alone.pass == nil && alone.queues == 8)
    }

    /// A path that holds anything but a stale socket is the user's: serve refuses it and leaves it.
    @Test func serveNeverRemovesAFileAtItsSocketPath() throws {
        let folder = try Tools.temporaryFolder("serve-file")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("precious.layout")
        try Data("keep me\n".utf8).write(to: file)
        let result = try Subprocess.cfgspace("serve", "--vhost-user", file.path, "blk")
        #expect(result.status == 1)
        #expect(result.stderr.contains("exists and is not a socket"), "\(result.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8) == "keep me\n")
    }

    @Test func aMissingBackEndIsReported() throws {
        let result = try Subprocess.cfgspace("probe", "vhost-user", "--socket", "/nonexistent/socket", "--device", "blk")
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/socket"))
    }
}
