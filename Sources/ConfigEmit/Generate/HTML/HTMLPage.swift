import ConfigLayout

/// A device's page: the controls (spec version, features) and the empty sections the script
/// fills (sizes, hazards, byte maps, the field table), then the data, the style and the script.
/// Everything is in the one file: the page opens from disk with no network.
struct HTMLPage {
    let generator: Generator
    let input: GenerationInput

    func rendered() -> String {
        let device = input.device
        let data = HTMLPageData(generator: generator, input: input)
        let title = Markup.escape(Format.title(of: device))
        var out = Self.head(banner: generator.banner(input.layoutName), title: title + ": configuration layout")
        out += """
            <a class="skip" href="#fields">Skip to the field table</a>
            <header>
            <p class="crumbs"><a href="index.html">Every device</a></p>
            <h1>\(title)</h1>

            """
        out += "<p class=\"lede\">" + Markup.escape(facts(device)) + "</p>\n"
        out += """
            <p>Tick the features a device offers. <strong>Fixed</strong> puts every field at its C offset, as Linux, \
            QEMU and the VMMs do; <strong>packed</strong> reads the spec's \u{201C}only exists if\u{201D} literally: a \
            field whose condition is false takes no space and later fields move up. The link to this page keeps the \
            version and features you choose.</p>
            </header>
            <noscript><p class="warning">This page lays the fields out with JavaScript, which is off. The same layout, \
            as tables, is in <a href="../markdown/\(device.name).md">\(device.name).md</a>.</p></noscript>
            <main>
            <form id="controls" action="#" aria-label="Spec version and features">

            """
        out += versionChoice(data)
        out += featureChoice(data)
        out += "</form>\n"
        out += "<p id=\"status\" role=\"status\" aria-live=\"polite\" aria-atomic=\"true\"></p>\n"
        out += device.config == nil ? noConfiguration() : sections()
        out += "</main>\n<footer><p>\(Markup.escape(generator.banner(input.layoutName))) "
        out += "<a id=\"permalink\" href=\"#\">Link to this layout</a></p></footer>\n"
        out += "<script type=\"application/json\" id=\"layout-data\">\n" + data.text + "\n</script>\n"
        out += "<script>\n" + HTMLScript.model + HTMLScript.views + "</script>\n</body>\n</html>\n"
        return out
    }

    /// Everything up to and including `<body>`: the banner, the title (already escaped) and the style.
    static func head(banner: String, title: String) -> String {
        """
        <!DOCTYPE html>
        <!-- \(banner) -->
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light">
        <meta name="generator" content="cfgspace">
        <title>\(title)</title>
        <link rel="icon" href="data:,">
        <style>
        \(HTMLStyle.css)</style>
        </head>
        <body>

        """
    }

    /// "virtio 1.4, 5.1.4 Device configuration layout; in the spec since virtio 1.0." and the doc.
    private func facts(_ device: Device) -> String {
        var facts: [String] = []
        if let spec = device.specReference { facts.append(spec) }
        if let since = device.since { facts.append("in the spec since virtio \(since)") }
        var text = facts.isEmpty ? "" : facts.joined(separator: "; ") + "."
        if let doc = device.doc { text += (text.isEmpty ? "" : " ") + doc.replacingNewlines() }
        return text
    }

    /// A radio button per published version; those before the device existed are shown, disabled.
    private func versionChoice(_ data: HTMLPageData) -> String {
        var out = "<fieldset id=\"version\">\n<legend>Spec version</legend>\n"
        for version in SpecVersion.known where version <= generator.version {
            let offered = data.versions.contains(version)
            let id = "spec-" + version.description.replacingOccurrences(of: ".", with: "-")
            out += "<label for=\"\(id)\"><input type=\"radio\" name=\"spec\" id=\"\(id)\" value=\"\(version)\""
            out += offered ? "" : " disabled"
            out += "> virtio \(version)"
            if !offered { out += " <span class=\"note\">(before \(input.device.name) was in the spec)</span>" }
            out += "</label>\n"
        }
        return out + "</fieldset>\n"
    }

    /// Every feature any offered version has, as a checkbox: first those that shape the layout,
    /// then the rest. The script hides those the chosen version lacks.
    private func featureChoice(_ data: HTMLPageData) -> String {
        let features = input.declared.features
        guard !features.isEmpty else {
            return "<fieldset id=\"features\">\n<legend>Features offered</legend>\n"
                + "<p>\(Markup.escape(input.device.name)) defines no feature bits of its own.</p>\n</fieldset>\n"
        }
        var out = "<fieldset id=\"features\">\n<legend>Features offered</legend>\n"
        out += "<p class=\"actions\"><button type=\"button\" id=\"tick-all\">Tick every feature</button> "
        out += "<button type=\"button\" id=\"untick-all\">Untick every feature</button></p>\n"
        let shaping = features.filter { data.shaping.contains($0.name) }
        let others = features.filter { !data.shaping.contains($0.name) }
        if !shaping.isEmpty {
            out += group("Features that shape the layout", id: "shaping", shaping)
        }
        if shaping.isEmpty {
            out += group("No feature changes the layout", id: "others", others)
        } else if !others.isEmpty {
            // Folded away, since they change nothing here; the summary names those ticked.
            out += "<details id=\"more-features\"><summary>Features that leave the layout alone "
            out += "<span id=\"more-ticked\"></span></summary>\n"
            out += group("Features that leave the layout alone", id: "others", others) + "</details>\n"
        }
        return out + "</fieldset>\n"
    }

    private func group(_ legend: String, id: String, _ features: [Feature]) -> String {
        var out = "<fieldset class=\"group\" id=\"group-\(id)\">\n<legend>\(legend)</legend>\n<ul class=\"feature-list\">\n"
        for feature in features {
            let name = Markup.escape(feature.name)
            // What a screen reader says with the checkbox: the requirement, who needs it, the meaning.
            let described = (feature.requires == nil ? [] : ["requires-\(name)"]) + ["needed-\(name)"]
                + (feature.doc == nil ? [] : ["doc-\(name)"])
            let title = feature.doc.map { " title=\"\(Markup.escape($0.replacingNewlines()))\"" } ?? ""
            out += "<li class=\"feature\" id=\"item-\(name)\"><label for=\"feature-\(name)\"\(title)>"
            out += "<input type=\"checkbox\" id=\"feature-\(name)\" value=\"\(name)\" "
            out += "aria-describedby=\"\(described.joined(separator: " "))\"> <code>\(name)</code> "
            out += "<span class=\"bit\">bit \(feature.bit)</span>"
            if feature.isLegacyOnly { out += " <span class=\"tag\">legacy</span>" }
            out += "</label>"
            if let requires = feature.requires {
                out += " <span class=\"requires\" id=\"requires-\(name)\">requires \(Markup.escape(requires.description))</span>"
            }
            out += " <span class=\"needed\" id=\"needed-\(name)\"></span>"
            if let doc = feature.doc {
                out += "<span class=\"visually-hidden\" id=\"doc-\(name)\">\(Markup.escape(doc.replacingNewlines()))</span>"
            }
            out += "</li>\n"
        }
        return out + "</ul>\n</fieldset>\n"
    }

    private func noConfiguration() -> String {
        """
        <section id="layout" aria-labelledby="layout-heading">
        <h2 id="layout-heading">Layout</h2>
        <p id="no-config">The specification defines no configuration for this device: there is nothing to lay out, \
        whatever the features.</p>
        </section>

        """
    }

    /// The sections the script fills, with their headings and captions in place.
    private func sections() -> String {
        """
        <section id="summary" aria-labelledby="summary-heading">
        <h2 id="summary-heading">Sizes</h2>
        <p id="summary-text"></p>
        <table id="sizes">
        <caption>The config size under the ticked features</caption>
        <thead><tr><th scope="col">Interpretation</th><th scope="col">Full (the whole struct)</th>\
        <th scope="col">QEMU (<code>virtio_get_config_size</code>)</th></tr></thead>
        <tbody>
        <tr><th scope="row">fixed</th><td data-interpretation="fixed" data-sizing="full"></td>\
        <td data-interpretation="fixed" data-sizing="qemu"></td></tr>
        <tr><th scope="row">packed</th><td data-interpretation="packed" data-sizing="full"></td>\
        <td data-interpretation="packed" data-sizing="qemu"></td></tr>
        </tbody>
        </table>
        </section>
        <section id="maps" aria-labelledby="maps-heading">
        <h2 id="maps-heading">Byte map</h2>
        <div class="maps">
        <figure id="map-fixed"><figcaption></figcaption><div class="map" aria-hidden="true"></div></figure>
        <figure id="map-packed"><figcaption></figcaption><div class="map" aria-hidden="true"></div></figure>
        </div>
        <ul class="legend" aria-label="Legend">
        <li><span class="swatch present"></span> present, same offset in both</li>
        <li><span class="swatch moved"></span> present, moved</li>
        <li><span class="swatch invalid"></span> present, not valid</li>
        <li><span class="swatch absent"></span> absent: bytes kept, reserved</li>
        <li><span class="swatch reserved"></span> padding or reserved</li>
        <li><span class="swatch beyond"></span> past QEMU's size (dotted)</li>
        <li><span class="swatch served"></span> past the struct, QEMU serves it</li>
        </ul>
        </section>
        <section id="hazards" aria-labelledby="hazards-heading">
        <h2 id="hazards-heading">Alignment hazards</h2>
        <p>A present field off its natural alignment: PCI and MMIO drivers read fields with aligned accesses.</p>
        <ul id="hazard-list"></ul>
        </section>
        <section id="qemu" aria-labelledby="qemu-heading">
        <h2 id="qemu-heading">QEMU's size</h2>
        <table id="qemu-table">
        <caption>QEMU's size table: the config is the largest of the minimum and the end of every entry whose \
        features are offered (<code>virtio_get_config_size</code>, hw/virtio/virtio.c)</caption>
        <thead><tr><th scope="col">Entry</th><th scope="col">Offered</th><th scope="col">Ends at (fixed)</th>\
        <th scope="col">Ends at (packed)</th></tr></thead>
        <tbody></tbody>
        </table>
        <p id="qemu-note"></p>
        </section>
        <section id="fields" aria-labelledby="fields-heading" tabindex="-1">
        <h2 id="fields-heading">Fields</h2>
        <table id="field-table">
        <caption></caption>
        <thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Size</th>\
        <th scope="col">Condition</th><th scope="col">Fixed offset</th><th scope="col">Packed offset</th>\
        <th scope="col">Move</th><th scope="col">Notes</th><th scope="col">Versions</th><th scope="col">Spec</th></tr></thead>
        <tbody></tbody>
        </table>
        </section>

        """
    }
}
