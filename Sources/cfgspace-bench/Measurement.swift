/// Repeated timings of one thing: median and spread, per iteration.
struct Measurement {
    let name: String
    /// Seconds per iteration, one entry per repeat, in the order taken.
    let samples: [Double]
    /// Iterations each sample covers.
    let iterations: Int

    var sorted: [Double] { samples.sorted() }

    /// The same timings per operation, for a body that did `count` of them per iteration.
    func perOperation(_ count: Int) -> Measurement {
        Measurement(name: name, samples: samples.map { $0 / Double(max(1, count)) }, iterations: iterations * count)
    }
    var median: Double {
        let values = sorted
        guard !values.isEmpty else { return 0 }
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }
    var minimum: Double { sorted.first ?? 0 }
    var maximum: Double { sorted.last ?? 0 }
    /// The 10th and 90th percentiles: the spread without the worst outlier of a shared machine.
    var p10: Double { percentile(0.1) }
    var p90: Double { percentile(0.9) }

    private func percentile(_ fraction: Double) -> Double {
        let values = sorted
        guard !values.isEmpty else { return 0 }
        let position = fraction * Double(values.count - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return values[low] + (values[high] - values[low]) * (position - Double(low))
    }
}

/// Runs a body after warming it up, `repeats` times, each sample timing `iterations` calls.
enum Bench {
    static func measure(_ name: String, warmup: Int = 2, repeats: Int, iterations: Int = 1,
                        _ body: () throws -> Void) rethrows -> Measurement {
        for _ in 0..<warmup { try body() }
        let clock = ContinuousClock()
        var samples: [Double] = []
        for _ in 0..<repeats {
            let start = clock.now
            for _ in 0..<iterations { try body() }
            let elapsed = clock.now - start
            samples.append(seconds(elapsed) / Double(iterations))
        }
        return Measurement(name: name, samples: samples, iterations: iterations)
    }

    /// Two bodies measured in alternation, sample by sample, so that a shared machine's drift falls
    /// on both alike: for a figure and its baseline.
    static func interleave(_ first: (name: String, body: () throws -> Void), _ second: (name: String, body: () throws -> Void),
                           warmup: Int = 2, repeats: Int, iterations: Int = 1) throws -> (Measurement, Measurement) {
        for _ in 0..<warmup {
            try first.body()
            try second.body()
        }
        let clock = ContinuousClock()
        var samples: ([Double], [Double]) = ([], [])
        for _ in 0..<repeats {
            var start = clock.now
            for _ in 0..<iterations { try first.body() }
            samples.0.append(seconds(clock.now - start) / Double(iterations))
            start = clock.now
            for _ in 0..<iterations { try second.body() }
            samples.1.append(seconds(clock.now - start) / Double(iterations))
        }
        return (Measurement(name: first.name, samples: samples.0, iterations: iterations),
                Measurement(name: second.name, samples: samples.1, iterations: iterations))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
