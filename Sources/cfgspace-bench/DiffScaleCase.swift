import ConfigLayout
import Foundation
import VirtioHost

/// Case 2: the whole-space diff of generated layouts as a whole process, under full sizing and
/// under QEMU's, with peak memory; and beside the smallest, exhaustive enumeration in process.
enum DiffScaleCase {
    static let scales = [(16, 16), (32, 64), (48, 64), (64, 64), (128, 128), (256, 128)]

    /// A QEMU-sizing run longer than this is stopped and reported as such: code from before it was
    /// made to scale runs for minutes and gigabytes on the larger rows.
    static let qemuLimit = Duration.seconds(60)

    /// The QEMU-sizing target against full sizing's time t, measured in the same run.
    static func qemuMeetsTarget(full: Double, qemu: Double, peakKiB: Int) -> Bool {
        qemu <= 2 * full + 0.050 && peakKiB < 256 * 1024
    }

    static func run(cfgspace: String, repeats: Int) -> CaseResult {
        var result = CaseResult(number: 2, title: "diff at scale: N conditional fields over M features, whole process",
                                target: "64 × 64 under 1 s and 256 MB; 256 × 128 completes; every row under QEMU sizing "
                                    + "within 2t + 50 ms and 256 MB, t its full-sizing time; coverage of every row's "
                                    + "packed reading under 1 s and 256 MB")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfgspace-bench-scale-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var rows: [(name: String, path: String)] = []
            for (fields, features) in scales {
                let path = folder.appendingPathComponent("scale-\(fields)-\(features).layout").path
                try DiffScaleLayout.text(fields: fields, features: features).write(toFile: path, atomically: true, encoding: .utf8)
                rows.append(("\(fields) × \(features)", path))
            }
            let parity = folder.appendingPathComponent("parity-40.layout").path
            try DiffScaleLayout.parityChain(fields: 40).write(toFile: parity, atomically: true, encoding: .utf8)
            rows.append(("parity chain, 40", parity))
            // The checked-in 64-feature layout, one feature per field, when run from the checkout.
            if FileManager.default.fileExists(atPath: "Benchmarks/wide64.layout") {
                rows.append(("wide64", "Benchmarks/wide64.layout"))
            }

            var met = true
            var previous: Double?
            for row in rows {
                let pair = try measure(row.name, path: row.path, cfgspace: cfgspace, repeats: max(3, repeats / 4))
                result.measurements.append(pair.full)
                var figure = String(format: "full %@, %.0f MB", formatTime(pair.full.median), Double(pair.fullPeakKiB) / 1024)
                if let previous, row.name.contains("×") {
                    figure += String(format: " (%.1f× the row before)", pair.full.median / previous)
                }
                if row.name.contains("×") { previous = pair.full.median }
                if let qemu = pair.qemu {
                    result.measurements.append(qemu)
                    let ok = qemuMeetsTarget(full: pair.full.median, qemu: qemu.median, peakKiB: pair.qemuPeakKiB)
                    figure += String(format: "; qemu %@, %.0f MB, %.2f× (%@)", formatTime(qemu.median),
                                     Double(pair.qemuPeakKiB) / 1024, qemu.median / pair.full.median, ok ? "met" : "NOT met")
                    met = met && ok
                } else {
                    figure += String(format: "; qemu stopped at %@, %.0f MB", formatTime(Bench.seconds(qemuLimit)),
                                     Double(pair.qemuPeakKiB) / 1024)
                    met = false
                }
                result.figures.append((row.name, figure))
                // coverage under the packed reading, which once built its diagrams without a limit.
                let coverage = try coverageRow(row.name, path: row.path, cfgspace: cfgspace, repeats: max(3, repeats / 4))
                result.measurements += coverage.measurements
                result.figures.append(("  coverage, packed", coverage.figure))
                met = met && coverage.met
                if row.name == "64 × 64" {
                    met = met && pair.full.median < 1 && pair.fullPeakKiB < 256 * 1024
                }
            }
            result.met = met
            let (enumerated, moved) = try enumeration(repeats: max(3, repeats / 4))
            result.measurements.append(enumerated)
            result.notes.append("medians with peak memory; full and QEMU sizing run alternately, so drift falls on both")
            result.notes.append("parity chain: f_i le16 if X_i != X_i+1, each followed by a u8 under a random feature")
            result.notes.append("enumeration: the 16 × 16 layout laid out fixed and packed under every one of its 65,536 sets, "
                                + "in process (\(moved) placed fields differ between the two)")
        } catch {
            result.notes.append("not measured: \(error)")
            result.met = false
        }
        return result
    }

    struct Pair {
        let full: Measurement
        /// Nil when a run passed `qemuLimit` and was stopped.
        let qemu: Measurement?
        let fullPeakKiB: Int
        let qemuPeakKiB: Int
    }

    /// `diff FILE` under both sizings, warmed up once, then alternating run by run.
    static func measure(_ name: String, path: String, cfgspace: String, repeats: Int) throws -> Pair {
        let arguments = { (sizing: String) in ["diff", path, "--sizing", sizing] }
        _ = try ProcessCases.timed(cfgspace, arguments("full"))
        let warmup = try ProcessCases.timed(cfgspace, arguments("qemu"), limit: qemuLimit)
        // A QEMU run that was stopped is not run again: its peak is what it had reached.
        var qemuRunning = warmup.seconds != nil
        var full: [Double] = [], qemu: [Double] = []
        var fullPeak = 0, qemuPeak = qemuRunning ? 0 : warmup.peakKiB
        for _ in 0..<repeats {
            let run = try ProcessCases.timed(cfgspace, arguments("full"))
            full.append(run.seconds)
            fullPeak = max(fullPeak, run.peakKiB)
            guard qemuRunning else { continue }
            let limited = try ProcessCases.timed(cfgspace, arguments("qemu"), limit: qemuLimit)
            qemuPeak = max(qemuPeak, limited.peakKiB)
            if let seconds = limited.seconds { qemu.append(seconds) } else { qemuRunning = false }
        }
        return Pair(full: Measurement(name: "diff \(name), full sizing", samples: full, iterations: 1),
                    qemu: qemuRunning ? Measurement(name: "diff \(name), QEMU sizing", samples: qemu, iterations: 1) : nil,
                    fullPeakKiB: fullPeak, qemuPeakKiB: qemuPeak)
    }

    /// `coverage FILE --interpretation packed` under both sizings, each within `qemuLimit`: its
    /// target is what the diff of the same layout meets, under 1 s and 256 MB.
    static func coverageRow(_ name: String, path: String, cfgspace: String,
                            repeats: Int) throws -> (measurements: [Measurement], figure: String, met: Bool) {
        var measurements: [Measurement] = [], parts: [String] = [], met = true
        for sizing in ["full", "qemu"] {
            let arguments = ["coverage", path, "--interpretation", "packed", "--sizing", sizing]
            var samples: [Double] = [], peak = 0, stopped = false
            for _ in 0...repeats {
                let run = try ProcessCases.timed(cfgspace, arguments, limit: qemuLimit)
                peak = max(peak, run.peakKiB)
                guard let seconds = run.seconds else { stopped = true; break }
                samples.append(seconds)
            }
            if stopped {
                parts.append(String(format: "%@ stopped at %@, %.0f MB", sizing, formatTime(Bench.seconds(qemuLimit)),
                                    Double(peak) / 1024))
                met = false
                continue
            }
            // The first run warms the file cache and is left out.
            let measurement = Measurement(name: "coverage \(name), packed, \(sizing) sizing", samples: Array(samples.dropFirst()),
                                          iterations: 1)
            measurements.append(measurement)
            parts.append(String(format: "%@ %@, %.0f MB", sizing, formatTime(measurement.median), Double(peak) / 1024))
            met = met && measurement.median < 1 && peak < 256 * 1024
        }
        return (measurements, parts.joined(separator: "; "), met)
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
}
