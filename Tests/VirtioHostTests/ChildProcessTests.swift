import Foundation
import Testing
import TestSupport
@testable import VirtioHost

/// Supervision: every child heads its own group, and the whole group dies on every way out.
@Suite struct ChildProcessTests {
    @Test func terminateKillsTheWholeGroupAndReaps() throws {
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "sleep 300 & sleep 300 & wait"])
        #expect(ProcessTable.eventually { ProcessTable.members(ofGroup: child.pid).count >= 3 })
        let ended = child.terminate(grace: .milliseconds(500))
        #expect(ended != .exited(0))
        #expect(ProcessTable.eventually { ProcessTable.members(ofGroup: child.pid).isEmpty })
        #expect(child.termination == ended)
    }

    @Test func dropingTheLastReferenceKillsTheGroup() throws {
        var group: Int32 = 0
        do {
            let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "sleep 300 & wait"])
            group = child.pid
            #expect(ProcessTable.eventually { ProcessTable.members(ofGroup: group).count >= 2 })
        }
        #expect(ProcessTable.eventually { ProcessTable.members(ofGroup: group).isEmpty })
    }

    @Test func aChildThatIgnoresSIGTERMIsKilledAfterTheGrace() throws {
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "trap '' TERM; sleep 300 & wait"])
        #expect(ProcessTable.eventually { ProcessTable.members(ofGroup: child.pid).count >= 2 })
        let started = Date()
        _ = child.terminate(grace: .milliseconds(200))
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(ProcessTable.eventually { ProcessTable.members(ofGroup: child.pid).isEmpty })
    }

    @Test func standardErrorIsCollected() throws {
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "echo 'no such device' >&2; exit 3"])
        #expect(child.wait(until: Deadline(in: .seconds(10))) == .exited(3))
        #expect(child.finalErrorText() == "no such device\n")
    }

    @Test func aMissingProgramSaysSo() {
        do {
            _ = try ChildProcess(executable: "/nonexistent/qemu-system-x86_64", arguments: [])
            Issue.record("a missing program started")
        } catch {
            #expect(error.kind == .missingProgram)
        }
        do {
            _ = try Program.locate("cfgspace-no-such-program", environment: ["PATH": "/nonexistent"])
            Issue.record("a missing program was found")
        } catch {
            #expect(error.kind == .missingProgram)
            #expect(error.description.contains("/nonexistent"))
        }
    }

    @Test func passedDescriptorsArriveAsThreeOnward() throws {
        let (ours, theirs) = try Descriptor.socketPair()
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "echo hello >&3"], passing: [theirs.raw])
        theirs.close()
        let bytes = try ours.read(upTo: 64, until: Deadline(in: .seconds(10)), what: "the child")
        #expect(String(decoding: bytes, as: UTF8.self) == "hello\n")
        #expect(child.wait(until: Deadline(in: .seconds(10))) == .exited(0))
    }

    /// An interrupted `cfgspace probe` leaves no QEMU behind: the signal handlers kill every group a
    /// live child heads. A stand-in QEMU that never answers holds the probe in its wait.
    @Test func anInterruptedProbeLeavesNoQEMU() throws {
        let folder = try Tools.temporaryFolder("interrupt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = folder.appendingPathComponent("qemu-that-never-answers")
        try "#!/bin/sh\nsleep 300 & wait\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)

        let probe = try ChildProcess(executable: Subprocess.cfgspace.path,
                                     arguments: ["probe", "qemu", "--device", "virtio-net-pci", "--qemu", fake.path])
        var group: Int32 = 0
        #expect(ProcessTable.eventually {
            group = ProcessTable.children(of: probe.pid).first?.pid ?? 0
            return group != 0 && ProcessTable.members(ofGroup: group).count >= 2
        })
        kill(probe.pid, SIGINT)
        #expect(probe.wait(until: Deadline(in: .seconds(10))) == .signaled(SIGINT))
        #expect(ProcessTable.eventually { ProcessTable.members(ofGroup: group).isEmpty })
    }
}
