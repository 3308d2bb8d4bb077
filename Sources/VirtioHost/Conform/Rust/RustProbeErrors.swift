/// rustc's words about a probe, turned back to the user's files: each `probe.rs:LINE:COLUMN` that
/// came from a line of theirs names that file and line instead.
enum RustProbeErrors {
    static func mapped(_ text: String, lines: [RustProbeBuilder.Line], probe: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: probe + ":") {
            out += rest[..<range.lowerBound]
            rest = rest[range.upperBound...]
            let digits = rest.prefix { $0.isNumber }
            if let number = Int(digits), number >= 1, number <= lines.count, let origin = lines[number - 1].origin {
                out += "\(ConformProbe.displayPath(origin.file)):\(origin.line)"
                rest = rest.dropFirst(digits.count)
                // The column is the probe's; drop it.
                if rest.first == ":" { rest = rest.dropFirst().drop { $0.isNumber } }
            } else {
                out += probe + ":"
            }
        }
        return out + rest
    }

    /// `cannot find type `X``, `use of undeclared crate or module `x``: the names rustc missed.
    static func missingNames(_ text: String) -> [String] {
        var names: [String] = []
        for line in text.split(separator: "\n") where line.hasPrefix("error") {
            for marker in ["cannot find type `", "cannot find value `", "undeclared crate or module `", "undeclared type `",
                           "cannot find trait `", "cannot find macro `"] {
                guard let start = line.range(of: marker) else { continue }
                let name = line[start.upperBound...].prefix { $0 != "`" }
                if !name.isEmpty, !names.contains(String(name)) { names.append(String(name)) }
            }
        }
        return names
    }
}
