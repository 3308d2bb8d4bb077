import ConfigLayout

/// A page per device to look at rather than read: tick features, pick a spec version, and see the
/// fixed and packed layouts side by side as byte maps and a table, with QEMU's size and the
/// alignment hazards. Each page holds its data, style and script, and opens from disk; the index
/// page links them.
struct HTMLEmitter: Emitter {
    let generator: Generator

    var sharedFiles: [GeneratedFile] {
        [GeneratedFile(path: "html/index.html", contents: index())]
    }

    static let name = "html"
    static let summary = "HTML"
    static let column = "Interactive"
    static let phase = EmitterPhase.reusesDiffs

    static func path(of device: Device) -> String { "html/\(device.name).html" }

    func contents(for input: GenerationInput) -> String { HTMLPage(generator: generator, input: input).rendered() }

    private func index() -> String {
        var out = HTMLPage.head(banner: generator.banner("Layouts/*.layout"), title: "Virtio configuration layouts")
        out += """
            <header>
            <h1>Virtio configuration layouts</h1>
            <p class="lede">A page per device, from the layouts as of virtio \(generator.version): tick the features a \
            device offers and see where each field sits under the fixed (C) and packed (the spec's literal) readings.</p>
            </header>
            <main>
            <table id="devices">
            <caption>The devices, by ID</caption>
            <thead><tr><th scope="col">Device</th><th scope="col">ID</th><th scope="col">Title</th>\
            <th scope="col">Since</th><th scope="col">Features</th><th scope="col">Fields</th>\
            <th scope="col">Fields packed can move</th></tr></thead>
            <tbody>

            """
        for input in generator.inputs {
            let device = input.device
            let name = Markup.escape(device.name)
            let fields = device.config == nil ? "none"
                : "\(Layout(device: device, features: FeatureSet(), interpretation: .fixed).fields.count)"
            let moving = device.config == nil ? "" : "\(generator.fixedVersusPacked(device).fields.filter(\.moves).count)"
            out += "<tr><th scope=\"row\"><a href=\"\(name).html\">\(name)</a></th><td>\(device.id)</td>"
            out += "<td>\(Markup.escape(device.title ?? ""))</td><td>\(device.since.map { "\($0)" } ?? "")</td>"
            out += "<td>\(device.features.count)</td><td>\(fields)</td><td>\(moving)</td></tr>\n"
        }
        out += "</tbody>\n</table>\n</main>\n"
        out += "<footer><p>\(Markup.escape(generator.banner("Layouts/*.layout")))</p></footer>\n</body>\n</html>\n"
        return out
    }
}
