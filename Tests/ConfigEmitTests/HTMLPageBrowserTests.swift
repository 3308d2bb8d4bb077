import Foundation
import Testing
import TestSupport
import ConfigLayout
import Rendering
@testable import ConfigEmit

/// The HTML pages in Generated/html/ in a real browser: Debian's Chromium, driven headless through
/// chromedriver by Python's selenium (Tests/Browser/html_pages.py), one session for every page.
/// For sampled feature sets on every device, at every spec version its page offers, the script
/// ticks the boxes as a reader would and holds the offsets, sizes and notes the page shows against
/// `cfgspace table --format json` for the same set, version, interpretation and sizing. This test
/// picks the sets, and holds what the script saw against the engine: every ticked set honours
/// every `requires`, and the sets cover what they must.
@Suite(.serialized) struct HTMLPageBrowserTests {
    /// A device's page and what to do on it.
    struct DevicePlan {
        let input: GenerationInput
        var cases: [(version: SpecVersion, features: [String])] = []
    }

    /// The features that shape a version's layout: those its fields' conditions and QEMU's table
    /// mention, as the page groups them.
    static func shaping(_ device: Device) -> [String] {
        guard device.config != nil else { return [] }
        let symbolic = SymbolicLayout(device: device, interpretation: .packed)
        var names = Set<String>()
        for field in symbolic.fields { names.formUnion(field.exists.featureNames + field.valid.featureNames) }
        for entry in symbolic.qemuTable.entries { names.formUnion(entry.condition.featureNames) }
        return device.features.map(\.name).filter(names.contains)
    }

    /// At the generator's version: for net and blk 22 sets (net's with the 2021 set {MTU, STATUS}),
    /// for the others 3; at every older version the page offers, net and blk get 2 and the others
    /// 1. Each set is none, every shaping feature, or a seeded half of them, now and then with a
    /// feature that leaves the layout alone.
    static func plan(_ generator: Generator) -> [DevicePlan] {
        var random = SplitMix64(seed: 2021)
        return generator.inputs.map { input in
            var plan = DevicePlan(input: input)
            let versions = HTMLPageData.versions(of: input.declared, upTo: generator.version)
            let isMain = ["net", "blk"].contains(input.device.name)
            for version in versions.reversed() {
                let isNewest = version == generator.version
                let device = input.declared.asOf(version == SpecVersion.newest ? nil : version)
                let shaping = Self.shaping(device)
                let others = device.features.filter { !$0.isLegacyOnly && !shaping.contains($0.name) }.map(\.name)
                var sets: [[String]] = isNewest || isMain ? [[], shaping] : [shaping]
                if input.device.name == "net", device.feature(named: "MTU") != nil { sets.append(["MTU", "STATUS"]) }
                let wanted = isMain ? (isNewest ? 22 : 2) : (isNewest ? 3 : 1)
                var attempts = 0
                while Set(sets.map { $0.sorted() }).count < wanted, attempts < 200 {
                    attempts += 1
                    var set = shaping.filter { _ in random.next() % 2 == 0 }
                    if !others.isEmpty, random.next() % 3 == 0 { set.append(others[Int(random.next() % UInt64(others.count))]) }
                    sets.append(set)
                }
                var seen = Set<[String]>()
                for set in sets where seen.insert(set.sorted()).inserted {
                    plan.cases.append((version, set.sorted()))
                }
            }
            return plan
        }
    }

    /// The features a condition needs, when it is only features joined by `&&`; nil otherwise.
    static func needs(_ condition: Condition) -> [String]? {
        switch condition {
        case .feature(let name): [name]
        case .all(let parts): parts.reduce([String]?([])) { result, part in result.flatMap { list in needs(part).map { list + $0 } } }
        default: nil
        }
    }

    /// A feature and everything its `&&`-only requirements bring in, transitively.
    static func closure(of name: String, in device: Device) -> [String]? {
        var result: Set<String> = [name]
        var queue = [name]
        while let next = queue.popLast() {
            guard let requires = device.feature(named: next)?.requires else { continue }
            guard let needed = needs(requires) else { return nil }
            for other in needed where result.insert(other).inserted { queue.append(other) }
        }
        return result.sorted()
    }

    /// The feature to untick a requirement under: net's MQ (with CTRL_VQ), elsewhere the first
    /// whose requirements are features joined by `&&`.
    static func plainRequirement(_ device: Device) -> Feature? {
        let requiring = device.features.filter { $0.requires != nil && !$0.isLegacyOnly }
        return requiring.first { $0.name == "MQ" } ?? requiring.first { closure(of: $0.name, in: device) != nil }
    }

    static func planJSON(_ plans: [DevicePlan], generator: Generator, tools: [String: URL], screenshot: URL) -> JSON {
        let newest = generator.version.description
        let devices: [JSON] = plans.map { plan in
            let device = plan.input.device
            let requiring = device.features.filter { $0.requires != nil && !$0.isLegacyOnly }
            let plain = plainRequirement(device)
            let untick: JSON = plain.flatMap { feature in
                feature.requires.flatMap(needs)?.first.map { JSON.object([("feature", .string(feature.name)),
                                                                          ("required", .string($0))]) }
            } ?? .null
            // The page first opens from a link with every shaping feature whose requirements
            // are plain, and those requirements: it must read back as exactly that.
            let opening = Set(shaping(device).compactMap { closure(of: $0, in: device) }.joined())
            let ordered = device.features.sorted { $0.bit < $1.bit }.map(\.name).filter(opening.contains)
            var links: [JSON] = [.object([("fragment", .string("#spec=\(newest)&features=" + ordered.joined(separator: ","))),
                                          ("version", .string(newest)), ("ticked", .array(ordered.map { .string($0) })),
                                          ("says", .array([]))])]
            if let plain, let ticked = closure(of: plain.name, in: device) {
                links.append(.object([("fragment", .string("#spec=\(newest)&features=\(plain.name)")),
                                      ("version", .string(newest)), ("ticked", .array(ticked.map { .string($0) })),
                                      ("says", .array([.string("too")]))]))
            }
            if device.name == "net" {
                links.append(.object([("fragment", .string("#spec=0.9&features=NO_SUCH,MTU")), ("version", .string(newest)),
                                      ("ticked", .array([.string("MTU")])),
                                      ("says", .array([.string("virtio 0.9"), .string("Left out NO_SUCH")]))]))
            }
            return .object([
                ("device", .string(device.name)),
                ("layout", .string("Layouts/" + plan.input.layoutName)),
                ("section", .string(HTMLPageData.section(of: device.specReference))),
                ("newest", .string(newest)),
                ("cases", .array(plan.cases.map { .object([("version", .string($0.version.description)),
                                                           ("features", .array($0.features.map { .string($0) }))]) })),
                ("requirements", .array(requiring.map { .string($0.name) })),
                ("untick", untick),
                ("links", .array(links)),
                ("reload", .bool(["net", "blk"].contains(device.name))),
            ])
        }
        return .object([
            ("pages", .string(PackagePaths.root.appendingPathComponent("Generated/html").path)),
            ("root", .string(PackagePaths.root.path)),
            ("cfgspace", .string(Subprocess.cfgspace.path)),
            ("chromium", .string(tools["chromium"]?.path ?? "")),
            ("chromedriver", .string(tools["chromedriver"]?.path ?? "")),
            ("devices", .array(devices)),
            ("keyboard", .object([("device", .string("net")), ("version", .string(newest)), ("feature", .string("MQ"))])),
            ("screenshot", .object([("device", .string("net")), ("version", .string(newest)),
                                    ("features", .array([.string("MTU"), .string("STATUS")])), ("field", .string("mtu")),
                                    ("path", .string(screenshot.path))])),
        ])
    }

    /// The browser and its driver, and Python with selenium; nil, with the test marked, when any is missing.
    static func tools() throws -> [String: URL]? {
        var found: [String: URL] = [:]
        for name in ["python3", "chromium", "chromedriver"] {
            guard let url = GeneratedCodeTests.tool(name, for: "driving the HTML pages in a browser") else { return nil }
            found[name] = url
        }
        guard let python = found["python3"] else { return nil }
        let check = try Subprocess.run(python, ["-c", "import selenium"], timeout: .seconds(30))
        guard check.status == 0 else {
            let missing = "Python's selenium, which \(python.path) cannot import (.ci/run installs it from PyPI)"
            if Tools.areRequired { Issue.record(Comment(rawValue: "the browser test requires " + missing)) }
            else { print("skipped: driving the HTML pages needs " + missing) }
            return nil
        }
        return found
    }

    @Test func everyPageAgreesWithTableInChromium() throws {
        guard let tools = try Self.tools(), let python = tools["python3"] else { return }
        let generator = try GeneratedCodeTests.generator()
        let plans = Self.plan(generator)
        let folder = try Tools.temporaryFolder("browser")
        defer { try? FileManager.default.removeItem(at: folder) }
        let planURL = folder.appendingPathComponent("plan.json")
        let screenshot = folder.appendingPathComponent("net.png")
        try Self.planJSON(plans, generator: generator, tools: tools, screenshot: screenshot).rendered()
            .write(to: planURL, atomically: true, encoding: .utf8)
        let script = PackagePaths.root.appendingPathComponent("Tests/Browser/html_pages.py")
        // -B: no __pycache__ left beside the scripts.
        let result = try Subprocess.run(python, ["-B", script.path, planURL.path], in: PackagePaths.root,
                                        timeout: .seconds(240))
        #expect(!result.timedOut, "the browser run took over 240 s")
        #expect(result.status == 0, "html_pages.py exited \(result.status): \(result.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let report = try #require(parsed as? [String: Any], "no report from html_pages.py: \(result.stderr)")
        for failure in report["failures"] as? [String] ?? ["no failures list"] { Issue.record(Comment(rawValue: failure)) }
        print("browser: \(report["pages"] ?? 0) pages, \((report["cases"] as? [Any])?.count ?? 0) feature sets, "
              + "\(report["clicks"] ?? 0) clicks, \(report["oracle_calls"] ?? 0) cfgspace table runs, "
              + "\(report["seconds"] ?? 0) s; \(report["phases"] ?? [:])")
        #expect(report["pages"] as? Int == plans.count)
        #expect((report["index_links"] as? [String]).map(Set.init) == Set(plans.map { $0.input.device.name + ".html" }),
                "the index links \(report["index_links"] ?? "nothing")")
        try Self.checkCases(report, plans: plans, generator: generator)
        try Self.checkRequirements(report, plans: plans)
        try HTMLPageReaderChecks.check(report, generator: generator)
    }

    /// Every set the page ended on honours every `requires` (the engine's check), holds what was
    /// asked for, and ticks nothing more than requirements bring in; the sets cover what they must.
    static func checkCases(_ report: [String: Any], plans: [DevicePlan], generator: Generator) throws {
        let cases = try #require(report["cases"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: plans.map { ($0.input.device.name, $0) })
        var distinct: [String: Set<String>] = [:]
        for entry in cases {
            let name = try #require(entry["device"] as? String)
            let version = try #require((entry["version"] as? String).flatMap(SpecVersion.init))
            let planned = try #require(entry["planned"] as? [String])
            let ticked = try #require(entry["ticked"] as? [String])
            let plan = try #require(byName[name])
            let device = plan.input.declared.asOf(version == SpecVersion.newest ? nil : version)
            let set = try #require(try? device.parseFeatures(ticked.isEmpty ? "none" : ticked.joined(separator: ",")).get())
            let unmet = device.unmetRequirements(in: set).map(\.feature.name)
            #expect(unmet.isEmpty, "\(name) \(version): the page ticked \(ticked), where \(unmet) lack their requirements")
            #expect(Set(planned).isSubset(of: ticked), "\(name) \(version): asked for \(planned), the page ticked \(ticked)")
            let required = Set(ticked.flatMap { device.feature(named: $0)?.requires?.featureNames ?? [] })
            let extra = Set(ticked).subtracting(planned)
            #expect(extra.isSubset(of: required), "\(name) \(version): \(extra.subtracting(required)) ticked unasked")
            distinct[name, default: []].insert(version.description + " " + ticked.sorted().joined(separator: ","))
        }
        for plan in plans {
            let name = plan.input.device.name
            let offered = HTMLPageData.versions(of: plan.input.declared, upTo: generator.version).map(\.description)
            let checked = Set((distinct[name] ?? []).map { String($0.prefix { $0 != " " }) })
            #expect(checked == Set(offered), "\(name): checked at \(checked.sorted()), the page offers \(offered)")
        }
        for name in ["net", "blk"] {
            let sets = distinct[name] ?? []
            #expect(sets.filter { $0.hasPrefix(generator.version.description + " ") }.count >= 20,
                    "\(name): fewer than 20 sets at virtio \(generator.version)")
        }
        #expect(distinct["net"]?.contains("\(generator.version) MTU,STATUS") == true, "net: the 2021 set {MTU, STATUS} was not checked")
    }

    /// Ticking a feature alone ticks what it requires and says why; net's MQ brings CTRL_VQ.
    static func checkRequirements(_ report: [String: Any], plans: [DevicePlan]) throws {
        let entries = try #require(report["requirements"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: plans.map { ($0.input.device.name, $0.input.device) })
        let expected = plans.reduce(0) { $0 + $1.input.device.features.filter { $0.requires != nil && !$0.isLegacyOnly }.count }
        #expect(entries.count == expected, "ticked \(entries.count) features with requirements of \(expected)")
        for entry in entries {
            let name = try #require(entry["device"] as? String)
            let feature = try #require(entry["feature"] as? String)
            let ticked = try #require(entry["ticked"] as? [String])
            let device = try #require(byName[name])
            let set = try #require(try? device.parseFeatures(ticked.joined(separator: ",")).get())
            #expect(ticked.contains(feature) && device.unmetRequirements(in: set).isEmpty,
                    "\(name): ticking \(feature) left \(ticked)")
        }
        let mq = entries.first { $0["device"] as? String == "net" && $0["feature"] as? String == "MQ" }
        #expect((mq?["ticked"] as? [String]).map(Set.init) == ["CTRL_VQ", "MQ"], "net: ticking MQ ticks \(mq?["ticked"] ?? "nothing")")
        #expect((mq?["status"] as? String)?.contains("Ticked MQ, and with it CTRL_VQ: MQ requires CTRL_VQ.") == true,
                "net: ticking MQ says \(mq?["status"] ?? "nothing")")
        #expect(report["unticks"] as? Int == plans.filter { plainRequirement($0.input.device) != nil }.count)
    }
}
