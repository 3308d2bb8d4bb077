import ConfigLayout
import Foundation
import Testing
import TestSupport
import VirtioModel
@testable import VirtioHost

/// DPDK 22.11's virtio-user over vhost-user, measured on the host: testpmd (no hugepages, no PCI)
/// with a `net_virtio_user` port on cfgspace's own vhost-user back-end (`serve`, in process), which
/// logs every message. virtio-user has no config op for vhost-user (virtio_user/vhost_user.c at
/// v22.11): it never sends GET_CONFIG, asks only for MQ, REPLY_ACK and STATUS of the protocol
/// features, and makes up the MAC (random, with no mac devarg) and the link itself; MTU, which the
/// back-end offers, never reaches its features.
@Suite(.enabled(if: Tools.find("dpdk-testpmd") != nil || Tools.areRequired,
                "needs DPDK's dpdk-testpmd (apt-get install dpdk-dev librte-net-virtio23); .ci/run installs it"))
struct DPDKVhostUserTests {
    @Test func virtioUserNeverAsksForTheConfig() throws {
        let net = try ProbeTarget.builtinLayout(forID: 1, likely: "net").device.asOf(nil)
        let offered = try net.parseFeatures("MAC,MTU,STATUS,VERSION_1").get()
        let served = try ServedDevice(device: net, interpretation: .fixed, offered: offered,
                                      values: [("mac", .bytes([0x52, 0x54, 0x00, 0x12, 0x34, 0x56])), ("mtu", .integer(9000)),
                                               ("status", .integer(1))])
        let fixture = try ServeFixture(served, label: "dpdk")
        defer { fixture.close() }
        let testpmd = try #require(Tools.find("dpdk-testpmd"))
        let drivers = try DPDKDrivers.paths(for: testpmd.path).flatMap { ["-d", $0] }
        // EAL still makes an (empty) runtime folder under its file prefix: ours, removed afterwards.
        let prefix = "cfgspace-\(UUID().uuidString.prefix(8))"
        defer { DPDKDrivers.removeRuntimeFolder(prefix) }
        // EAL's and the PMD's log go to standard error, with far more than a collector keeps: both
        // streams come through one pipe, read to the end.
        let shell = try #require(Tools.find("sh"))
        let process = try ChildProcess(
            executable: shell.path,
            arguments: ["-c", "exec \"$0\" \"$@\" 2>&1", testpmd.path, "-l", "0-1", "-n", "1", "--no-huge", "-m", "256", "--no-pci", "--no-shconf", "--file-prefix", prefix,
                        "--log-level=pmd.net.virtio.*:debug"] + drivers
                + ["--vdev", "net_virtio_user0,path=\(fixture.socketPath)", "--", "-i", "--total-num-mbufs=2048"],
            input: .pipe, output: .pipe)
        defer { _ = process.terminate() }
        let input = try #require(process.input)
        try input.write(Array("show port info 0\nquit\n".utf8), until: Deadline(in: .seconds(5)), what: "testpmd's input")
        let output = try #require(process.output)
        let lines = LineReader(output, what: "testpmd's output")
        var log: [String] = []
        while let line = try lines.next(until: Deadline(in: .seconds(60))) { if !line.isEmpty { log.append(line) } }
        #expect(process.wait(until: Deadline(in: .seconds(20))) == .exited(0), "\(log.suffix(5))")
        let messages = fixture.log
        #expect(messages.contains { $0.contains("VHOST_USER_SET_MEM_TABLE") }, "the port came up: \(messages)")
        #expect(!messages.contains { $0.contains("GET_CONFIG") }, "\(messages)")
        // MQ (bit 0), REPLY_ACK (3), STATUS (16), of which serve offers the first two.
        let acked = try #require(messages.compactMap { $0.components(separatedBy: "SET_PROTOCOL_FEATURES 0x").dropFirst().first }
            .first.flatMap { UInt64($0, radix: 16) })
        #expect(acked & ~UInt64(1 << 0 | 1 << 3 | 1 << 16) == 0 && acked == 1 << 0 | 1 << 3)
        let set = try #require(messages.compactMap { $0.components(separatedBy: "SET_FEATURES 0x").dropFirst().first }
            .first.flatMap { UInt64($0.prefix { $0.isHexDigit }, radix: 16) })
        #expect(set & 1 << 3 == 0, "MTU never reaches virtio-user's features")
        let pmd = TestpmdLog(log)
        #expect(pmd.offered.map { $0 & 1 << 3 } == 0)
        #expect(pmd.macs.first != nil && pmd.macs.first != "52:54:00:12:34:56", "the MAC is made up: \(pmd.macs)")
        #expect(log.contains { $0.contains("No valid MAC in devargs or device, use random") })
    }
}

/// Where DPDK's drivers and runtime folders are.
enum DPDKDrivers {
    /// The virtio and ring-mempool drivers, which testpmd loads with -d: in the folder of DPDK's
    /// libraries (Debian's /usr/lib/x86_64-linux-gnu), each by its ABI-versioned name.
    static func paths(for testpmd: String) throws -> [String] {
        let folders = ["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/local/lib/x86_64-linux-gnu", "/usr/lib"]
        return try ["librte_net_virtio.so.", "librte_mempool_ring.so."].map { prefix in
            for folder in folders {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                // librte_net_virtio.so.23, not .so.23.0.
                if let name = names.filter({ $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains(".") }).min() {
                    return folder + "/" + name
                }
            }
            throw TestFailure("no \(prefix)* beside \(testpmd)'s libraries")
        }
    }

    /// EAL's runtime folder for a file prefix: /var/run/dpdk for root, else XDG_RUNTIME_DIR's or /tmp's.
    static func removeRuntimeFolder(_ prefix: String) {
        let base = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"] ?? "/tmp"
        for parent in ["/var/run/dpdk", base + "/dpdk"] {
            try? FileManager.default.removeItem(atPath: parent + "/" + prefix)
            // The parent only if nothing else is in it.
            if (try? FileManager.default.contentsOfDirectory(atPath: parent))?.isEmpty == true {
                try? FileManager.default.removeItem(atPath: parent)
            }
        }
    }
}
