import ConfigLayout

/// The layouts of case 2: N conditional fields of 1, 2 or 4 bytes over M features, each condition a
/// random two-literal `Fa && !Fb` or `Fa || !Fb`, from a fixed seed so every run diffs the same text.
enum DiffScaleLayout {
    static func text(fields: Int, features: Int, seed: UInt64 = 2021) -> String {
        var random = SplitMix64(seed: seed &+ UInt64(fields * 1000 + features))
        var lines = ["// \(fields) conditional fields over \(features) features (cfgspace-bench case 2).",
                     "device scale = 1 \"Scale\" {"]
        for index in 0..<features {
            // Bits 24 to 49 belong to the transport: skip them.
            lines.append("  feature F\(index) = \(index < 24 ? index : index + 26)")
        }
        lines.append("  config scale_config {")
        let types = ["u8", "le16", "le32"]
        for index in 0..<fields {
            let a = Int(random.next() % UInt64(features))
            var b = Int(random.next() % UInt64(features))
            if b == a { b = (a + 1) % features }
            let operation = random.next() % 2 == 0 ? "&&" : "||"
            lines.append("    f\(index) \(types[Int(random.next() % 3)]) if F\(a) \(operation) !F\(b)")
        }
        lines += ["  }", "}"]
        return lines.joined(separator: "\n") + "\n"
    }
}
