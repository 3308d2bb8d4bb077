import Foundation

/// Holds an example's shown lines against a command's real output. Shown lines come in runs
/// separated by `...`: each run must appear in the output, in order, line for line; a run with no
/// `...` before it starts the output, and one with no `...` after it ends it. Lines compare with
/// their trailing spaces dropped, and with what changes from machine to machine (a kernel's
/// release, a temporary folder, a time in seconds) standing for itself.
struct ExampleMatch {
    static let elision = "..."

    let shown: [String]
    let output: [String]

    init(shown: [String], output: String) {
        self.shown = shown
        var lines = output.components(separatedBy: "\n").map(Self.trimmed)
        while lines.last?.isEmpty == true { lines.removeLast() }
        self.output = lines
    }

    /// The shown runs, and whether the block starts and ends with an elision.
    private var runs: (runs: [[String]], open: Bool, closed: Bool) {
        var runs: [[String]] = [[]]
        for line in shown.map(Self.trimmed) {
            if line.trimmingCharacters(in: .whitespaces) == Self.elision { runs.append([]) } else { runs[runs.count - 1].append(line) }
        }
        let open = runs.first?.isEmpty == true && runs.count > 1
        let closed = runs.last?.isEmpty == true && runs.count > 1
        return (runs.filter { !$0.isEmpty }, open, closed)
    }

    /// Nil when the output shows every shown line where the block says; otherwise what is wrong.
    var mismatch: String? {
        let (runs, open, closed) = self.runs
        var position = 0
        for (index, run) in runs.enumerated() {
            let free = index > 0 || open
            guard let at = find(run, from: position, anywhere: free) else {
                let anchor = bestAnchor(run, from: position, anywhere: free)
                let actual = output[min(anchor, output.count)..<min(anchor + run.count, output.count)]
                return "run \(index + 1) of the block differs from the output"
                    + (free ? "" : " at its start") + ":\n"
                    + zip(run, actual + Array(repeating: "(no line)", count: max(0, run.count - actual.count)))
                    .map { expected, got in Self.same(expected, got) ? "  \(expected)" : "- \(expected)\n+ \(got)" }
                    .joined(separator: "\n")
            }
            position = at + run.count
        }
        if !closed, position != output.count, !(runs.isEmpty && output.isEmpty) {
            return "the block ends at output line \(position) of \(output.count), with no `...` to say more follows:\n"
                + output[position...].prefix(5).map { "+ \($0)" }.joined(separator: "\n")
        }
        return nil
    }

    /// The block's lines rewritten from the output: each run keeps its length where it has found
    /// its place, and the last takes every line left when nothing follows it.
    var rewritten: [String] {
        let (runs, open, closed) = self.runs
        guard !runs.isEmpty else { return shown.isEmpty ? output : shown }
        // Each `...` keeps its own indentation.
        var elisions = shown.filter { $0.trimmingCharacters(in: .whitespaces) == Self.elision }.makeIterator()
        var lines: [String] = open ? [elisions.next() ?? Self.elision] : []
        var position = 0
        for (index, run) in runs.enumerated() {
            let free = index > 0 || open
            let at = find(run, from: position, anywhere: free) ?? bestAnchor(run, from: position, anywhere: free)
            let start = min(at, output.count)
            let end = index == runs.count - 1 && !closed ? output.count : min(start + run.count, output.count)
            if index > 0 { lines.append(elisions.next() ?? Self.elision) }
            lines += output[start..<end]
            position = end
        }
        if closed { lines.append(elisions.next() ?? Self.elision) }
        return lines
    }

    private func find(_ run: [String], from position: Int, anywhere: Bool) -> Int? {
        let last = output.count - run.count
        guard last >= position else { return nil }
        let starts = anywhere ? Array(position...last) : [position]
        return starts.first { start in run.indices.allSatisfy { Self.same(run[$0], output[start + $0]) } }
    }

    /// Where a run that is not found whole most likely belongs: the place whose lines share the
    /// longest beginnings with the run's (a changed value keeps its row's name).
    private func bestAnchor(_ run: [String], from position: Int, anywhere: Bool) -> Int {
        guard anywhere, position < output.count else { return position }
        func score(_ start: Int) -> Int {
            run.indices.prefix(output.count - start).reduce(0) { total, index in
                total + zip(run[index], output[start + index]).prefix { $0 == $1 }.count
            }
        }
        return (position..<output.count).max { score($0) < score($1) } ?? position
    }

    private static func trimmed(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }

    /// What differs from machine to machine, and what stands for it.
    private static let volatile: [(NSRegularExpression, String)] = [
        (#"\b\d+\.\d+\.\d+-\d+-(cloud-)?amd64\b"#, "KERNEL"),
        (#"/tmp/cfgspace-[A-Za-z0-9._-]+"#, "TEMPORARY"),
        (#"\b\d+\.\d+ s\b"#, "SECONDS"),
    ].compactMap { pattern, stand in (try? NSRegularExpression(pattern: pattern)).map { ($0, stand) } }

    static func normalised(_ line: String) -> String {
        volatile.reduce(trimmed(line)) { line, rule in
            rule.0.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line), withTemplate: rule.1)
        }
    }

    static func same(_ shown: String, _ output: String) -> Bool {
        shown == output || normalised(shown) == normalised(output)
    }
}
