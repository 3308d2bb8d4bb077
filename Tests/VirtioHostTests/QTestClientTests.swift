import Testing
@testable import VirtioHost

/// A qtest channel that answers from a script: what a broken or hostile QEMU could say.
final class ScriptedChannel: QTestClient.Channel {
    var replies: [String?]
    private(set) var sent: [String] = []

    init(_ replies: [String?]) { self.replies = replies }

    func send(_ line: String, until deadline: Deadline) throws(HostError) { sent.append(line) }

    func receive(until deadline: Deadline) throws(HostError) -> String? {
        guard !replies.isEmpty else { throw HostError(.timeout, "no answer from the script in time") }
        return replies.removeFirst()
    }
}

@Suite struct QTestClientTests {
    @Test func readsAValueOfTheAccessWidth() throws {
        let channel = ScriptedChannel(["OK 0x2328"])
        let client = QTestClient(channel: channel)
        #expect(try client.memoryRead(2, 0xe000_000a) == 0x2328)
        #expect(channel.sent == ["readw 0xe000000a"])
    }

    @Test func skipsInterruptNoticesBetweenReplies() throws {
        let client = QTestClient(channel: ScriptedChannel(["IRQ raise 11", "OK 0x1"]))
        #expect(try client.portRead(1, 0xc012) == 1)
    }

    @Test(arguments: [
        ("OK 0x12345", HostError.Kind.protocolViolation),   // does not fit a 2-byte read
        ("OK banana", .protocolViolation),
        ("OK", .protocolViolation),
        ("FAIL Unknown command", .refused),
        ("BOGUS", .protocolViolation),
    ])
    func rejectsReplies(reply: String, kind: HostError.Kind) {
        let client = QTestClient(channel: ScriptedChannel([reply]))
        do {
            _ = try client.memoryRead(2, 0)
            Issue.record("'\(reply)' was taken as a 2-byte value")
        } catch {
            #expect(error.kind == kind, "\(error)")
        }
        // The next command meets an empty script: a timeout, never a hang.
        do {
            _ = try client.memoryRead(2, 0)
            Issue.record("an empty script answered")
        } catch {
            #expect(error.kind == .timeout)
        }
    }

    @Test func aClosedChannelIsAnError() {
        let client = QTestClient(channel: ScriptedChannel([nil]))
        do {
            try client.portWrite(4, 0xcf8, 0x8000_0000)
            Issue.record("a closed channel was taken as OK")
        } catch {
            #expect(error.kind == .protocolViolation)
        }
    }

    @Test func thereIsNoEightByteportAccess() {
        let client = QTestClient(channel: ScriptedChannel(["OK 0x0"]))
        #expect(throws: HostError.self) { try client.portRead(8, 0xcfc) }
    }
}

@Suite struct QEMUDeviceSpecTests {
    @Test func parsesDriverAndProperties() throws {
        let spec = try QEMUDeviceSpec.parse("virtio-net-pci,mq=off,host_mtu=9000").get()
        #expect(spec.driver == "virtio-net-pci")
        #expect(spec.value("host_mtu") == "9000")
        #expect(spec.flag("mq") == false)
        #expect(spec.description == "virtio-net-pci,mq=off,host_mtu=9000")
    }

    @Test func doubledCommasStayInsideAValue() throws {
        let spec = try QEMUDeviceSpec.parse("virtio-9p-pci,mount_tag=a,,b").get()
        #expect(spec.value("mount_tag") == "a,b")
        #expect(spec.description == "virtio-9p-pci,mount_tag=a,,b")
    }

    @Test func numbersTakeQEMUsSuffixes() throws {
        let spec = try QEMUDeviceSpec.parse("virtio-mem-pci,requested-size=64M,block-size=0x200000").get()
        #expect(spec.number("requested-size") == 64 << 20)
        #expect(spec.number("block-size") == 0x20_0000)
    }

    @Test(arguments: ["", "host_mtu=9000", "virtio-net-pci,novalue", "virtio-net-pci,=x"])
    func rejectsWhatIsNoDeviceSpec(text: String) {
        if case .success(let spec) = QEMUDeviceSpec.parse(text) { Issue.record("'\(text)' parsed as \(spec)") }
    }
}
