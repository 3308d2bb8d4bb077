import ConfigLayout

/// A line where two traces part: what one run did at that point that the other did not.
public struct TraceDifference: Sendable, Equatable {
    public enum Side: String, Sendable {
        /// Only in the run against the real device.
        case real
        /// Only in the run against the model.
        case model
    }

    public let side: Side
    /// Its step number in its own run, from 1.
    public let step: Int
    public let line: String
}

/// Two traces compared line by line, each entry in the words the reports use (`driver  read mtu @10
/// ×2 → 28 23`): the longest common subsequence stays, the rest is the difference.
public enum TraceDiff {
    /// One entry as a line: who, then what.
    public static func line(_ entry: TraceEntry, device: Device) -> String {
        "\(entry.party.rawValue)  \(OutcomeText.event(entry.event, of: device))"
    }

    /// Compares what both runs did. A device model's notes explain its own decisions, which a real
    /// device never states, so they are left out of both.
    public static func compare(real: [TraceEntry], model: [TraceEntry], device: Device) -> [TraceDifference] {
        let observable = { (entries: [TraceEntry]) in
            entries.filter { entry in
                if entry.party == .device, case .note = entry.event { return false }
                return true
            }.map { line($0, device: device) }
        }
        return compare(real: observable(real), model: observable(model))
    }

    static func compare(real: [String], model: [String]) -> [TraceDifference] {
        let rows = real.count, columns = model.count
        // common[i][j]: the longest common subsequence of real[i...] and model[j...].
        var common = [[Int]](repeating: [Int](repeating: 0, count: columns + 1), count: rows + 1)
        for i in stride(from: rows - 1, through: 0, by: -1) {
            for j in stride(from: columns - 1, through: 0, by: -1) {
                common[i][j] = real[i] == model[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var differences: [TraceDifference] = []
        var i = 0, j = 0
        while i < rows || j < columns {
            if i < rows, j < columns, real[i] == model[j] {
                i += 1
                j += 1
            } else if j < columns && (i == rows || common[i][j + 1] >= common[i + 1][j]) {
                differences.append(TraceDifference(side: .model, step: j + 1, line: model[j]))
                j += 1
            } else {
                differences.append(TraceDifference(side: .real, step: i + 1, line: real[i]))
                i += 1
            }
        }
        return differences
    }
}
