import Testing
import TestSupport
@testable import ConfigLayout

/// Coverage past the node limit: each field decided from bounds on its end less the size. Bounds
/// may leave a field undecided, but never lose a gap nor call one certain that is not: with no
/// room for exact diagrams at all, every answer is held against enumeration.
@Suite struct SizeCoverageBoundsTests {
    static let cases: [(String, Interpretation, Sizing)] = ["net", "blk", "iommu", "balloon", "fs"].flatMap { name in
        [(name, .fixed, .qemu), (name, .packed, .qemu), (name, .packed, .full), (name, .fixed, .full)]
    }

    @Test(arguments: cases)
    func boundsAreSoundAgainstEnumeration(name: String, interpretation: Interpretation, sizing: Sizing) throws {
        let device = try layoutDevice(name).asOf(nil)
        let bounded = SizeCoverage(device: device, interpretation: interpretation, sizing: sizing, honorsRequires: true,
                                   nodeLimit: 0)
        #expect(!bounded.isExact)
        let exact = SizeCoverage(device: device, interpretation: interpretation, sizing: sizing)
        #expect(exact.isExact)
        Self.holdAgainstEnumeration(bounded, device: device, interpretation: interpretation, sizing: sizing)
        // Every exact gap is among the bounded ones.
        for gap in exact.gaps {
            #expect(bounded.gaps.contains { $0.path == gap.path }, "\(name) \(interpretation) \(sizing): \(gap.path) lost")
        }
    }

    /// A packed reading's fields all end inside its full size: the sizes they share cancel, so the
    /// bounds decide every field of a layout too large for exact diagrams, in well under a second
    /// where the exact diagrams took minutes and gigabytes.
    @Test func aLargePackedLayoutIsDecidedByBounds() throws {
        let large = try device(Self.scale(fields: 64, features: 64))
        let coverage = SizeCoverage(device: large, interpretation: .packed, sizing: .full)
        #expect(!coverage.isExact)
        #expect(coverage.gaps.isEmpty, "\(coverage.gaps.map(\.path))")
        // Small enough to enumerate, with no room for exact diagrams: the same holds field by field.
        let small = try device(Self.scale(fields: 14, features: 9))
        for (interpretation, sizing) in [(Interpretation.packed, Sizing.full), (.fixed, .full), (.packed, .qemu)] {
            let bounded = SizeCoverage(device: small, interpretation: interpretation, sizing: sizing, honorsRequires: true,
                                       nodeLimit: 0)
            Self.holdAgainstEnumeration(bounded, device: small, interpretation: interpretation, sizing: sizing)
        }
    }

    /// A decided gap is past the end wherever the field is valid, an undecided one somewhere may
    /// be, and a field with no gap never is.
    static func holdAgainstEnumeration(_ coverage: SizeCoverage, device: Device, interpretation: Interpretation,
                                       sizing: Sizing, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let bits = (coverage.space.features + coverage.space.supporting).compactMap { device.feature(named: $0)?.bit }
        var seen: [String: (valid: Int, beyond: Int)] = [:]
        for features in allSubsets(of: bits) where device.unmetRequirements(in: features).isEmpty {
            let layout = Layout(device: device, features: features, interpretation: interpretation, sizing: sizing)
            for field in layout.fields where !field.field.isReserved && field.isValid {
                let beyond = (field.end ?? 0) > layout.size
                seen[field.path, default: (0, 0)].valid += 1
                if beyond { seen[field.path, default: (0, 0)].beyond += 1 }
            }
        }
        for (path, count) in seen.sorted(by: { $0.key < $1.key }) {
            let gap = coverage.gaps.first { $0.path == path }
            if count.beyond > 0 {
                #expect(gap != nil, "\(device.name).\(path) ends past the size in \(count.beyond) sets, but no gap",
                        sourceLocation: sourceLocation)
            }
            if gap?.isDecided == true {
                #expect(count.beyond == count.valid, "\(device.name).\(path) is said to be beyond wherever valid",
                        sourceLocation: sourceLocation)
            }
        }
    }

    /// N fields of 1, 2 or 4 bytes over M features, each under a two-literal condition.
    static func scale(fields: Int, features: Int) -> String {
        var random = SplitMix64(seed: 2021 &+ UInt64(fields * 1000 + features))
        let bit = { (index: Int) in index < 24 ? index : index + 26 }
        var lines = ["device scale = 1 \"Scale\" {"]
        for index in 0..<features { lines.append("  feature F\(index) = \(bit(index))") }
        lines.append("  config scale_config {")
        for index in 0..<fields {
            let a = Int(random.next() % UInt64(features))
            var b = Int(random.next() % UInt64(features))
            if b == a { b = (a + 1) % features }
            let operation = random.next() % 2 == 0 ? "&&" : "||"
            lines.append("    f\(index) \(["u8", "le16", "le32"][Int(random.next() % 3)]) if F\(a) \(operation) !F\(b)")
        }
        return (lines + ["  }", "}"]).joined(separator: "\n") + "\n"
    }
}
