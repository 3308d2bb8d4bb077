import ConfigLayout
import Testing
import TestSupport

/// `NameTable` answers exactly as a Dictionary built the same way: for every name it holds, for
/// names it does not, and for names given twice (the first wins).
@Suite struct NameTableTests {
    @Test(arguments: [0, 1, 2, 7, 8, 9, 100, 1000])
    func agreesWithADictionary(_ count: Int) {
        var random = SeededGenerator(seed: UInt64(count) &+ 17)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ_.0123456789abcdefé")
        func name() -> String {
            String((0..<Int.random(in: 0...24, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "A" })
        }
        let entries = (0..<count).map { index in (name(), index) } + (0..<count / 3).map { index in (name(), count + index) }
        // Names given again later, with other values, which must not replace the first.
        let repeated = entries.prefix(count / 4).map { ($0.0, -1) }
        let table = NameTable(entries + repeated)
        let dictionary = Dictionary(entries + repeated, uniquingKeysWith: { first, _ in first })
        for (name, _) in entries + repeated {
            #expect(table[name] == dictionary[name], "\(name)")
        }
        for _ in 0..<200 {
            let probe = name()
            #expect(table[probe] == dictionary[probe], "\(probe)")
        }
    }

    @Test func theBuiltInLayoutsNamesResolve() throws {
        for name in BuiltinLayouts.names {
            for device in try LayoutLoader().load(argument: name).devices {
                for feature in device.allFeatures {
                    #expect(device.bit(named: feature.name) != nil)
                }
                #expect(device.bit(named: "NO_SUCH_FEATURE") == nil)
                #expect(device.bit(named: "") == nil)
            }
        }
    }
}
