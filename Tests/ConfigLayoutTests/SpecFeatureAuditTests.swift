import Foundation
import Testing
import TestSupport
@testable import ConfigLayout

/// Every built-in layout held against `SpecFacts`: each device exists in the versions whose text
/// has its section, and offers in each version exactly the bits that version lists, its own and the
/// transport's, under the names it lists them by.
@Suite struct SpecFeatureAuditTests {
    private static func builtin(_ name: String) throws -> LayoutLoader.Loaded {
        try LayoutLoader().load(argument: name)
    }

    /// Every device the built-in layouts declare, as loaded (all versions).
    private static func devices() throws -> [Device] {
        try BuiltinLayouts.names.filter { $0 != "transport" }.flatMap { name -> [Device] in
            let loaded = try builtin(name)
            guard !loaded.hasErrors else { throw TestFailure(DiagnosticRenderer().render(loaded.diagnostics)) }
            return loaded.devices
        }
    }

    private static func listed(_ device: String, in version: SpecVersion) -> Set<String> {
        Set(SpecFacts.bits.filter { ($0.device == device || $0.device == "transport") && $0.listed(in: version) }
            .map { "\($0.name) (\($0.bit))" + ($0.legacy ? " legacy" : "") })
    }

    private static func offered(_ device: Device) -> Set<String> {
        Set(device.allFeatures.map { "\($0.name) (\($0.bit))" + ($0.isLegacyOnly ? " legacy" : "") })
    }

    /// A new known version must be audited before it is used: the facts name every version cfgspace knows.
    @Test func factsCoverEveryKnownVersion() {
        #expect(SpecFacts.checked.map(\.version) == SpecVersion.known)
    }

    /// Every section has a layout with its ID, and every layout a section (or a reason it has none).
    @Test func everyDeviceExistsWhenItsSectionDoes() throws {
        let devices = try Self.devices()
        #expect(Set(devices.map(\.name)) == Set(SpecFacts.sections.map(\.name) + SpecFacts.outsideTheSpec))
        for device in devices {
            guard let section = SpecFacts.sections.first(where: { $0.name == device.name }) else {
                #expect(device.since == nil, "\(device.name) has no spec section, so no version clause")
                continue
            }
            #expect(device.id == section.id, "\(device.name)")
            for (version, tag) in SpecFacts.checked {
                #expect(device.exists(in: version) == (version >= section.since),
                        "\(device.name) in \(version) (\(tag)): section from \(section.since)")
            }
        }
    }

    /// The bits of each device as of each version: what `--spec` shows, offers and accepts.
    @Test func everyLayoutOffersTheBitsEachVersionLists() throws {
        for device in try Self.devices() where !SpecFacts.outsideTheSpec.contains(device.name) {
            for (version, tag) in SpecFacts.checked where device.exists(in: version) {
                let have = Self.offered(device.asOf(version)), want = Self.listed(device.name, in: version)
                #expect(have.subtracting(want).isEmpty, "\(device.name) at \(version) (\(tag)) has bits the text does not list")
                #expect(want.subtracting(have).isEmpty, "\(device.name) at \(version) (\(tag)) lacks bits the text lists")
            }
            // What commands use for the newest: asOf(nil).
            let newest = try #require(SpecFacts.checked.last?.version)
            #expect(Self.offered(device.asOf(nil)) == Self.listed(device.name, in: newest), "\(device.name) newest")
        }
    }

    /// A device with no spec section keeps its bits in every version, the transport's filtered.
    @Test func devicesOutsideTheSpecKeepTheirOwnBits() throws {
        for device in try Self.devices() where SpecFacts.outsideTheSpec.contains(device.name) {
            #expect(device.features.allSatisfy { $0.since == nil && $0.until == nil }, "\(device.name)")
            let transport = Self.listed("transport", in: SpecFacts.checked[0].version)
            #expect(Self.offered(device.asOf(SpecFacts.checked[0].version)).isSuperset(of: transport))
            #expect(!device.asOf(SpecFacts.checked[0].version).allFeatures.contains { $0.name == "ACCESS_PLATFORM" })
        }
    }

    /// No field condition or `requires` names a bit its version does not list: a condition on a bit
    /// the version lacks would silently never hold. QEMU's own table names later bits (net's MTU
    /// entry), and loses each entry in the versions without its bits.
    @Test func conditionsNameOnlyBitsOfTheirVersion() throws {
        for device in try Self.devices() {
            for (version, _) in SpecFacts.checked where device.exists(in: version) {
                let asOf = device.asOf(version)
                let names = Set(asOf.allFeatures.map(\.name))
                for feature in asOf.allFeatures {
                    let missing = feature.requires.map { Set($0.featureNames).subtracting(names) } ?? []
                    #expect(missing.isEmpty, "\(device.name) \(feature.name) at \(version) requires \(missing.sorted())")
                }
                for node in asOf.fieldTree.nodes {
                    let missing = Set(node.valid.featureNames).subtracting(names)
                    #expect(missing.isEmpty, "\(device.name).\(node.path) at \(version) names \(missing.sorted())")
                }
                // QEMU's table keeps an entry only while the version has one of its bits.
                for entry in asOf.qemuFeatureSizes {
                    #expect(!names.isDisjoint(with: entry.condition.featureNames), "\(device.name) qemu \(entry.condition)")
                }
            }
        }
    }

    /// Where the text uses a bit it does not list, the layout says so in a comment.
    @Test func layoutsNameTheTextsGaps() throws {
        for gap in SpecFacts.textGaps {
            let file = try #require(BuiltinLayouts.file(gap.device))
            let comments = String(decoding: file.bytes, as: UTF8.self).split(separator: "\n")
                .filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            #expect(comments.contains { $0.contains(gap.spelling) }, "\(gap.device): \(gap.spelling), \(gap.versions)")
        }
    }

    /// The facts themselves: one name per bit per version and device, and a first version before the last.
    @Test func factsAreConsistent() {
        for (version, _) in SpecFacts.checked {
            let rows = SpecFacts.bits.filter { $0.listed(in: version) }
            let keys = rows.map { "\($0.device) \($0.bit) \($0.legacy)" }
            #expect(Set(keys).count == keys.count, "two names for one bit in \(version)")
        }
        for fact in SpecFacts.bits {
            #expect(fact.last.map { fact.first <= $0 } ?? true, "\(fact)")
            #expect(SpecFacts.checked.contains { $0.version == fact.first }, "\(fact)")
        }
    }
}
