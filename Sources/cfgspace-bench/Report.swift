import Foundation

/// One benchmark case's result: measurements, a verdict against its target, notes.
struct CaseResult {
    let number: Int
    let title: String
    let target: String
    var measurements: [Measurement] = []
    /// Derived figures: ratios, rates, memory, growth.
    var figures: [(String, String)] = []
    var met: Bool?
    var notes: [String] = []
}

/// `12.3 ms`, `480 µs`, `1.25 s`.
func formatTime(_ seconds: Double) -> String {
    switch seconds {
    case ..<1e-6: String(format: "%.1f ns", seconds * 1e9)
    case ..<1e-3: String(format: "%.1f µs", seconds * 1e6)
    case ..<1: String(format: "%.1f ms", seconds * 1e3)
    default: String(format: "%.2f s", seconds)
    }
}

enum BenchReport {
    static func text(_ results: [CaseResult], machine: String) -> String {
        var out = "cfgspace-bench on \(machine)\n"
        for result in results {
            out += "\n\(result.number). \(result.title)\n   target: \(result.target)"
            if let met = result.met { out += met ? "  (met)" : "  (NOT met)" }
            out += "\n"
            let width = max(20, result.measurements.map(\.name.count).max() ?? 0)
            for measurement in result.measurements {
                let name = measurement.name.padding(toLength: width, withPad: " ", startingAt: 0)
                out += "   \(name)  median \(formatTime(measurement.median))"
                out += "  p10–p90 \(formatTime(measurement.p10))–\(formatTime(measurement.p90))"
                out += "  (\(measurement.samples.count) runs)\n"
            }
            for (label, value) in result.figures { out += "   \(label): \(value)\n" }
            for note in result.notes { out += "   \(note)\n" }
        }
        return out
    }

    static func json(_ results: [CaseResult], machine: String) -> String {
        func number(_ value: Double) -> Any { value.isFinite ? value : NSNull() }
        let cases: [[String: Any]] = results.map { result in
            [
                "case": result.number, "title": result.title, "target": result.target,
                "met": result.met.map { $0 as Any } ?? NSNull(),
                "measurements": result.measurements.map { measurement in
                    ["name": measurement.name, "median_s": number(measurement.median), "p10_s": number(measurement.p10),
                     "p90_s": number(measurement.p90), "min_s": number(measurement.minimum),
                     "max_s": number(measurement.maximum), "runs": measurement.samples.count,
                     "iterations": measurement.iterations] as [String: Any]
                },
                "figures": Dictionary(result.figures.map { ($0.0, $0.1) }, uniquingKeysWith: { $1 }),
                "notes": result.notes,
            ]
        }
        let document: [String: Any] = ["machine": machine, "cases": cases]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
