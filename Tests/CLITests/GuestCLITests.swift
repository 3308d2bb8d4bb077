import Foundation
import Testing
import TestSupport

/// `cfgspace guest` through the built executable: every mistake is a usage error before anything
/// starts, and a whole run exits 0 with a JSON report when the guest's driver agrees.
@Suite struct GuestCLITests {
    @Test(arguments: [
        ["--cpus", "0"], ["--device", "gpio"], ["--direct", "--set", "capacity=1"], ["--layout", "net"],
        ["--resize-to", "lots"], ["--device", "net", "--set", "capacity=1"], ["--device", "net", "--interpretation", "packed"],
        ["--qemu-device", "virtio-net-pci", "--device", "blk"], ["--set", "nosuch=1"], ["--features", "NOPE"],
    ])
    func mistakesAreUsageErrors(arguments: [String]) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, ["guest"] + arguments, in: PackagePaths.root)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
    }

    private static var canBoot: Bool {
        Tools.find("qemu-system-x86_64") != nil && Tools.find("qemu-storage-daemon") != nil && Tools.find("cpio") != nil
    }

    @Test(.enabled(if: canBoot || Tools.areRequired, "needs QEMU, qemu-storage-daemon and cpio to build and boot the guest"))
    func aWholeRunReportsAgreementAsJSON() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["CFGSPACE_GUEST_CACHE"] = environment["CFGSPACE_GUEST_CACHE"]
            ?? PackagePaths.root.appendingPathComponent(".cache/guest").path
        let result = try Subprocess.run(Subprocess.cfgspace, ["guest", "--device", "blk", "--cpus", "1", "--format", "json"],
                                        in: PackagePaths.root, environment: environment)
        #expect(result.status == 0, "\(result.stderr)\n\(result.stdout)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["agrees"] as? Bool == true)
        let rows = try #require(document["rows"] as? [[String: Any]])
        #expect(rows.first { $0["name"] as? String == "queues" }?["guest"] as? String == "1")
    }

    /// An interrupted guest leaves nothing behind: SIGINT or SIGTERM once the interposer is up (its
    /// folder appears, after qemu-storage-daemon's), and cfgspace ends with no daemon or QEMU left
    /// in its process groups and nothing left in its temporary folder (TMPDIR).
    @Test(.enabled(if: canBoot || Tools.areRequired, "needs QEMU, qemu-storage-daemon and cpio to build and boot the guest"),
          arguments: [(SIGINT, "cfgspace-serve-"), (SIGTERM, "cfgspace-serve-"), (SIGTERM, "cfgspace-qsd-")])
    func anInterruptedGuestLeavesNothingBehind(signal: Int32, after folderPrefix: String) throws {
        // A short TMPDIR (mkdtemp's six letters, not a UUID): the guest's sockets go in folders under
        // it, and a socket's path holds at most 107 bytes.
        var template = Array((FileManager.default.temporaryDirectory.path + "/cfgspace-gs-XXXXXX").utf8CString)
        guard let folder = mkdtemp(&template) else { throw TestFailure("mkdtemp: \(String(cString: strerror(errno)))") }
        let scratch = URL(fileURLWithPath: String(cString: folder), isDirectory: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var environment = ProcessInfo.processInfo.environment
        environment["CFGSPACE_GUEST_CACHE"] = environment["CFGSPACE_GUEST_CACHE"]
            ?? PackagePaths.root.appendingPathComponent(".cache/guest").path
        environment["TMPDIR"] = scratch.path
        let guest = Process()
        guest.executableURL = Subprocess.cfgspace
        guest.arguments = ["guest", "--device", "blk", "--cpus", "1"]
        guest.environment = environment
        let errors = try Tools.temporaryFolder("guest-signal-errors")
        defer { try? FileManager.default.removeItem(at: errors) }
        let errorFile = errors.appendingPathComponent("stderr")
        #expect(FileManager.default.createFile(atPath: errorFile.path, contents: nil))
        guest.standardOutput = FileHandle.nullDevice
        guest.standardError = try FileHandle(forWritingTo: errorFile)
        try guest.run()
        func said() -> String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }
        defer { if guest.isRunning { kill(guest.processIdentifier, SIGKILL); guest.waitUntilExit() } }
        func made() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? [] }
        var end = Date().addingTimeInterval(60)
        while guest.isRunning && Date() < end && !made().contains(where: { $0.hasPrefix(folderPrefix) }) { usleep(5_000) }
        #expect(made().contains { $0.hasPrefix(folderPrefix) }, "the guest never made \(folderPrefix)*: \(made()); \(said())")
        let descendants = Self.descendants(of: guest.processIdentifier)
        kill(guest.processIdentifier, signal)
        end = Date().addingTimeInterval(20)
        while guest.isRunning && Date() < end { usleep(10_000) }
        #expect(!guest.isRunning)
        // It ends by the signal, as an interrupted command should, not with an error of its own.
        #expect(!guest.isRunning && guest.terminationReason == .uncaughtSignal && guest.terminationStatus == signal,
                "\(said())")
        #expect(made().isEmpty, "left in TMPDIR: \(made()); \(said())")
        // QEMU ended by the signal's cleanup is no error of the command's to report.
        #expect(!said().contains("error:"), "\(said())")
        for pid in descendants { #expect(!Self.isAlive(pid), "process \(pid) outlived the guest command") }
    }

    /// Whether a process runs (a zombie is dead, only not yet reaped).
    private static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    /// Every process below `pid` now, from /proc.
    private static func descendants(of pid: Int32) -> [Int32] {
        let all = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        var parents: [Int32: Int32] = [:]
        for candidate in all {
            guard let stat = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[candidate] = parent }
        }
        var found: [Int32] = []
        var frontier = [pid]
        while let next = frontier.popLast() {
            let children = parents.filter { $0.value == next }.map(\.key)
            found += children
            frontier += children
        }
        return found
    }
}
