import Foundation
import Testing
import ConfigLayout
@testable import ConfigEmit

/// What the browser run saw of the page as a reader meets it: the focus order, the keyboard alone,
/// the print style, and the byte map drawn where the engine places the fields.
enum HTMLPageReaderChecks {
    static func check(_ report: [String: Any], generator: Generator) throws {
        let net = try #require(generator.inputs.first { $0.device.name == "net" }?.device)
        let version = generator.version.description

        // Tab from the top: the skip link, the way back, the chosen version (arrow keys move
        // within the radio group), the two buttons, then the first feature that shapes the layout.
        let order = try #require(report["focus_order"] as? [String])
        let first = HTMLPageBrowserTests.shaping(net).first ?? ""
        #expect(order.count == 6 && order[0].hasSuffix("#fields") && order[1].hasSuffix("index.html")
                && Array(order[2...]) == ["spec-" + version.replacingOccurrences(of: ".", with: "-"), "tick-all",
                                          "untick-all", "feature-" + first], "focus order: \(order)")

        // Space on the focused MQ box ticks it and CTRL_VQ, and the live region says why.
        let keyboard = try #require(report["keyboard"] as? [String: Any])
        #expect((keyboard["ticked"] as? [String]).map(Set.init) == ["CTRL_VQ", "MQ"], "keyboard: \(keyboard)")
        #expect((keyboard["status"] as? String)?.hasPrefix("Ticked MQ, and with it CTRL_VQ") == true, "keyboard: \(keyboard)")

        // In print the status line and buttons go, unticked features go, the rest stays. The
        // folded group of features that leave the layout alone prints while one of them (CTRL_VQ,
        // brought by MQ) is ticked, and goes once none is.
        let print = try #require(report["print"] as? [String: Bool])
        #expect(print == ["status": false, "buttons": false, "tickedShown": true, "untickedShown": false,
                          "more": true, "table": true, "maps": true], "print style: \(print)")
        let unticked = try #require(report["print_none_ticked"] as? [String: Bool])
        #expect(unticked == ["status": false, "buttons": false, "tickedShown": true, "untickedShown": false,
                             "more": false, "table": true, "maps": true], "print style with nothing ticked: \(unticked)")

        // The screenshot renders; whether it is byte-stable is reported, not relied on (fonts
        // and Chromium versions change its pixels), so the check is on the DOM below.
        let screenshot = try #require(report["screenshot"] as? [String: Any])
        #expect((screenshot["bytes"] as? Int ?? 0) > 20_000, "screenshot: \(screenshot)")

        // mtu's box under {MTU, STATUS}: at the byte cell of its offset in each map, and the two
        // maps side by side, with nothing wider than the window.
        let geometry = try #require(report["geometry"] as? [String: Any])
        let features = try #require(try? net.parseFeatures("MTU,STATUS").get())
        for interpretation in Interpretation.allCases {
            let map = try #require(geometry[interpretation.rawValue] as? [String: Any])
            let offset = try #require(Layout(device: net, features: features, interpretation: interpretation).field("mtu")?.offset)
            let boxes = try #require(map["boxes"] as? [[String: Any]])
            let cells = try #require(map["cells"] as? [[Double]])
            #expect(boxes.count == 1, "\(interpretation): mtu boxes \(boxes)")
            guard let box = boxes.first, let rect = box["rect"] as? [Double], offset < cells.count else { continue }
            #expect((box["label"] as? String)?.hasPrefix("mtu @\(offset)") == true, "\(interpretation): \(box)")
            let cell = cells[offset]
            #expect(abs(rect[0] - cell[0]) <= 3 && abs(rect[1] - cell[1]) <= 3,
                    "\(interpretation): mtu's box at \(rect), its byte \(offset) at \(cell)")
        }
        let fixed = try #require((geometry["fixed"] as? [String: Any])?["figure"] as? [Double])
        let packed = try #require((geometry["packed"] as? [String: Any])?["figure"] as? [Double])
        #expect(packed[0] >= fixed[2] && abs(packed[1] - fixed[1]) < 1, "maps not side by side: \(fixed) \(packed)")
        #expect((geometry["scrollWidth"] as? Int ?? .max) <= (geometry["width"] as? Int ?? 0), "the page is wider than the window")
    }
}
