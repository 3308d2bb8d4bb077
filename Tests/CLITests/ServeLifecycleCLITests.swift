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

/// What serve offers when not told, and what it says of a device a driver would refuse.
@Suite struct ServeOfferCLITests {
    /// Runs serve until `quit`, returning its status, its standard error and whether the socket went.
    static func serve(_ arguments: [String]) throws -> (status: Int32?, stderr: String, removed: Bool) {
        let folder = try Tools.temporaryFolder("serve-offer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let socket = folder.appendingPathComponent("dev.sock").path
        let server = try ServeLifecycleCLITests.Server(["serve", "--vhost-user", socket] + arguments, socket: socket)
        let listening = server.listening()
        server.quit()
        let status = server.ended()
        return (listening ? status : nil, server.stderr, !FileManager.default.fileExists(atPath: socket))
    }

    /// `quit` on standard input says it is leaving, ends with 0 and takes the socket with it.
    @Test func quitSaysItIsLeaving() throws {
        let (status, stderr, removed) = try Self.serve(["blk", "--set", "capacity=4096"])
        #expect(status == 0, "\(stderr)")
        let said = stderr.replacingOccurrences(of: "\n  ", with: " ")
        #expect(said.contains("cfgspace serve: quit: closing ") && said.contains("dev.sock and leaving"), "\(stderr)")
        #expect(TextFit.problems(in: stderr).isEmpty, "\(TextFit.problems(in: stderr))")
        #expect(removed)
    }

    /// The fields --set gives bring their features, and nothing else is offered: no SEG_MAX with
    /// seg_max 0, no SECURE_ERASE or ZONED with zero limits.
    @Test(arguments: [
        (["blk", "--set", "capacity=4096"], "offering VERSION_1"),
        (["blk", "--set", "blk_size=4096", "--set", "writeback=1"], "offering BLK_SIZE, FLUSH, CONFIG_WCE, VERSION_1"),
        (["net", "--set", "mtu=9000", "--set", "max_virtqueue_pairs=2"], "offering MTU, CTRL_VQ, MQ, VERSION_1"),
        // cols and rows exist always and mean something under SIZE (`valid if SIZE`).
        (["console", "--set", "cols=80", "--set", "rows=25"], "offering SIZE, VERSION_1"),
    ])
    func theGivenFieldsBringTheirFeatures(arguments: [String], banner: String) throws {
        let (status, stderr, _) = try Self.serve(arguments)
        #expect(status == 0, "\(stderr)")
        #expect(stderr.replacingOccurrences(of: "\n  ", with: " ").contains(banner), "\(stderr)")
        #expect(!stderr.contains("warning"), "\(stderr)")
    }

    /// A device Linux would refuse, or a value outside its range, is warned of, and still served.
    @Test(arguments: [
        (["blk", "--features", "all"], "(\"MQ advertised but zero queues reported\")"),
        (["blk", "--set", "blk_size=0"], "(\"virtio_blk: invalid block size: 0x0\")"),
        (["net", "--set", "mtu=20"], "mtu is 20, outside 68...65535"),
    ])
    func aDeviceADriverWouldRefuseIsWarnedOf(arguments: [String], reason: String) throws {
        let (status, stderr, _) = try Self.serve(arguments)
        #expect(status == 0, "\(stderr)")
        let warning = stderr.replacingOccurrences(of: "\n  ", with: " ")
        #expect(warning.contains("cfgspace: warning: ") && warning.contains(reason), "\(stderr)")
        #expect(warning.contains("Give its fields values with --set, or choose the features with --features."), "\(stderr)")
        #expect(TextFit.problems(in: stderr).isEmpty, "\(TextFit.problems(in: stderr))")
    }
}
