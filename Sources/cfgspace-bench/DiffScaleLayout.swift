import ConfigLayout

/// The layouts of case 2: N conditional fields of 1, 2 or 4 bytes over M features, each condition a
/// random two-literal `Fa && !Fb` or `Fa || !Fb`; and a parity chain. Each comes from a fixed seed
/// so every run diffs the same text.
enum DiffScaleLayout {
    /// Features 0 to 23, then 50 on: bits 24 to 49 belong to the transport.
    private static func bit(_ index: Int) -> Int { index < 24 ? index : index + 26 }

    /// N le16 fields each present when two neighbouring features differ, `X_i != X_i+1` written
    /// `(X_i && !X_i+1) || (!X_i && X_i+1)`, each followed by a u8 under one feature drawn at random.
    static func parityChain(fields: Int, seed: UInt64 = 2021) -> String {
        var random = SplitMix64(seed: seed &+ UInt64(fields))
        var lines = ["// A parity chain of \(fields) fields, each followed by a u8 (cfgspace-bench case 2).",
                     "device parity = 1 \"Parity chain\" {"]
        for index in 0...fields { lines.append("  feature X\(index) = \(bit(index))") }
        lines.append("  config parity_config {")
        for index in 0..<fields {
            lines.append("    f\(index) le16 if (X\(index) && !X\(index + 1)) || (!X\(index) && X\(index + 1))")
            lines.append("    g\(index) u8 if X\(random.next() % UInt64(fields + 1))")
        }
        lines += ["  }", "}"]
        return lines.joined(separator: "\n") + "\n"
    }

    static func text(fields: Int, features: Int, seed: UInt64 = 2021) -> String {
        var random = SplitMix64(seed: seed &+ UInt64(fields * 1000 + features))
        var lines = ["// \(fields) conditional fields over \(features) features (cfgspace-bench case 2).",
                     "device scale = 1 \"Scale\" {"]
        for index in 0..<features { lines.append("  feature F\(index) = \(bit(index))") }
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
