import Foundation
import Testing
import TestSupport

/// `--spec` filters every bit, the transport's as well as the device's, in every command that takes
/// it: what a version does not list is neither shown, offered nor accepted.
@Suite struct SpecVersionCLITests {
    private func json(_ result: ProcessResult) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// The bits each version adds to the transport, none of which 1.0 lists.
    private static let laterTransportBits = ["ACCESS_PLATFORM", "RING_PACKED", "IN_ORDER", "ORDER_PLATFORM", "SR_IOV",
                                             "NOTIFICATION_DATA", "NOTIF_CONFIG_DATA", "RING_RESET", "ADMIN_VQ", "SUSPEND"]

    @Test func tableOffersOnlyTheVersionsBits() throws {
        let old = try json(Subprocess.cfgspace("table", "blk", "--spec", "1.0", "--features", "all", "--format", "json"))
        let features = try #require(old["features"] as? [String])
        #expect(Set(features).isDisjoint(with: Self.laterTransportBits), "\(features)")
        // 1.0 and 1.1 name bits 28 and 29 as they did then.
        #expect(features.contains("RING_INDIRECT_DESC") && features.contains("RING_EVENT_IDX") && features.contains("VERSION_1"))
        #expect(!features.contains("DISCARD") && !features.contains("INDIRECT_DESC"))
        let newest = try json(Subprocess.cfgspace("table", "blk", "--features", "all", "--format", "json"))
        #expect(Set(try #require(newest["features"] as? [String])).isSuperset(of: Self.laterTransportBits))
    }

    @Test(arguments: [
        (["table", "blk", "--spec", "1.0", "--features", "SUSPEND"], "SUSPEND is not in virtio 1.0; the transport lists it from 1.4"),
        (["table", "blk", "--spec", "1.0", "--features", "43"], "bit 43 (SUSPEND) is not in virtio 1.0"),
        (["table", "blk", "--spec", "1.1", "--features", "INDIRECT_DESC"], "the transport lists it from 1.2"),
        (["table", "blk", "--features", "RING_EVENT_IDX"], "the transport lists it until 1.2"),
        (["table", "net", "--spec", "1.0", "--features", "MTU"], "MTU is not in virtio 1.0; net lists it from 1.1"),
        (["diff", "blk", "--spec", "1.0", "--features", "ACCESS_PLATFORM"], "the transport lists it from 1.1"),
        (["simulate", "--spec", "1.2", "--driver", "linux-current", "--device", "qemu", "--features", "+CTRL_RX_EXTRA"],
         "CTRL_RX_EXTRA is not in virtio 1.2; net lists it from 1.3"),
        (["simulate", "--spec", "1.1", "--driver", "linux-current", "--device", "qemu"], "Give --spec 1.2 or later"),
        (["serve", "--vhost-user", "/tmp/cfgspace-never.sock", "blk", "--spec", "1.0", "--features", "SUSPEND"],
         "SUSPEND is not in virtio 1.0"),
    ])
    func aBitTheVersionLacksIsAUsageError(arguments: [String], message: String) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.unwrappedStderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/cfgspace-never.sock"))
    }

    /// The qemu model's default features are filtered too: at 1.2 it does not offer CTRL_RX_EXTRA.
    @Test func simulateOffersOnlyTheVersionsBits() throws {
        let older = try json(Subprocess.cfgspace("simulate", "--spec", "1.2", "--driver", "linux-current", "--device", "qemu",
                                                 "--format", "json"))
        let offered = try #require(older["offered"] as? [String])
        #expect(!offered.contains("CTRL_RX_EXTRA") && offered.contains("MTU"), "\(offered)")
        let newest = try json(Subprocess.cfgspace("simulate", "--driver", "linux-current", "--device", "qemu", "--format", "json"))
        #expect(try #require(newest["offered"] as? [String]).contains("CTRL_RX_EXTRA"))
    }

    /// serve --spec 1.0 offers a vhost-user front-end no bit 1.0 does not list.
    @Test func serveOffersOnlyTheVersionsBits() throws {
        let folder = try Tools.temporaryFolder("serve-spec")
        defer { try? FileManager.default.removeItem(at: folder) }
        let socket = folder.appendingPathComponent("blk.sock").path
        let serve = Process()
        serve.executableURL = Subprocess.cfgspace
        serve.arguments = ["serve", "--vhost-user", socket, "blk", "--spec", "1.0", "--features", "all"]
        let input = Pipe()
        serve.standardInput = input
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        defer { if serve.isRunning { serve.terminate(); serve.waitUntilExit() } }
        let end = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socket) && Date() < end { usleep(10_000) }
        let probe = try Subprocess.cfgspace("probe", "vhost-user", "--socket", socket, "--device", "blk", "--format", "json")
        let offered = try #require(try JSONSerialization.jsonObject(with: Data(probe.stdout.utf8)) as? [String: Any])["offered"]
        let names = try #require(offered as? [String])
        #expect(Set(names).isDisjoint(with: Self.laterTransportBits + ["DISCARD", "WRITE_ZEROES", "MQ"]), "\(names)")
        #expect(names.contains("VERSION_1") && names.contains("CONFIG_WCE"))
        input.fileHandleForWriting.write(Data("quit\n".utf8))
        let deadline = Date().addingTimeInterval(10)
        while serve.isRunning && Date() < deadline { usleep(10_000) }
        #expect(!serve.isRunning)
    }

    /// generate --spec 1.0 writes the transport and every device with 1.0's bits only.
    @Test func generateWritesOnlyTheVersionsBits() throws {
        let folder = try Tools.temporaryFolder("generate-spec")
        defer { try? FileManager.default.removeItem(at: folder) }
        for target in ["json", "c"] {
            let result = try Subprocess.run(Subprocess.cfgspace, ["generate", "--target", target, "--spec", "1.0",
                                                                  "--output", folder.path], in: PackagePaths.root)
            #expect(result.status == 0, "\(result.stderr)")
        }
        for name in ["blk", "net"] {
            let text = try String(contentsOf: folder.appendingPathComponent("json/\(name).json"), encoding: .utf8)
            for bit in Self.laterTransportBits + ["MTU", "SPEED_DUPLEX", "DISCARD", "INDIRECT_DESC"] {
                #expect(!text.contains("\"\(bit)\""), "\(name).json names \(bit) at 1.0")
            }
            #expect(text.contains("\"RING_INDIRECT_DESC\""), "\(name).json")
        }
        let transport = try String(contentsOf: folder.appendingPathComponent("c/transport.h"), encoding: .utf8)
        #expect(!transport.contains("SUSPEND") && !transport.contains("ACCESS_PLATFORM"))
        #expect(transport.contains("CFGSPACE_F_RING_INDIRECT_DESC"))
    }
}
