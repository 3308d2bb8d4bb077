import Foundation
import Testing
import TestSupport
import Rendering
@testable import ConfigEmit
@testable import ConfigLayout

/// The byte maps' labels are whole: each fits its box, by size and lines, or is a numbered note;
/// none is cut. Chromium measures every label as it draws it.
@Suite struct SVGLabelTests {
    @Test func aLongNameBreaksAfterItsUnderscoresAtASmallerSize() throws {
        // A one-byte box: 64 pixels less the border and padding.
        let label = try #require(SVGLabel.fit("rss_max_key_size @56", width: 54, height: 22))
        #expect(label == SVGLabel(lines: ["rss_max_key_", "size @56"], size: 7))
        let lower = try #require(SVGLabel.fit("write_zeroes_may_unmap @56", width: 54, height: 24))
        #expect(lower == SVGLabel(lines: ["write_zeroes_", "may_unmap", "@56"], size: 7))
        #expect(lower.lines.allSatisfy { SVGLabel.width($0, size: 7) <= 54 })
        let short = try #require(SVGLabel.fit("mtu @10", width: 118, height: 22))
        #expect(short == SVGLabel(lines: ["mtu @10"], size: 10))
        #expect(SVGLabel.fit("a_label_far_too_long_for_any_box_of_this_width @0", width: 30, height: 22) == nil)
    }

    @Test func everyWordStaysWholeInProse() {
        let lines = SVGLabel.prose("Packed under {CTRL_VQ, HASH_TUNNEL, RSS}: 5 fields move", size: 12, width: 120)
        #expect(lines.joined(separator: " ") == "Packed under {CTRL_VQ, HASH_TUNNEL, RSS}: 5 fields move")
        #expect(lines.allSatisfy { SVGLabel.width($0, size: 12) <= 120 || !$0.contains(" ") })
    }

    /// Every built-in picture, under its own choice of features and under every feature: no label
    /// is cut, and each box shows its field's whole `path @offset` or the number of the note that does.
    @Test func everyLabelIsWhole() throws {
        for (name, pictures) in try Self.pictures() {
            for (path, svg) in pictures {
                #expect(!svg.contains("…"), "\(name) \(path) cuts a label")
                let notes = Self.notes(svg)
                for (title, label) in Self.boxes(svg) {
                    let whole = notes[label] ?? label
                    // "mtu (virtio16) at 10, 2 bytes" is labelled "mtu @10"; a union's title starts as its label.
                    let field = title.split(separator: " ").first.map(String.init) ?? title
                    let offset = title.components(separatedBy: " at ").last?.split(separator: ",").first.map(String.init)
                    let expected = title.contains(": union of ") ? nil : "\(field) @\(offset ?? "")"
                    if let expected {
                        #expect(whole == expected, "\(name) \(path): the box of '\(title)' reads '\(whole)'")
                    } else {
                        #expect(whole.hasPrefix(field.dropLast() + " @"), "\(name) \(path): the union '\(title)' reads '\(whole)'")
                    }
                }
            }
        }
    }

    @Test func theChosenFeaturesArePictured() throws {
        let generator = try Self.generator(pictured: ["net": "MTU,STATUS"])
        let target = try #require(GenerationTarget.named("svg"))
        let svg = try #require(generator.files(for: [target]).first { $0.path == "svg/net.svg" }).contents
        #expect(svg.contains("Packed under {MTU, STATUS}: 1 field moves"), "\(svg.prefix(1200))")
        #expect(svg.contains(">mtu @8<") && svg.contains(">mtu @10<"))
    }

    /// Chromium draws every picture and measures each label against its box.
    @Test func everyLabelFitsItsBoxInChromium() throws {
        guard let tools = try HTMLPageBrowserTests.tools(), let python = tools["python3"],
              let chromium = tools["chromium"], let chromedriver = tools["chromedriver"] else { return }
        let folder = try Tools.temporaryFolder("svg-labels")
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for (name, pictures) in try Self.pictures() {
            for (path, svg) in pictures {
                let url = folder.appendingPathComponent(name + "-" + path.replacingOccurrences(of: "/", with: "-"))
                try svg.write(to: url, atomically: true, encoding: .utf8)
                paths.append(url.path)
            }
        }
        let plan = JSON.object([("chromium", .string(chromium.path)), ("chromedriver", .string(chromedriver.path)),
                                ("svgs", .array(paths.map { .string($0) }))])
        let planURL = folder.appendingPathComponent("plan.json")
        try plan.rendered().write(to: planURL, atomically: true, encoding: .utf8)
        let script = PackagePaths.root.appendingPathComponent("Tests/Browser/svg_labels.py")
        let result = try Subprocess.run(python, ["-B", script.path, planURL.path], in: PackagePaths.root, timeout: .seconds(120))
        #expect(!result.timedOut && result.status == 0, "svg_labels.py exited \(result.status): \(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                  "no report from svg_labels.py: \(result.stderr)")
        for failure in report["failures"] as? [String] ?? ["no failures list"] { Issue.record(Comment(rawValue: failure)) }
        for overflow in report["overflows"] as? [String] ?? ["no overflows list"] { Issue.record(Comment(rawValue: overflow)) }
        #expect(report["pictures"] as? Int == paths.count)
        #expect((report["labels"] as? Int ?? 0) > 400, "only \(report["labels"] ?? 0) labels were measured")
    }

    // MARK: - Pictures and what they hold

    static func generator(pictured: [String: String] = [:]) throws -> Generator {
        let base = try GeneratedCodeTests.generator()
        var options = GenerationOptions()
        for input in base.inputs {
            guard let text = pictured[input.device.name] ?? pictured["*"] else { continue }
            options.pictured[input.device.name] = try input.device.parseFeatures(text).get()
        }
        return Generator(inputs: base.inputs, transport: base.transport, version: base.version, options: options)
    }

    /// Every built-in picture twice: the features it picks itself, and every feature.
    static func pictures() throws -> [(String, [(String, String)])] {
        let svg = try #require(GenerationTarget.named("svg"))
        return try [("default", [:]), ("all", ["*": "all"])].map { name, pictured in
            (name, try generator(pictured: pictured).files(for: [svg]).map { ($0.path, $0.contents) })
        }
    }

    /// Each box's title and its label, the lines of a label joined without their breaks.
    static func boxes(_ svg: String) -> [(title: String, label: String)] {
        svg.components(separatedBy: "<g>\n<title>").dropFirst().compactMap { group in
            guard let title = group.components(separatedBy: "</title>").first,
                  let text = group.components(separatedBy: "</g>").first?.components(separatedBy: "<text ").dropFirst().first
            else { return nil }
            let inner = text.drop { $0 != ">" }.dropFirst().components(separatedBy: "</text>").first ?? ""
            // A line that ends inside a name (after `_` or `.`) goes on without a space; any other
            // break was a space.
            let lines = inner.components(separatedBy: "</tspan>").map {
                $0.replacingOccurrences(of: "<tspan[^>]*>", with: "", options: .regularExpression)
            }.filter { !$0.isEmpty }
            let label = lines.dropFirst().reduce(lines.first ?? "") { joined, line in
                joined + (joined.hasSuffix("_") || joined.hasSuffix(".") ? "" : " ") + line
            }
            return (unescape(title), unescape(label))
        }
    }

    /// The numbered notes under the legend, by their number: `[1]` → `topology.physical_block_exp @24`.
    static func notes(_ svg: String) -> [String: String] {
        var notes: [String: String] = [:]
        for match in svg.matches(of: /font-size="11"[^>]*>\[(\d+)\] ([^<]*)</) {
            notes["[\(match.1)]"] = unescape(String(match.2))
        }
        return notes
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}
