import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// The model of Linux 6.1's virtiofs (Debian 6.1.192) on configurations built by hand, each
/// expectation worked out from fs/fuse/virtio_fs.c; the guest tests hold the model against the
/// real driver.
@Suite struct LinuxFSDriverTests {
    /// The tag as 36 single-byte reads in a generation loop, then num_request_queues as one 32-bit read.
    @Test func theTagAndQueuesAsRead() throws {
        let outcome = try linuxRun("fs", [("tag", "myfs"), ("num_request_queues", "3")])
        #expect(outcome.probeFailure == nil)
        #expect(outcome.text("tag") == "myfs")
        #expect(outcome.text("request_queues") == "3")
        #expect(outcome.accesses(of: "tag").map(\.offset) == Array(0..<36))
        #expect(outcome.accesses(of: "tag").allSatisfy { $0.width == 1 })
        #expect(outcome.accesses(of: "num_request_queues").map { "\($0.offset)/\($0.width)" } == ["36/4"])
        #expect(outcome.view.log == ["virtio_fs_setup_dax: No cache capability"])
    }

    /// A tag filling all 36 bytes has no NUL, and is taken whole; bytes after a NUL are ignored.
    @Test(arguments: [("abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz0123456789"),
                      ("\"ab\"", "ab")])
    func theTagEndsAtItsFirstNULOrItsLastByte(tag: String, expected: String) throws {
        let outcome = try linuxRun("fs", [("tag", tag)])
        #expect(outcome.text("tag") == expected)
    }

    @Test func bytesAfterTheFirstNULAreIgnored() throws {
        let outcome = try linuxRun("fs", bytes: [("tag", Self.tag([0x61, 0x62, 0x00, 0x63, 0x64]))])
        #expect(outcome.text("tag") == "ab")
    }

    /// 36 bytes, NUL-padded.
    static func tag(_ bytes: [UInt8]) -> [UInt8] { bytes + [UInt8](repeating: 0, count: 36 - bytes.count) }

    /// /proc/mounts escapes a space as \040 (mangle in fs/proc_namespace.c).
    @Test func aSpaceIsEscapedAsTheMountSource() throws {
        #expect(LinuxFSDriver.mountSource(Array("a b\\c".utf8)) == "a\\040b\\134c")
    }

    /// The refusals: an empty tag, a tag with a newline (Debian's 6.1.107 backport) and no request
    /// queue, each -EINVAL, which the driver core reports.
    @Test(arguments: [
        ([], [("tag", tag([]))], "empty tag: -EINVAL"),
        ([], [("tag", tag([0x61, 0x0a, 0x62]))], "refusing virtiofs tag with newline character"),
        ([("num_request_queues", "0")], [], "num_request_queues is 0: -EINVAL"),
    ])
    func refusals(values: [(String, String)], bytes: [(String, [UInt8])], failure: String) throws {
        let outcome = try linuxRun("fs", values, bytes: bytes)
        #expect(outcome.probeFailure == failure)
        #expect(outcome.view.log == ["virtiofs: probe of virtioN failed with error -22"])
        #expect(outcome.view["tag"] == nil)
        #expect(!outcome.finalStatus.contains(.driverOK))
    }

    /// 6.1 knows no NOTIFICATION: offered, it is left, and notify_buf_size is never read; packed moves
    /// nothing the driver reads, as notify_buf_size comes last.
    @Test func notifyBufSizeIsNeverRead() throws {
        let outcome = try linuxRun("fs", [("tag", "myfs")], features: "+NOTIFICATION")
        #expect(outcome.accesses(of: "notify_buf_size").isEmpty)
        let device = try builtinDevice("fs")
        #expect(outcome.unsupported.contains(try #require(device.bit(named: "NOTIFICATION"))))
        let fixed = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        let packed = Layout(device: device, features: FeatureSet(), interpretation: .packed)
        for field in LinuxFSDriver.kind.fields { #expect(fixed.field(field)?.offset == packed.field(field)?.offset) }
    }

    /// QEMU's vhost-user-fs serves 40 bytes: tag and num_request_queues (`vuf_get_config`).
    @Test func qemuServesFortyBytes() throws {
        #expect(try linuxRun("fs").configSize == 40)
    }
}
