import ConfigLayout
import Foundation
import VirtioHost

/// Cases 5 and 6, and the whole-process runs of the others: cfgspace as build pipelines run it.
enum ProcessCases {
    /// One whole-process run: its seconds and its peak memory.
    static func timed(_ program: String, _ arguments: [String]) throws -> (seconds: Double, peakKiB: Int) {
        let run = try timed(program, arguments, limit: .seconds(600))
        guard let seconds = run.seconds else {
            throw HostError(.timeout, "\(program) \(arguments.joined(separator: " ")) did not finish in 600 s")
        }
        return (seconds, run.peakKiB)
    }

    /// One whole-process run stopped at `limit`: nil seconds if it was, with the peak it reached.
    static func timed(_ program: String, _ arguments: [String], limit: Duration) throws -> (seconds: Double?, peakKiB: Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let child = try ChildProcess(executable: program, arguments: arguments, errors: .null)
        guard let ended = child.wait(until: Deadline(in: limit)) else {
            child.terminate()
            return (nil, child.peakMemoryKiB ?? 0)
        }
        let seconds = Bench.seconds(clock.now - start)
        guard ended == .exited(0) else { throw HostError(.refused, "\(program) \(arguments.joined(separator: " ")): \(ended)") }
        return (seconds, child.peakMemoryKiB ?? 0)
    }

    /// A whole-process run, warmed up once and repeated.
    static func measure(_ name: String, repeats: Int, _ program: String, _ arguments: [String]) throws -> (Measurement, Int) {
        try measure(name, repeats: repeats, program) { _ in arguments }
    }

    /// A whole-process run whose arguments may differ from run to run (run 0 is the warm-up).
    static func measure(_ name: String, repeats: Int, _ program: String, arguments: (Int) -> [String]) throws -> (Measurement, Int) {
        _ = try timed(program, arguments(0))
        var samples: [Double] = []
        var peak = 0
        for run in 1...repeats {
            let run = try timed(program, arguments(run))
            samples.append(run.seconds)
            peak = max(peak, run.peakKiB)
        }
        return (Measurement(name: name, samples: samples, iterations: 1), peak)
    }

    /// Case 5: `generate --target all` beside `cfgspace --version`, both whole processes.
    static func generate(cfgspace: String, repeats: Int) -> CaseResult {
        var result = CaseResult(number: 5, title: "generate --target all as a whole process, beside cfgspace --version",
                                target: "under 3×")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfgspace-bench-generate-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let arguments = ["generate", "--target", "all", "--output", folder.path]
            let (version, _) = try measure("cfgspace --version", repeats: repeats, cfgspace, ["--version"])
            // Into an empty folder, as a first build does; then over its own output, as every later
            // build does (every file already holds its bytes and is left alone).
            // A new folder each run: deleting the last run's 149 files just before would time the
            // file system's handling of freshly freed inodes rather than a first build.
            let (fresh, _) = try measure("generate --target all, empty folder", repeats: repeats, cfgspace) { run in
                ["generate", "--target", "all", "--output", folder.appendingPathComponent("fresh-\(run)").path]
            }
            let (again, _) = try measure("generate --target all, up to date", repeats: repeats, cfgspace, arguments)
            result.measurements = [version, fresh, again]
            let ratios = [fresh, again].map { $0.median / version.median }
            result.figures.append(("ratio (median)", String(format: "empty folder %.2f×, up to date %.2f×", ratios[0], ratios[1])))
            result.met = ratios.allSatisfy { $0 < 3 }
        } catch {
            result.notes.append("not measured: \(error)")
        }
        return result
    }

    /// Case 6: `check` over every layout beside gcc -fsyntax-only over Linux's virtio UAPI headers.
    static func check(cfgspace: String, repeats: Int) -> CaseResult {
        var result = CaseResult(number: 6, title: "check every layout as a whole process, beside gcc -fsyntax-only over Linux's virtio headers",
                                target: "at most 1.0×, reported")
        do {
            let headers = try FileManager.default.contentsOfDirectory(atPath: "/usr/include/linux")
                .filter { $0.hasPrefix("virtio_") && $0.hasSuffix(".h") }.sorted()
            let source = FileManager.default.temporaryDirectory.appendingPathComponent("cfgspace-bench-headers-\(getpid()).c")
            defer { try? FileManager.default.removeItem(at: source) }
            try headers.map { "#include <linux/\($0)>\n" }.joined().write(to: source, atomically: true, encoding: .utf8)
            let gcc = try Program.locate("gcc")
            let (compiler, _) = try measure("gcc -fsyntax-only (\(headers.count) headers)", repeats: repeats, gcc,
                                            ["-fsyntax-only", source.path])
            // The checkout's Layouts/*.layout when run from it, as the issue measured; else the same
            // files built in.
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: "Layouts")) ?? [])
                .filter { $0.hasSuffix(".layout") }.sorted().map { "Layouts/" + $0 }
            let layouts = files.isEmpty ? BuiltinLayouts.names : files
            let (check, _) = try measure("check (\(layouts.count) layouts)", repeats: repeats, cfgspace, ["check"] + layouts)
            result.measurements = [compiler, check]
            let ratio = check.median / compiler.median
            result.figures.append(("ratio (median)", String(format: "%.2f×", ratio)))
            result.met = ratio <= 1.0
        } catch {
            result.notes.append("not measured: \(error)")
        }
        return result
    }
}
