import Foundation
import Testing
import TestSupport
import VirtioHost
import ConfigLayout
@testable import ConfigEmit

/// The generated code must compile warning-free in its language and behave like the engine: for
/// many feature sets per device, QEMU's size and every presence predicate computed by the C, Rust
/// and Swift output must equal what `Layout` says.
@Suite(.serialized) struct GeneratedCodeTests {
    /// Every layout in Layouts/, as `cfgspace generate` reads them.
    static func generator(version: SpecVersion = SpecVersion.newest, options: GenerationOptions = GenerationOptions()) throws -> Generator {
        let loader = LayoutLoader()
        let folder = PackagePaths.root.appendingPathComponent("Layouts")
        var inputs: [GenerationInput] = []
        var transport: Transport?
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).filter({ $0.hasSuffix(".layout") }).sorted() {
            let loaded = try loader.load(path: folder.appendingPathComponent(name).path)
            transport = transport ?? loaded.checked.transport
            inputs += loaded.devices.filter { $0.exists(in: version) }.map {
                GenerationInput(device: $0.asOf(selected: version), declared: $0, layoutName: name)
            }
        }
        return Generator(inputs: inputs, transport: transport, version: version, options: options)
    }

    /// Writes the files of some targets into a fresh folder.
    static func write(_ names: [String], version: SpecVersion = SpecVersion.newest,
                      options: GenerationOptions = GenerationOptions()) throws -> URL {
        let folder = try Tools.temporaryFolder("generated")
        let targets = try names.map { name in try #require(GenerationTarget.named(name)) }
        for file in try generator(version: version, options: options).files(for: targets) {
            let url = folder.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// A tool, or nil with the test marked: an issue when tools are required, else a clear skip.
    static func tool(_ name: String, for what: String) -> URL? {
        if let url = Tools.find(name) { return url }
        if Tools.areRequired { Issue.record("\(name) is required for \(what) but is not installed") }
        else { print("skipped: \(what) needs \(name), which is not installed") }
        return nil
    }

    // MARK: - Behaviour cases

    /// A device under one feature set and what the engine says there.
    struct Case {
        let device: Device
        let index: Int
        let words: [UInt64]
        /// "<device> <index> <qemu size> <predicate bits>"
        let expected: String
    }

    /// For each device, every subset of its conditional features when there are at most six of
    /// them, otherwise 48 seeded random sets, plus none and all.
    static func cases(_ generator: Generator) -> [Case] {
        var random = SeededGenerator(seed: 0xC0DE)
        var cases: [Case] = []
        for input in generator.inputs where input.device.config != nil {
            let device = input.device
            let fields = device.conditionalFields
            let names = Array(Set(fields.flatMap { $0.valid.featureNames + $0.exists.featureNames }
                + QemuSizeTable(device: device).entries.flatMap(\.condition.featureNames))).sorted()
            let bits = names.compactMap { device.feature(named: $0)?.bit }
            var sets: [FeatureSet] = [FeatureSet(), FeatureSet(bits: device.allFeatures.map(\.bit))]
            if bits.count <= 6 {
                sets += (0..<(1 << bits.count)).map { mask in FeatureSet(bits: bits.indices.filter { mask & (1 << $0) != 0 }.map { bits[$0] }) }
            } else {
                sets += (0..<48).map { _ in FeatureSet(bits: bits.filter { _ in random.next() & 1 == 1 }) }
            }
            for (index, features) in sets.enumerated() {
                let size = Layout(device: device, features: features, interpretation: .fixed, sizing: .qemu).size
                var predicates = ""
                for field in fields {
                    if field.exists != .always { predicates += device.holds(field.exists, in: features) ? "1" : "0" }
                    if field.valid != field.exists { predicates += device.holds(field.valid, in: features) ? "1" : "0" }
                }
                var words = features.words
                while words.count < 2 { words.append(0) }
                cases.append(Case(device: device, index: index, words: words,
                                  expected: "\(device.name) \(index) \(size) \(predicates.isEmpty ? "-" : predicates)"))
            }
        }
        return cases
    }

    /// The predicate functions of a device, in the order `Case.expected` lists their values.
    static func predicateNames(_ device: Device, _ name: (String, String) -> String) -> [String] {
        device.conditionalFields.flatMap { field in
            (field.exists != .always ? [name(field.path, "present")] : [])
                + (field.valid != field.exists ? [name(field.path, "valid")] : [])
        }
    }

    static func compare(_ output: String, with cases: [Case], language: String) {
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == cases.count, "\(language) printed \(lines.count) lines for \(cases.count) cases")
        for (line, testCase) in zip(lines, cases) where line != testCase.expected {
            Issue.record("\(language) disagrees with the engine: got '\(line)', expected '\(testCase.expected)'")
        }
    }

    // MARK: - C

    @Test func cHeadersCompileStrictlyAndBehaveLikeTheEngine() throws {
        guard let gcc = Self.tool("gcc", for: "compiling the C headers") else { return }
        let folder = try Self.write(["c"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let headers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("c").path).sorted()
        #expect(headers.count == PackagePaths.deviceLayouts.count + 1)  // and transport.h
        let flags = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I", folder.appendingPathComponent("c").path]
        // Each header on its own, so each is self-contained.
        for header in headers {
            let unit = folder.appendingPathComponent("unit-\(header).c")
            try "#include \"\(header)\"\nint main(void) { return 0; }\n".write(to: unit, atomically: true, encoding: .utf8)
            let result = try Subprocess.run(gcc, flags + ["-c", unit.path, "-o", unit.path + ".o"])
            #expect(result.status == 0, "\(header) does not compile cleanly:\n\(result.stderr)")
        }

        let generator = try Self.generator()
        let cases = Self.cases(generator)
        var program = "#include <stdio.h>\n" + generator.inputs.map { "#include \"\($0.device.name).h\"\n" }.joined()
        program += "int main(void)\n{\n"
        for testCase in cases {
            let device = testCase.device.name
            let predicates = Self.predicateNames(testCase.device) { "cfgspace_\(device)_\(Naming.flat($0))_\($1)" }
            program += "\t{\n\t\tconst uint64_t f[] = { " + testCase.words.map { "\($0)ULL" }.joined(separator: ", ") + " };\n"
            program += "\t\tprintf(\"\(device) \(testCase.index) %zu \", cfgspace_\(device)_qemu_config_size(f, \(testCase.words.count)));\n"
            if predicates.isEmpty { program += "\t\tprintf(\"-\");\n" }
            for predicate in predicates { program += "\t\tprintf(\"%d\", \(predicate)(f, \(testCase.words.count)) ? 1 : 0);\n" }
            program += "\t\tprintf(\"\\n\");\n\t}\n"
        }
        program += "\treturn 0;\n}\n"
        let source = folder.appendingPathComponent("behaviour.c")
        try program.write(to: source, atomically: true, encoding: .utf8)
        let binary = folder.appendingPathComponent("behaviour")
        let compile = try Subprocess.run(gcc, flags + [source.path, "-o", binary.path])
        #expect(compile.status == 0, "\(compile.stderr)")
        guard compile.status == 0 else { return }
        Self.compare(try Subprocess.run(binary, []).stdout, with: cases, language: "C")
    }

    /// Linux's UAPI headers and the generated headers, in one program: gcc asserts that every
    /// field both have sits at the same offset. Generated at spec 1.2, which Linux 6.1 follows, with
    /// the prefix that lets both be included.
    @Test func cAgreesWithLinuxWhereAStructExistsInBoth() throws {
        guard let gcc = Self.tool("gcc", for: "comparing the C headers with Linux's") else { return }
        let linux = URL(fileURLWithPath: "/usr/include/linux")
        guard FileManager.default.fileExists(atPath: linux.appendingPathComponent("virtio_net.h").path) else {
            if Tools.areRequired { Issue.record("linux-libc-dev is required but /usr/include/linux/virtio_net.h is missing") }
            return
        }
        let version = try #require(SpecVersion("1.2"))
        let folder = try Self.write(["c"], version: version, options: GenerationOptions(cPrefix: "cfgspace_"))
        defer { try? FileManager.default.removeItem(at: folder) }
        var program = "#include <stddef.h>\n"
        var compared = 0
        for input in try Self.generator(version: version).inputs {
            guard let config = input.device.config?.name else { continue }
            let stem = config.replacingOccurrences(of: "virtio_", with: "").replacingOccurrences(of: "_config", with: "")
            let header = linux.appendingPathComponent("virtio_\(stem).h")
            guard let text = try? String(contentsOf: header, encoding: .utf8) else { continue }
            let linuxPaths = Set(CDeclarations(text: text).declared(config)?.members.map(\.path) ?? [])
            guard !linuxPaths.isEmpty else { continue }
            program += "#include <linux/virtio_\(stem).h>\n#include \"\(input.device.name).h\"\n"
            let layout = Layout(device: input.device, features: FeatureSet(), interpretation: .fixed)
            for field in layout.fields where linuxPaths.contains(field.path) {
                program += "_Static_assert(offsetof(struct \(Naming.cStruct(config, prefix: "cfgspace_")), \(field.path)) == "
                program += "offsetof(struct \(config), \(field.path)), \"\(input.device.name) \(field.path)\");\n"
                compared += 1
            }
        }
        program += "int main(void) { return 0; }\n"
        let source = folder.appendingPathComponent("linux.c")
        try program.write(to: source, atomically: true, encoding: .utf8)
        let result = try Subprocess.run(gcc, ["-std=gnu11", "-Wall", "-Werror", "-I", folder.appendingPathComponent("c").path,
                                              "-c", source.path, "-o", source.path + ".o"])
        #expect(result.status == 0, "offsets differ from Linux's:\n\(result.stderr)")
        #expect(compared >= 90, "only \(compared) fields were compared")
    }

    // MARK: - Rust

    @Test func rustModulesCompileAndBehaveLikeTheEngine() throws {
        guard let rustc = Self.tool("rustc", for: "compiling the Rust modules") else { return }
        let folder = try Self.write(["rust"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let modules = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("rust").path).sorted()
        #expect(modules.count == PackagePaths.deviceLayouts.count + 3)  // and transport.rs, le.rs, mod.rs
        // The folder is one crate: every device module beside the one `le` they share.
        let crate = folder.appendingPathComponent("rust/mod.rs").path
        let library = try Subprocess.run(rustc, ["--edition", "2021", "--crate-type", "lib", "--crate-name", "virtio_config",
                                                 "-D", "warnings", "--out-dir", folder.path, crate])
        #expect(library.status == 0, "the modules do not compile cleanly as one crate:\n\(library.stderr)")

        let generator = try Self.generator()
        let cases = Self.cases(generator)
        // The folder as a private module of a binary (`mod rust;` finds rust/mod.rs), used in part.
        var program = "#![allow(dead_code)]\nmod rust;\n"
        program += "fn main() {\n"
        for testCase in cases {
            let device = testCase.device.name
            let predicates = Self.predicateNames(testCase.device) { "rust::\(device)::\(Naming.flat($0))_\($1)" }
            // Features are a u64 mask, or a slice where a device's conditions reach past bit 63.
            let text = try String(contentsOf: folder.appendingPathComponent("rust/\(device).rs"), encoding: .utf8)
            let argument = text.contains("features: &[u64]) -> usize") ? "&f" : "f[0]"
            program += "    {\n        let f: [u64; \(testCase.words.count)] = [" + testCase.words.map { "\($0)" }.joined(separator: ", ") + "];\n"
            program += "        let mut bits = String::new();\n"
            for predicate in predicates { program += "        bits.push(if \(predicate)(\(argument)) { '1' } else { '0' });\n" }
            if predicates.isEmpty { program += "        bits.push('-');\n" }
            program += "        println!(\"\(device) \(testCase.index) {} {}\", rust::\(device)::qemu_config_size(\(argument)), bits);\n    }\n"
        }
        program += "}\n"
        let source = folder.appendingPathComponent("behaviour.rs")
        try program.write(to: source, atomically: true, encoding: .utf8)
        let binary = folder.appendingPathComponent("behaviour-rust")
        let compile = try Subprocess.run(rustc, ["--edition", "2021", "-D", "warnings", "-o", binary.path, source.path])
        #expect(compile.status == 0, "\(compile.stderr)")
        guard compile.status == 0 else { return }
        Self.compare(try Subprocess.run(binary, []).stdout, with: cases, language: "Rust")
    }

    // MARK: - Swift

    @Test func swiftFilesCompileAndBehaveLikeTheEngine() throws {
        guard let swiftc = Self.tool("swiftc", for: "compiling the Swift files") else { return }
        let folder = try Self.write(["swift"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let swiftFolder = folder.appendingPathComponent("swift")
        let files = try FileManager.default.contentsOfDirectory(atPath: swiftFolder.path).sorted()
            .map { swiftFolder.appendingPathComponent($0).path }
        #expect(files.count == PackagePaths.deviceLayouts.count + 1)  // and VirtioTransport.swift
        let library = try Subprocess.run(swiftc, ["-parse-as-library", "-warnings-as-errors", "-typecheck"] + files)
        #expect(library.status == 0, "the Swift files do not compile cleanly:\n\(library.stderr)")

        let generator = try Self.generator()
        let cases = Self.cases(generator)
        var program = ""
        for testCase in cases {
            let type = "Virtio" + Naming.upperCamel(testCase.device.name)
            let predicates = Self.predicateNames(testCase.device) {
                "\(type).\(Naming.lowerCamel(Naming.flat($0)))\($1 == "present" ? "Present" : "Valid")"
            }
            program += "do {\n    let f: [UInt64] = [" + testCase.words.map { "\($0)" }.joined(separator: ", ") + "]\n"
            program += "    var bits = \"\"\n"
            for predicate in predicates { program += "    bits += \(predicate)(f) ? \"1\" : \"0\"\n" }
            if predicates.isEmpty { program += "    bits += \"-\"\n" }
            program += "    print(\"\(testCase.device.name) \(testCase.index) \\(\(type).qemuConfigSize(f)) \\(bits)\")\n}\n"
        }
        // The Config view reads what the engine says is there.
        program += """
            let bytes: [UInt8] = (0..<28).map { UInt8($0) }
            let config = VirtioNet.Config(bytes: bytes)
            precondition(config.mtu == 0x0b0a && config.speed == 0x0f0e0d0c && config.duplex == 16)
            precondition(VirtioNet.Config(bytes: bytes, littleEndian: false).mtu == 0x0a0b)
            precondition(VirtioNet.Config(bytes: bytes, littleEndian: false).speed == 0x0f0e0d0c)
            precondition(VirtioNet.Config(bytes: Array(bytes.prefix(11))).mtu == nil)

            """
        let main = folder.appendingPathComponent("main.swift")
        try program.write(to: main, atomically: true, encoding: .utf8)
        let binary = folder.appendingPathComponent("behaviour-swift")
        let compile = try Subprocess.run(swiftc, ["-o", binary.path, main.path] + files)
        #expect(compile.status == 0, "\(compile.stderr)")
        guard compile.status == 0 else { return }
        let run = try Subprocess.run(binary, [])
        #expect(run.status == 0, "\(run.stderr)")
        Self.compare(run.stdout, with: cases, language: "Swift")
    }

    // MARK: - JSON

    @Test func jsonDocumentsFollowTheSchema() throws {
        guard let python = Self.tool("python3", for: "validating the JSON documents") else { return }
        let check = try Subprocess.run(python, ["-c", "import jsonschema"])
        guard check.status == 0 else {
            if Tools.areRequired { Issue.record("Python's jsonschema is required but missing") }
            else { print("skipped: validating the JSON documents needs Python's jsonschema") }
            return
        }
        let folder = try Self.write(["json"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("json")
        let documents = try FileManager.default.contentsOfDirectory(atPath: json.path).filter { $0 != "schema.json" }.sorted()
            .map { json.appendingPathComponent($0).path }
        #expect(documents.count == PackagePaths.deviceLayouts.count)
        let script = """
            import json, sys
            import jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema)
            bad = 0
            for path in sys.argv[2:]:
                for error in validator.iter_errors(json.load(open(path))):
                    print(f"{path}: {error.json_path}: {error.message}")
                    bad += 1
            sys.exit(1 if bad else 0)
            """
        let schema = json.appendingPathComponent("schema.json").path
        let result = try Subprocess.run(python, ["-c", script, schema] + documents)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")

        // The schema bites: a document with a negative offset and an unknown key fails.
        let broken = folder.appendingPathComponent("broken.json")
        let net = try String(contentsOfFile: json.appendingPathComponent("net.json").path, encoding: .utf8)
        try net.replacingOccurrences(of: "\"offset\": 10", with: "\"offset\": -10")
            .replacingOccurrences(of: "\"device\": \"net\"", with: "\"device\": \"net\", \"colour\": \"blue\"")
            .write(to: broken, atomically: true, encoding: .utf8)
        let rejected = try Subprocess.run(python, ["-c", script, schema, broken.path])
        #expect(rejected.status == 1)
        #expect(rejected.stdout.contains("offset") && rejected.stdout.contains("colour"))
    }

    @Test func jsonCarriesWhatEmulatorsNeed() throws {
        let generator = try Self.generator()
        let input = try #require(generator.inputs.first { $0.device.name == "net" })
        let data = Data(JSONEmitter(generator: generator).document(for: input).rendered().utf8)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let fields = try #require(document["fields"] as? [[String: Any]])
        let mtu = try #require(fields.first { $0["name"] as? String == "mtu" })
        #expect(mtu["offset"] as? Int == 10 && mtu["size"] as? Int == 2 && mtu["byte_order"] as? String == "virtio")
        #expect(mtu["kind"] as? String == "exists-if" && mtu["condition"] as? String == "if MTU")
        #expect((mtu["condition_tree"] as? [String: Any])?["feature"] as? String == "MTU")
        #expect((mtu["range"] as? [String: Any])?["min"] as? String == "68")
        #expect(mtu["since"] as? String == "1.1")
        let mac = try #require(fields.first { $0["name"] as? String == "mac" })
        #expect(mac["kind"] as? String == "valid-if" && mac["byte_order"] as? String == "u8")
        let features = try #require(document["features"] as? [[String: Any]])
        #expect(features.first { $0["name"] as? String == "RSS_CONTEXT" }?["bit"] as? Int == 64)
        #expect(features.first { $0["name"] as? String == "MQ" }?["requires"] as? String == "CTRL_VQ")
        let qemu = try #require(document["qemu"] as? [String: Any])
        #expect(qemu["min_size"] as? Int == 6 && qemu["transcribed"] as? Bool == true)
        #expect((qemu["feature_sizes"] as? [[String: Any]])?.last?["end"] as? Int == 24)
    }

    // MARK: - SVG and Markdown

    @Test func svgsRender() throws {
        guard let rsvg = Self.tool("rsvg-convert", for: "rendering the SVG byte maps") else { return }
        let folder = try Self.write(["svg"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let svg = folder.appendingPathComponent("svg")
        let pictures = try FileManager.default.contentsOfDirectory(atPath: svg.path).sorted()
        #expect(pictures.count == PackagePaths.deviceLayouts.count)
        for picture in pictures {
            let png = folder.appendingPathComponent(picture + ".png")
            let result = try Subprocess.run(rsvg, ["-o", png.path, svg.appendingPathComponent(picture).path])
            #expect(result.status == 0, "\(picture) does not render: \(result.stderr)")
            let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
            #expect(size > 1000, "\(picture) rendered to an empty image")
        }
    }

    @Test func theNetPictureShowsTheMoves() throws {
        let generator = try Self.generator()
        let svg = try #require(GenerationTarget.named("svg"))
        let net = try #require(generator.files(for: [svg]).first { $0.path == "svg/net.svg" })
        #expect(net.contents.contains("Packed under {CTRL_VQ, HASH_TUNNEL, RSS}: 5 fields move"))
        #expect(net.contents.components(separatedBy: "marker-end=\"url(#arrow)\"").count - 1 == 6)  // 5 moves + the legend
        #expect(net.contents.contains("mtu @10"))
    }

    @Test func theNetPageHasTheDivergenceAndTheHistory() throws {
        let generator = try Self.generator()
        let markdown = try #require(GenerationTarget.named("markdown"))
        let page = try #require(generator.files(for: [markdown]).first { $0.path == "markdown/net.md" }).contents
        #expect(page.contains("`MTU && !(STATUS && (MQ \\|\\| RSS))`"))
        #expect(page.contains("### virtio 1.1 → 1.2"))
        #expect(page.contains("`supported_tunnel_types` (offset 24) when `HASH_TUNNEL`"))
    }

    @Test func everyFileSaysItIsGeneratedAndOutputIsDeterministic() throws {
        let first = try Self.generator().files(for: GenerationTarget.all)
        let second = try Self.generator().files(for: GenerationTarget.all)
        #expect(first == second)
        // Seven files per device, and the shared C, Rust and Swift transport files, Rust's `le` and
        // `mod`, the JSON schema, the HTML index page and the Markdown index.
        #expect(first.count == 7 * PackagePaths.deviceLayouts.count + 8)
        for file in first {
            let head = file.contents.split(separator: "\n").first.map(String.init) ?? ""
            let jsonHead = file.contents.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
            #expect(head.contains("Generated by cfgspace from") || jsonHead.contains("Generated by cfgspace from"),
                    "\(file.path) does not say it is generated")
        }
    }
}
