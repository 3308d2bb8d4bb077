import Foundation

/// Golden files: expected output kept beside the tests. Run the tests with
/// `CFGSPACE_UPDATE_GOLDEN=1` to rewrite every golden file from the current output.
public enum Golden {
    public static var isUpdating: Bool {
        ProcessInfo.processInfo.environment["CFGSPACE_UPDATE_GOLDEN"] == "1"
    }

    /// Nil when `actual` matches the golden file (or the file was just rewritten); otherwise what
    /// differs, as a line diff.
    public static func mismatch(_ actual: String, goldenAt url: URL) -> String? {
        if isUpdating {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            do {
                try actual.write(to: url, atomically: true, encoding: .utf8)
                return nil
            } catch {
                return "cannot write golden file \(url.path): \(error)"
            }
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return "golden file \(url.path) is missing; run with CFGSPACE_UPDATE_GOLDEN=1 to create it"
        }
        guard expected != actual else { return nil }
        return "output differs from \(url.path) (- expected, + actual; CFGSPACE_UPDATE_GOLDEN=1 rewrites it):\n"
            + LineDiff.render(expected: expected, actual: actual)
    }
}

/// Paths inside the package.
public enum PackagePaths {
    /// The package root: Tests/TestSupport/Golden.swift is three levels below it.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The device layouts in Layouts/ (every file but the transport), by name.
    public static var deviceLayouts: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Layouts").path)) ?? []
        return files.filter { $0.hasSuffix(".layout") && $0 != "transport.layout" }.sorted()
    }

    public static func layout(_ name: String) -> URL {
        root.appendingPathComponent("Layouts").appendingPathComponent(name)
    }
}

/// A line diff of two texts by longest common subsequence, with three lines of context.
public enum LineDiff {
    public static func render(expected: String, actual: String) -> String {
        let a = expected.components(separatedBy: "\n")
        let b = actual.components(separatedBy: "\n")
        guard a.count * b.count <= 4_000_000 else {
            return "(files too large to diff: \(a.count) and \(b.count) lines)\n"
        }
        // lengths[i][j]: LCS of a[i...] and b[j...]
        var lengths = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var lines: [(mark: Character, text: String)] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                lines.append((" ", a[i])); i += 1; j += 1
            } else if j < b.count, i == a.count || lengths[i][j + 1] >= lengths[i + 1][j] {
                lines.append(("+", b[j])); j += 1
            } else {
                lines.append(("-", a[i])); i += 1
            }
        }
        let changed = lines.indices.filter { lines[$0].mark != " " }
        var out = ""
        var lastPrinted = -1
        for index in lines.indices where changed.contains(where: { abs($0 - index) <= 3 }) {
            if lastPrinted >= 0, index > lastPrinted + 1 { out += "...\n" }
            out += "\(lines[index].mark) \(lines[index].text)\n"
            lastPrinted = index
        }
        return out
    }
}
