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
        var fromOffsets = [[Int]](repeating: [], count: diff.fields.count)
        var toOffsets = [[Int]](repeating: [], count: diff.fields.count)
        var sizes: (from: [Int], to: [Int]) = ([], [])
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
                if let a { fromOffsets[index].append(a) }
                if let b { toOffsets[index].append(b) }
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
            sizes.from.append(from.size)
            sizes.to.append(to.size)
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
        check(diff.size.fromRange, exact: diff.size.fromRangeIsExact, against: sizes.from, "size (\(diff.from))")
        check(diff.size.toRange, exact: diff.size.toRangeIsExact, against: sizes.to, "size (\(diff.to))")
        if let example = diff.size.example {
            let from = Layout(device: device, features: example.features, interpretation: diff.from, sizing: diff.sizing)
            let to = Layout(device: device, features: example.features, interpretation: diff.to, sizing: diff.sizing)
            #expect(from.size == example.from && to.size == example.to && example.from != example.to, "size example")
        } else {
            #expect(!diff.size.differs)
        }
        #expect(diff.rangesAreExact == (diff.fields.allSatisfy(\.rangesAreExact) && diff.size.fromRangeIsExact
                                        && diff.size.toRangeIsExact))
        for (index, change) in diff.fields.enumerated() {
            #expect(Int(change.movedSetCount) == movedSets[index], "\(change.path) count")
            #expect(change.moves == !shifts[index].isEmpty)
            if !shifts[index].isEmpty {
                check(change.shift, exact: change.rangesAreExact, against: shifts[index], "\(change.path) shift")
            }
            check(change.fromOffsets, exact: change.rangesAreExact, against: fromOffsets[index], "\(change.path) offsets")
            check(change.toOffsets, exact: change.rangesAreExact, against: toOffsets[index], "\(change.path) offsets")
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

    /// A range the diff claims against every value enumeration found: equal when it says it is
    /// exact, and holding them all when it says it is a bound.
    static func check(_ range: ClosedRange<Int>?, exact: Bool, against values: [Int], _ what: String) {
        guard let low = values.min(), let high = values.max() else {
            #expect(range == nil, "\(what): no valid set has a value, yet the diff gives \(String(describing: range))")
            return
        }
        if exact {
            #expect(range == low...high, "\(what): exact \(String(describing: range)), enumeration \(low)...\(high)")
        } else {
            #expect(range.map { $0.contains(low) && $0.contains(high) } == true,
                    "\(what): bound \(String(describing: range)) misses \(low)...\(high)")
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

    /// QEMU's sizing over transcribed tables of random entries (ends and offsets of any member,
    /// nested or not, and byte counts), in both directions: the sizes and where they differ,
    /// against every set.
    @Test(arguments: 0..<120)
    func qemuTablesAgainstEnumeration(seed: UInt64) throws {
        var generator = RandomLayout(seed: seed &+ 9000, featureCount: 6)
        let device = try device(generator.text(qemuTable: true))
        let direction: (Interpretation, Interpretation) = seed % 4 == 1 ? (.packed, .fixed) : (.fixed, .packed)
        let diff = InterpretationDiff(device: device, from: direction.0, to: direction.1, sizing: .qemu,
                                      honorsRequires: seed % 3 != 0)
        Self.verify(diff, bits: Array(0..<6))
    }

    /// The same with no room for exact arithmetic: every packed range is a bound that must hold the
    /// truth, while the fixed QEMU size, decided without arithmetic, stays exact.
    @Test(arguments: 0..<60)
    func qemuBoundsHoldTheTruth(seed: UInt64) throws {
        var generator = RandomLayout(seed: seed &+ 11000, featureCount: 6)
        let device = try device(generator.text(qemuTable: seed % 2 == 0))
        let diff = InterpretationDiff(device: device, from: .fixed, to: .packed, sizing: .qemu, honorsRequires: seed % 3 != 0,
                                      arithmeticNodeLimit: 0)
        #expect(diff.size.fromRangeIsExact)
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
    /// QEMU's sizing at scale: 64 fields over 64 features, each under a random `Fa && !Fb` or
    /// `Fa || !Fb` (the shape that once ran for minutes), with a minimum of 0 so that every field's
    /// end can set the size. Too many sets to enumerate: check sampled ones against concrete layouts.
    @Test func qemuSizingOverSixtyFourFeatures() throws {
        var random = SplitMix64(seed: 64)
        var lines = ["device wide = 1 {", "  qemu min_size 0"]
        for index in 0..<64 { lines.append("  feature F\(index) = \(index < 24 ? index : index + 26)") }
        lines.append("  config c {")
        for index in 0..<64 {
            let a = Int(random.next() % 64)
            let b = (a + 1 + Int(random.next() % 63)) % 64
            let operation = random.next() % 2 == 0 ? "&&" : "||"
            lines.append("    f\(index) \(["u8", "le16", "le32"][index % 3]) if F\(a) \(operation) !F\(b)")
        }
        lines += ["  }", "}"]
        let device = try device(lines.joined(separator: "\n"))
        let diff = InterpretationDiff(device: device, from: .fixed, to: .packed, sizing: .qemu)
        #expect(diff.size.fromRangeIsExact)

        var sampler = SeededGenerator(seed: 65)
        let bits = device.features.map(\.bit)
        for _ in 0..<300 {
            let features = FeatureSet(bits: bits.filter { _ in Bool.random(using: &sampler) })
            let fixed = Layout(device: device, features: features, interpretation: .fixed, sizing: .qemu)
            let packed = Layout(device: device, features: features, interpretation: .packed, sizing: .qemu)
            let isSet = { device.isSet($0, in: features) }
            if let condition = diff.size.differsWhen {
                #expect(condition.evaluate(isSet) == (fixed.size != packed.size))
            }
            #expect(diff.size.fromRange?.contains(fixed.size) == true)
            #expect(diff.size.toRange?.contains(packed.size) == true)
            #expect(packed.size <= fixed.size)
        }
        let example = try #require(diff.size.example)
        #expect(Layout(device: device, features: example.features, interpretation: .packed, sizing: .qemu).size == example.to)
        #expect(example.to < example.from)
    }
}
