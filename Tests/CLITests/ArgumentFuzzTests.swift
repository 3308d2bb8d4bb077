import Foundation
import Fuzzing
import Testing
import TestSupport
@testable import cfgspace

/// Random command lines for every subcommand: the only answers are 0, 1 and 64 (and conform's 2), and nothing
/// crashes. Thousands run in process (the commands that only read layouts); a few hundred run as
/// whole processes in a scratch folder, every subcommand included, each with a timeout.
@Suite struct ArgumentFuzzTests {
    /// Commands that read layouts and print, so many thousands can run in this process.
    static let inProcess: Set<String> = ["check", "table", "diff", "coverage", "summary", "simulate", "list"]

    @Test func inProcessVectorsOnlyEverGetZeroOneOrSixtyFour() throws {
        let folder = try Tools.temporaryFolder("argv-in-process")
        defer { try? FileManager.default.removeItem(at: folder) }
        let paths = try Self.scratchPaths(in: folder)
        let specs = CFGSpace.commands.map { $0.spec }.filter { Self.inProcess.contains($0.name) }
        var vectors = ArgumentVectors(commands: specs, paths: paths, seed: 0xA76)
        var seen: [Int32: Int] = [:]
        for _ in 0..<3000 {
            let vector = vectors.next()
            let code = CFGSpace.main(vector, console: .silent).rawValue
            seen[code, default: 0] += 1
            #expect([0, 1, 64].contains(code), "\(vector) gave \(code)")
        }
        // A run that never succeeded, never failed or never misused tested little.
        #expect(seen.keys.sorted() == [0, 1, 64], "\(seen)")
    }

    @Test func wholeProcessVectorsForEverySubcommand() throws {
        let folder = try Tools.temporaryFolder("argv-process")
        defer { try? FileManager.default.removeItem(at: folder) }
        let paths = try Self.scratchPaths(in: folder)
        var environment = ProcessInfo.processInfo.environment
        // No guest image to boot: guest fails at once instead of building one.
        environment["CFGSPACE_GUEST_CACHE"] = folder.appendingPathComponent("no-guest-cache").path
        var vectors = ArgumentVectors(commands: CFGSpace.commands.map { $0.spec }, paths: paths, seed: 0xB77)
        for _ in 0..<150 {
            let vector = vectors.next()
            let result = try Subprocess.run(Subprocess.cfgspace, vector, in: folder, environment: environment,
                                            timeout: .seconds(20))
            if result.timedOut {
                // Only serve runs until it is told to stop; anything else that outlasts 20 s hangs.
                #expect(vector.first == "serve", "\(vector) ran past 20 s")
                continue
            }
            #expect(!result.endedBySignal, "\(vector) ended by signal \(result.status): \(result.stderr.suffix(500))")
            // conform also answers 2: the struct cannot be measured.
            let allowed: [Int32] = vector.first == "conform" ? [0, 1, 2, 64] : [0, 1, 64]
            #expect(allowed.contains(result.status), "\(vector) gave \(result.status): \(result.stderr.suffix(500))")
        }
    }

    /// Paths a vector may name: a layout copy, a file that is no layout, a folder, and places that
    /// do not exist, all inside the scratch folder.
    static func scratchPaths(in folder: URL) throws -> [String] {
        let layout = folder.appendingPathComponent("net.layout")
        try Data(contentsOf: PackagePaths.layout("net.layout")).write(to: layout)
        let garbage = folder.appendingPathComponent("garbage.layout")
        try Data([0xFF, 0x00, 0x7B]).write(to: garbage)
        let sub = folder.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        return [layout.path, garbage.path, sub.path, folder.appendingPathComponent("missing/x.layout").path,
                folder.appendingPathComponent("out").path, folder.appendingPathComponent("x.sock").path]
    }
}
