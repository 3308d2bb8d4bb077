/// "Did you mean ...?" for a misspelt name.
public enum Suggestion {
    /// The candidate closest to `name`, if it is close enough to be a likely typo. Case differences
    /// and a C prefix such as `VIRTIO_NET_F_` are forgiven first.
    public static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        let candidates = Array(candidates)
        let upper = name.uppercased()
        if let match = candidates.first(where: { $0.uppercased() == upper }) { return match }
        if let match = candidates.first(where: { upper.hasSuffix("_F_" + $0.uppercased()) }) { return match }
        let limit = max(1, name.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(name, candidate, limit: limit)
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// Levenshtein distance, giving up early (returning `limit + 1`) once it must exceed `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        var row = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(1, a.count) where i <= a.count {
            row[0] = i
            var rowMinimum = row[0]
            for j in 1...max(1, b.count) where j <= b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                row[j] = min(substitution, previous[j] + 1, row[j - 1] + 1)
                rowMinimum = min(rowMinimum, row[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &row)
        }
        return previous[b.count]
    }
}
