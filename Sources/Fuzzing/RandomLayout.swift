import ConfigLayout

/// Random but valid layout files: features with acyclic `requires`, fields of every kind with
/// random conditions, nested structs and unions. The symbolic engine is checked against brute
/// force on thousands of them.
public struct RandomLayout {
    var random: SplitMix64
    let featureCount: Int
    /// Every member's dotted path, leaf or not, as `fields` writes them.
    private var paths: [String] = []

    public init(seed: UInt64, featureCount: Int) {
        random = SplitMix64(seed: seed)
        self.featureCount = featureCount
    }

    private mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    /// A condition over features `F0..<limit`, written with full parentheses.
    public mutating func expression(depth: Int = 0, limit: Int? = nil) -> String {
        let limit = limit ?? featureCount
        if depth >= 2 || chance(40) {
            let name = "F\(Int.random(in: 0..<limit, using: &random))"
            return chance(25) ? "!\(name)" : name
        }
        let op = chance(50) ? "&&" : "||"
        let count = Int.random(in: 2...3, using: &random)
        let parts = (0..<count).map { _ in expression(depth: depth + 1, limit: limit) }
        let body = "(" + parts.joined(separator: " \(op) ") + ")"
        return chance(20) ? "!" + body : body
    }

    private mutating func scalarType() -> String {
        ["u8", "le16", "le32", "le64", "virtio16", "u8[3]", "char[5]", "le16[2]"].randomElement(using: &random) ?? "u8"
    }

    private mutating func clauses() -> String {
        var text = ""
        if chance(55) { text += " if \(expression())" }
        if chance(20) { text += " valid if \(expression())" }
        return text
    }

    private mutating func fields(count: Int, depth: Int, prefix: String, path: String = "") -> [String] {
        (0..<count).map { index in
            let name = "\(prefix)\(index)"
            paths.append(path + name)
            if depth < 2, chance(15) {
                let inner = fields(count: Int.random(in: 1...3, using: &random), depth: depth + 1, prefix: name + "_",
                                   path: path + name + ".")
                let kind = chance(60) ? "struct" : "union"
                return "\(name) \(kind) { \(inner.joined(separator: "; ")) }\(clauses())"
            }
            return "\(name) \(scalarType())\(clauses())"
        }
    }

    /// A whole layout file. With `qemuTable`, it also transcribes a QEMU feature_sizes table of
    /// random entries: a condition, and the end or offset of any member, or a byte count. Without
    /// it, a seed gives the same text as it always has.
    public mutating func text(qemuTable: Bool = false) -> String {
        let minimum = ["0", "end(f0)", "offset(f0)"].randomElement(using: &random) ?? "0"
        var lines = ["device r = 1 {", "  qemu min_size \(minimum)"]
        for index in 0..<featureCount {
            var line = "  feature F\(index) = \(index)"
            if index > 0, chance(30) { line += " requires \(expression(limit: index))" }
            lines.append(line)
        }
        paths = []
        let body = fields(count: Int.random(in: 1...9, using: &random), depth: 0, prefix: "f").map { "    " + $0 }
        if qemuTable {
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let path = paths.randomElement(using: &random) ?? "f0"
                let anchor = chance(15) ? "\(Int.random(in: 0...2, using: &random))"
                    : chance(70) ? "end(\(path))" : "offset(\(path))"
                lines.append("  qemu feature_size \(expression()) \(anchor)")
            }
        }
        lines.append("  config c {")
        lines += body
        lines += ["  }", "}"]
        return lines.joined(separator: "\n")
    }
}
