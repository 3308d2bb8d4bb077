/// A virtio specification version such as 1.2. Fields and features carry the version that introduced
/// them (`since`) and, where they were replaced, the version that retired them (`until`).
public struct SpecVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `MAJOR.MINOR`, or `next` for the draft after the newest; nil for anything else
    /// (including numbers too large to be versions).
    public init?(_ text: String) {
        if text == "next" {
            self = .next
            return
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) }),
              let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        self.init(major: major, minor: minor)
    }

    public var description: String { self == .next ? "next" : "\(major).\(minor)" }

    /// The published virtio versions, oldest first: 1.0 (cs04, 2016), 1.1 (cs01, 2019),
    /// 1.2 (cs01, 2022), 1.3 (wd02, 2024) and 1.4 (cs01, 2026).
    public static let known: [SpecVersion] = (0...4).map { SpecVersion(major: 1, minor: $0) }

    /// The version a layout describes when none is asked for.
    public static let newest = SpecVersion(major: 1, minor: 4)

    /// Whether two `since`/`until` spans share a version; nil ends are open.
    public static func spansOverlap(_ a: (since: SpecVersion?, until: SpecVersion?),
                                    _ b: (since: SpecVersion?, until: SpecVersion?)) -> Bool {
        let zero = SpecVersion(major: 0, minor: 0)
        let aEndsFirst = a.until.map { $0 <= (b.since ?? zero) } ?? false
        let bEndsFirst = b.until.map { $0 <= (a.since ?? zero) } ?? false
        return !aEndsFirst && !bEndsFirst
    }

    /// The draft after the newest published version: what a proposal adds says `since next`, so that
    /// a proposed field is never written as a field of a published version. Every published version,
    /// and `newest` by default, leaves it out; `--spec next` takes it in.
    public static let next = SpecVersion(major: Int.max, minor: 0)

    /// The versions `--spec` takes: the published ones and the next draft.
    public static let selectable: [SpecVersion] = known + [next]

    public static func < (lhs: SpecVersion, rhs: SpecVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
