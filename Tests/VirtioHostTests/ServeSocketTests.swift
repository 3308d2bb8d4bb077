import CVirtioHost
import Foundation
import Testing
import TestSupport
import ConfigLayout
import VirtioModel
@testable import VirtioHost

/// The socket `serve` listens on: whose it is, who may connect, and what it points at.
@Suite struct ServeSocketTests {
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    /// Leaves a socket file at `path` that nobody listens on, as a killed server does.
    static func bindAndClose(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    /// A socket someone listens on belongs to that someone: serve refuses it, says so, and the
    /// listener goes on being reachable.
    @Test func aLiveSocketIsRefused() throws {
        let served = try VhostUserServeTests.blkServed()
        let first = try ServeFixture(served, label: "live")
        defer { first.close() }
        do {
            _ = try VhostUserServer(path: first.socketPath, served: served, log: .silent)
            Issue.record("a second server took over \(first.socketPath)")
        } catch {
            #expect(error.description.contains("something is listening"), "\(error.description)")
        }
        let result = try VhostUserProbe.run(socket: first.socketPath, layout: ("blk", served.device))
        #expect(result.bytes == served.bytes(modern: true))
    }

    /// A socket file nobody listens on (left by a server that was killed) is replaced.
    @Test func aStaleSocketIsReplaced() throws {
        let folder = try Tools.temporaryFolder("stale")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("stale.sock").path
        #expect(Self.bindAndClose(path))
        #expect(Self.mode(path) != nil)
        let served = try VhostUserServeTests.blkServed()
        let server = try VhostUserServer(path: path, served: served, log: .silent)
        _ = server
        #expect(cvh_unix_connect(path) >= 0)
    }

    /// The socket is the owner's alone (0600), whatever the umask, as a control socket should be.
    @Test func theSocketIsTheOwnersAlone() throws {
        let fixture = try ServeFixture(try VhostUserServeTests.blkServed(), label: "mode")
        defer { fixture.close() }
        #expect(Self.mode(fixture.socketPath) == 0o600)
    }

    /// An upstream at the interposer's own path, one too long for a Unix socket address, and one
    /// nobody listens on are all refused before anything listens.
    @Test func aBadUpstreamIsRefusedAtStart() throws {
        let folder = try Tools.temporaryFolder("upstream")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("interposer.sock").path
        let settings = try ServedDevice(device: try ServeQEMUTests.blk(), interpretation: .fixed, offered: FeatureSet(), values: [])
        let long = folder.path + "/" + String(repeating: "u", count: 120) + ".sock"
        for (upstream, words) in [(path, "its own socket"), (folder.path + "/./interposer.sock", "its own socket"),
                                  (long, "longer than"), (folder.appendingPathComponent("nobody.sock").path, "nothing listens")] {
            do {
                _ = try VhostUserServer(path: path, upstream: upstream, served: settings, log: .silent)
                Issue.record("--upstream \(upstream) was accepted")
            } catch {
                #expect(error.description.contains(words), "\(upstream): \(error.description)")
            }
            #expect(Self.mode(path) == nil, "a socket was left at \(path)")
        }
    }
}
