import Fuzzing
import Testing
import TestSupport
@testable import ConfigLayout

/// The symbolic diff against brute force: every valid feature set, concrete layouts on both sides.
@Suite struct InterpretationDiffTests {
    /// Checks every claim the diff makes against enumeration of all 2^n sets of `bits`.
    static func verify(_ diff: InterpretationDiff, bits: [Int]) {
        let device = diff.device
        var movedSets = [Int](repeating: 0, count: diff.fields.count)
        var shifts = [[Int]](repeating: [], count: diff.fields.count)
        var sizeDiffering = 0
        var valid = 0
        // Counts are over the space's own features; only the space decides the layout.
        let spaceBits = diff.space.features.compactMap { device.feature(named: $0)?.bit }
        var countedSpaceSets = Set<FeatureSet>()

        for features in allSubsets(of: bits) {
            if diff.space.honorsRequires, !device.unmetRequirements(in: features).isEmpty { continue }
            let isSet = { device.isSet($0, in: features) }
            let from = Layout(device: device, features: features, interpretation: diff.from, sizing: diff.sizing)
            let to = Layout(device: device, features: features, interpretation: diff.to, sizing: diff.sizing)
            let projection = features.intersection(FeatureSet(bits: spaceBits))
            let firstOfItsProjection = countedSpaceSets.insert(projection).inserted
            if firstOfItsProjection { valid += 1 }

            for (index, change) in diff.fields.enumerated() {
                let a = from.fields[index].offset
                let b = to.fields[index].offset
                let moved = a != nil && b != nil && a != b
                if let condition = change.movesWhen {
                    #expect(condition.evaluate(isSet) == moved,
                            "\(change.path): '\(condition)' under \(device.names(of: features))")
                }
                if moved, let a, let b {
                    shifts[index].append(a - b)
                    if firstOfItsProjection { movedSets[index] += 1 }
                }
            }
            let sizesDiffer = from.size != to.size
            if let condition = diff.size.differsWhen {
                #expect(condition.evaluate(isSet) == sizesDiffer, "size under \(device.names(of: features))")
            }
            if sizesDiffer, firstOfItsProjection { sizeDiffering += 1 }

            for hazard in diff.hazards {
                let layout = hazard.interpretation == diff.from ? from : to
                let misaligned = layout.field(hazard.path)?.offset.map { $0 % hazard.alignment != 0 } ?? false
                if let condition = hazard.when {
                    #expect(condition.evaluate(isSet) == misaligned, "\(hazard.path) alignment")
                }
            }
        }

        #expect(Int(diff.validSetCount) == valid)
        #expect(Int(diff.size.differingSetCount) == sizeDiffering)
        #expect(diff.size.differs == (sizeDiffering > 0))
        for (index, change) in diff.fields.enumerated() {
            #expect(Int(change.movedSetCount) == movedSets[index], "\(change.path) count")
            #expect(change.moves == !shifts[index].isEmpty)
            if let low = shifts[index].min(), let high = shifts[index].max() {
                if diff.rangesAreExact {
                    #expect(change.shift == low...high, "\(change.path) shift")
                } else {
                    // A bound: the true range lies within.
                    #expect(change.shift.map { $0.contains(low) && $0.contains(high) } == true, "\(change.path) shift bound")
                }
            }
            if let example = change.example {
                // The example is a set a device may offer, and the field moves there as stated.
                if diff.space.honorsRequires { #expect(device.unmetRequirements(in: example.features).isEmpty) }
                let from = Layout(device: device, features: example.features, interpretation: diff.from)
                let to = Layout(device: device, features: example.features, interpretation: diff.to)
                #expect(from.fields[index].offset == example.from && to.fields[index].offset == example.to)
                #expect(example.from != example.to)
            } else {
                #expect(!change.moves)
            }
        }
        // Every field the symbolic diff finds misaligned is listed, and none other.
        for layoutInterpretation in Set([diff.from, diff.to]) {
            let listed = Set(diff.hazards.filter { $0.interpretation == layoutInterpretation }.map(\.path))
            var found = Set<String>()
            for features in allSubsets(of: bits) {
                if diff.space.honorsRequires, !device.unmetRequirements(in: features).isEmpty { continue }
                for field in Layout(device: device, features: features, interpretation: layoutInterpretation).fields {
                    let alignment = field.field.type.naturalAlignment
                    if let offset = field.offset, offset % alignment != 0 { found.insert(field.path) }
                }
            }
            let undecided = Set(diff.undecidedAlignment.filter { $0.interpretation == layoutInterpretation }.map(\.path))
            let uncounted = diff.hazards.contains { $0.setCount.isNaN }
            if undecided.isEmpty && !uncounted {
                #expect(listed == found)
            } else {
                // Too large to decide: what is listed is misaligned somewhere, and nothing misaligned is lost.
                #expect(listed.isSubset(of: found))
                #expect(found.isSubset(of: listed.union(undecided)))
            }
            for hazard in diff.hazards where hazard.interpretation == layoutInterpretation {
                let example = try? #require(hazard.example)
                if let example {
                    let layout = Layout(device: device, features: example.features, interpretation: layoutInterpretation)
                    #expect(layout.field(hazard.path)?.offset.map { $0 % hazard.alignment != 0 } == true,
                            "\(hazard.path)'s example is not misaligned")
                }
            }
        }
    }

    /// The bounded path, forced on small layouts by leaving the exact arithmetic no room: ranges
    /// must contain the truth, conditions and counts stay exact, and no misaligned field is lost.
    @Test(arguments: 0..<40)
    func boundsHoldTheTruth(seed: UInt64) throws {
        var generator = RandomLayout(seed: seed &+ 5000, featureCount: 6)
        let device = try device(generator.text())
        let diff = InterpretationDiff(device: device, from: .fixed, to: .packed, sizing: .full, honorsRequires: seed % 3 != 0,
                                      arithmeticNodeLimit: 0)
        Self.verify(diff, bits: Array(0..<6))
    }

    @Test func netMTUMovesExactlyWhenTheIssueSays() throws {
        let net = try netDevice()
        let diff = InterpretationDiff(device: net, from: .fixed, to: .packed)
        let mtu = try #require(diff.fields.first { $0.path == "mtu" })
        #expect(mtu.movesWhen?.description == "MTU && !(STATUS && (MQ || RSS))")
        #expect(mtu.example == .init(features: FeatureSet(bits: [3]), from: 10, to: 6))
        #expect(mtu.shift == 2...4)
        #expect(diff.fields.first { $0.path == "mac" }?.moves == false)
        #expect(diff.fields.first { $0.path == "status" }?.moves == false)
    }

    @Test(arguments: [(Interpretation.fixed, Interpretation.packed), (.packed, .fixed)], [true, false])
    func netAgainstEnumeration(direction: (Interpretation, Interpretation), honorsRequires: Bool) throws {
        let net = try netDevice()
        let diff = InterpretationDiff(device: net, from: direction.0, to: direction.1, honorsRequires: honorsRequires)
        let names = diff.space.features + diff.space.supporting
        Self.verify(diff, bits: names.compactMap { net.feature(named: $0)?.bit })
    }

    @Test func netQemuSizing() throws {
        let net = try netDevice()
        let diff = InterpretationDiff(device: net, from: .fixed, to: .packed, sizing: .qemu)
        Self.verify(diff, bits: (diff.space.features + diff.space.supporting).compactMap { net.feature(named: $0)?.bit })
    }

    @Test(arguments: 0..<80)
    func randomLayoutsAgainstEnumeration(seed: UInt64) throws {
        var generator = RandomLayout(seed: seed &+ 1000, featureCount: 6)
        let device = try device(generator.text())
        let sizing: Sizing = seed % 2 == 0 ? .full : .qemu
        let diff = InterpretationDiff(device: device, from: .fixed, to: .packed, sizing: sizing, honorsRequires: seed % 3 != 0)
        Self.verify(diff, bits: Array(0..<6))
    }

    /// 64 conditional features: far too many to enumerate, so check sampled sets.
    @Test func sixtyFourConditionalFeatures() throws {
        var lines = ["device wide = 1 {"]
        let types = ["u8", "le16", "le32", "u8[3]"]
        for index in 0..<64 { lines.append("  feature F\(index) = \(index < 24 ? index : index + 26)") }
        lines.append("  config c {")
        for index in 0..<64 {
            let condition = index % 5 == 4 ? "F\(index) || F\((index + 7) % 64)" : "F\(index)"
            lines.append("    field\(index) \(types[index % types.count]) if \(condition)")
        }
        lines += ["  }", "}"]
        let device = try device(lines.joined(separator: "\n"))
        let diff = InterpretationDiff(device: device, from: .fixed, to: .packed)
        #expect(diff.space.features.count == 64)
        #expect(diff.validSetCount == 18_446_744_073_709_551_616)

        var random = SeededGenerator(seed: 64)
        let bits = device.features.map(\.bit)
        for _ in 0..<300 {
            let features = FeatureSet(bits: bits.filter { _ in Bool.random(using: &random) })
            let fixed = Layout(device: device, features: features, interpretation: .fixed)
            let packed = Layout(device: device, features: features, interpretation: .packed)
            for (index, change) in diff.fields.enumerated() {
                let moved = packed.fields[index].offset.map { $0 != fixed.fields[index].offset } ?? false
                let condition = try #require(change.movesWhen, "\(change.path) has no short form")
                #expect(condition.evaluate { device.isSet($0, in: features) } == moved)
            }
        }
    }
}
