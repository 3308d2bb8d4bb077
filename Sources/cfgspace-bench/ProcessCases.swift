import ConfigLayout
import Foundation
import VirtioHost

/// Cases 2, 5 and 6: cfgspace as a whole process, as build pipelines run it.
enum ProcessCases {
    /// One whole-process run: its seconds and its peak memory.
    static func timed(_ program: String, _ arguments: [String]) throws -> (seconds: Double, peakKiB: Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let child = try ChildProcess(executable: program, arguments: arguments, errors: .null)
        guard let ended = child.wait(until: Deadline(in: .seconds(600))) else {
            throw HostError(.timeout, "\(program) \(arguments.joined(separator: " ")) did not finish in 600 s")
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

    static let scales = [(16, 16), (32, 64), (48, 64), (64, 64), (128, 128), (256, 128)]

    /// Case 2: the whole-space diff of generated layouts, whole process, with its peak memory; and
    /// beside the smallest, exhaustive enumeration of its 2^16 feature sets in process.
    static func diffScale(cfgspace: String, repeats: Int) -> CaseResult {
        var result = CaseResult(number: 2, title: "diff at scale: N conditional fields over M features, whole process",
                                target: "64 × 64 under 1 s and 256 MB; 256 × 128 completes")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfgspace-bench-scale-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var previous: Double?
            for (fields, features) in scales {
                let path = folder.appendingPathComponent("scale-\(fields)-\(features).layout").path
                try DiffScaleLayout.text(fields: fields, features: features).write(toFile: path, atomically: true, encoding: .utf8)
                let (measurement, peak) = try measure("diff \(fields) × \(features)", repeats: max(3, repeats / 4), cfgspace,
                                                      ["diff", path])
                result.measurements.append(measurement)
                var figure = String(format: "median %@, peak %.0f MB", formatTime(measurement.median), Double(peak) / 1024)
                if let previous { figure += String(format: ", %.1f× the row before", measurement.median / previous) }
                result.figures.append(("\(fields) × \(features)", figure))
                previous = measurement.median
                if fields == 64 && features == 64 { result.met = measurement.median < 1 && peak < 256 * 1024 }
            }
            // The checked-in 64-feature layout, one feature per field (Benchmarks/wide64.layout), when run
            // from the checkout.
            if FileManager.default.fileExists(atPath: "Benchmarks/wide64.layout") {
                for sizing in ["full", "qemu"] {
                    let (wide, peak) = try measure("diff wide64 (64 features), \(sizing) sizing", repeats: max(3, repeats / 4),
                                                   cfgspace, ["diff", "Benchmarks/wide64.layout", "--sizing", sizing])
                    result.measurements.append(wide)
                    result.figures.append(("wide64, \(sizing) sizing", String(format: "median %@, peak %.0f MB",
                                                                                formatTime(wide.median), Double(peak) / 1024)))
                }
            }
            let (enumerated, moved) = try enumeration(repeats: max(3, repeats / 4))
            result.measurements.append(enumerated)
            result.notes.append("enumeration: the 16 × 16 layout laid out fixed and packed under every one of its 65,536 sets, "
                                + "in process (\(moved) placed fields differ between the two)")
        } catch {
            result.notes.append("not measured: \(error)")
            result.met = false
        }
        return result
    }

    /// Every feature set of the 16 × 16 layout, laid out concretely both ways: what the symbolic diff avoids.
    private static func enumeration(repeats: Int) throws -> (Measurement, moved: Int) {
        let text = DiffScaleLayout.text(fields: 16, features: 16)
        let loaded = LayoutLoader().load(SourceFile(path: "scale.layout", bytes: Array(text.utf8)))
        guard let device = loaded.devices.first else { throw BenchFailure("the generated layout did not load") }
        let bits = device.features.map(\.bit)
        var moved = 0
        let measurement = Bench.measure("enumerate 16 × 16 (2^16 sets)", warmup: 1, repeats: repeats) {
            moved = 0
            for mask in 0..<(1 << bits.count) {
                let set = FeatureSet(bits: bits.indices.filter { mask >> $0 & 1 == 1 }.map { bits[$0] })
                let fixed = Layout(device: device, features: set, interpretation: .fixed)
                let packed = Layout(device: device, features: set, interpretation: .packed)
                for (a, b) in zip(fixed.fields, packed.fields) where a.offset != nil && b.offset != nil && a.offset != b.offset {
                    moved += 1
                }
            }
        }
        return (measurement, moved)
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
