/// "Did you mean ...?" for a misspelt name.
public enum Suggestion {
    static let maximumLength = 256

    /// The candidate closest to `name`, if it is close enough to be a likely typo. Case differences
    /// and a C prefix such as `VIRTIO_NET_F_` are forgiven first.
    public static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        let candidates = Array(candidates)
        let upper = name.uppercased()
        if let match = candidates.first(where: { $0.uppercased() == upper }) { return match }
        if let match = candidates.first(where: { upper.hasSuffix("_F_" + $0.uppercased()) }) { return match }
        // A typo is in a name a person typed; past this length (a pasted blob, a million-character
        // identifier) the quadratic distance costs more than a suggestion is worth.
        guard name.utf8.count <= maximumLength else { return nil }
        let limit = max(1, name.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate.utf8.count <= maximumLength {
            let distance = editDistance(name, candidate, limit: limit)
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of neighbours
    /// (optimal string alignment), or `limit + 1` once it must exceed `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            var rowMinimum = Int.max
            for j in 1...b.count {
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1,
                               table[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
                rowMinimum = min(rowMinimum, best)
            }
            if rowMinimum > limit { return limit + 1 }
        }
        return table[a.count][b.count]
    }
}
