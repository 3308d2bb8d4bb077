import Foundation
import Testing
import TestSupport

/// The built `cfgspace serve` from start to end: the paths it is given, the socket it makes, and
/// the signals that stop it.
@Suite struct ServeLifecycleCLITests {
    /// `cfgspace serve` started in the background, its standard input a pipe that stays open.
    final class Server {
        let process = Process()
        let input = Pipe()
        let errors = Pipe()
        let socket: String

        init(_ arguments: [String], socket: String, shell: String? = nil) throws {
            // A server that has already exited must fail a write to its input, not end the tests.
            signal(SIGPIPE, SIG_IGN)
            self.socket = socket
            if let shell {
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", shell + "; exec \"$0\" \"$@\"", Subprocess.cfgspace.path] + arguments
            } else {
                process.executableURL = Subprocess.cfgspace
                process.arguments = arguments
            }
            process.standardInput = input
            process.standardError = errors
            try process.run()
        }

        /// Sends `quit` on standard input.
        func quit() {
            try? input.fileHandleForWriting.write(contentsOf: Data("quit\n".utf8))
        }

        /// Waits (bounded) for the socket to appear.
        func listening() -> Bool {
            let end = Date().addingTimeInterval(10)
            while !FileManager.default.fileExists(atPath: socket) && Date() < end && process.isRunning { usleep(10_000) }
            return FileManager.default.fileExists(atPath: socket)
        }

        /// Waits (bounded) for the process to end; its status, or nil if it did not.
        func ended() -> Int32? {
            let end = Date().addingTimeInterval(10)
            while process.isRunning && Date() < end { usleep(10_000) }
            return process.isRunning ? nil : process.terminationStatus
        }

        var stderr: String {
            String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }

    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    /// SIGTERM and SIGINT stop serve as `quit` does: it exits 0 and its socket is gone.
    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalStopsServeAndRemovesItsSocket(signal: Int32) throws {
        let folder = try Tools.temporaryFolder("serve-signal")
        defer { try? FileManager.default.removeItem(at: folder) }
        let socket = folder.appendingPathComponent("blk.sock").path
        let server = try Server(["serve", "--vhost-user", socket, "blk"], socket: socket)
        #expect(server.listening())
        kill(server.process.processIdentifier, signal)
        let status = server.ended()
        #expect(status == 0 && server.process.terminationReason == .exit,
                "serve ended with \(status.map { "\($0), \(server.process.terminationReason)" } ?? "nothing: it runs on")")
        #expect(!FileManager.default.fileExists(atPath: socket), "\(socket) was left behind")
    }

    /// A second serve on the first one's socket is refused, and says so; the first goes on serving.
    @Test func aSecondServeOnALiveSocketIsRefused() throws {
        let folder = try Tools.temporaryFolder("serve-live")
        defer { try? FileManager.default.removeItem(at: folder) }
        let socket = folder.appendingPathComponent("blk.sock").path
        let first = try Server(["serve", "--vhost-user", socket, "blk", "--set", "capacity=77"], socket: socket)
        #expect(first.listening())
        let second = try Subprocess.run(Subprocess.cfgspace, ["serve", "--vhost-user", socket, "blk"], in: PackagePaths.root,
                                        timeout: .seconds(20))
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("something is listening"), "\(second.stderr)")
        let probe = try Subprocess.cfgspace("probe", "vhost-user", "--socket", socket, "--device", "blk", "--format", "json")
        #expect(probe.status == 0, "\(probe.stderr)")
        #expect(probe.stdout.contains("\"77\""))
        first.quit()
        #expect(first.ended() == 0)
    }

    /// The socket is 0600 under any umask; `--socket-mode` asks for another.
    @Test(arguments: [(nil, 0o600), ("0660", 0o660)] as [(String?, mode_t)])
    func theSocketModeIgnoresTheUmask(option: String?, expected: mode_t) throws {
        let folder = try Tools.temporaryFolder("serve-mode")
        defer { try? FileManager.default.removeItem(at: folder) }
        let socket = folder.appendingPathComponent("blk.sock").path
        let server = try Server(["serve", "--vhost-user", socket, "blk"] + (option.map { ["--socket-mode", $0] } ?? []),
                                socket: socket, shell: "umask 000")
        #expect(server.listening())
        #expect(Self.mode(socket) == expected)
        server.quit()
        #expect(server.ended() == 0)
    }

    /// Paths that can never work are usage errors, said before anything listens; an upstream that
    /// nobody answers is an error at start, not at each connection.
    @Test func badPathsAreRefusedAtStart() throws {
        let folder = try Tools.temporaryFolder("serve-paths")
        defer { try? FileManager.default.removeItem(at: folder) }
        let socket = folder.appendingPathComponent("blk.sock").path
        let long = folder.path + "/" + String(repeating: "p", count: 110) + ".sock"
        let cases: [([String], Int32, String)] = [
            (["--upstream", socket], 64, "--upstream is the socket serve listens on"),
            (["--upstream", long], 64, "at most 107 bytes"),
            (["--upstream", folder.appendingPathComponent("nobody.sock").path], 1, "nothing listens"),
            (["--socket-mode", "999"], 64, "--socket-mode"),
        ]
        for (extra, status, words) in cases {
            let result = try Subprocess.run(Subprocess.cfgspace, ["serve", "--vhost-user", socket, "blk"] + extra,
                                            in: PackagePaths.root, timeout: .seconds(20))
            #expect(result.status == status, "\(extra): \(result.stderr)")
            #expect(result.stderr.contains(words), "\(extra): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: socket))
        }
        let tooLong = try Subprocess.run(Subprocess.cfgspace, ["serve", "--vhost-user", long, "blk"], in: PackagePaths.root,
                                         timeout: .seconds(20))
        #expect(tooLong.status == 64, "\(tooLong.stderr)")
        #expect(tooLong.stderr.contains("at most 107 bytes"), "\(tooLong.stderr)")
    }
}
