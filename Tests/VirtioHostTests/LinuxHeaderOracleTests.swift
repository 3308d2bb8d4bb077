import Foundation
import Testing
import TestSupport
@testable import ConfigLayout

/// Linux's UAPI headers, compiled by gcc, as the oracle for offsets, sizes, byte-order kinds and
/// feature bits. Every config struct in /usr/include/linux/virtio_*.h is compared with the layout
/// of its device at the spec version the headers follow. Each difference must be listed, with its
/// reason, in Fixtures/linux-headers/<kernel>.expected; an unlisted difference fails, and so does a
/// listed one that no longer happens.
@Suite struct LinuxHeaderOracleTests {
    static let headers = URL(fileURLWithPath: "/usr/include/linux")

    static var isRequired: Bool { Tools.areRequired }

    static var gcc: URL? { Tools.find("gcc") }

    static var isAvailable: Bool {
        gcc != nil && FileManager.default.fileExists(atPath: headers.appendingPathComponent("virtio_net.h").path)
    }

    /// Header stems whose device has another name in Layouts/.
    static let deviceNames = ["snd": "sound", "9p": "p9"]

    @Test(.enabled(if: isAvailable || isRequired, "needs gcc and Debian's linux-libc-dev (.ci/run installs them)"))
    func headersAgreeWithTheLayoutsOrTheDifferenceIsExplained() throws {
        guard Self.isAvailable, let gcc = Self.gcc else {
            Issue.record("gcc or /usr/include/linux/virtio_net.h is missing; install gcc and linux-libc-dev")
            return
        }
        let kernel = try Self.kernelVersion()
        let expectationURL = fixture("linux-headers/\(kernel).expected")
        let expectation = try Expectation(contentsOf: expectationURL, kernel: kernel)

        let found = try LinuxHeaders(directory: Self.headers, gcc: gcc)
        var differences: [String] = []
        for header in found.configStructs {
            let deviceName = Self.deviceNames[header.stem] ?? header.stem
            let url = PackagePaths.layout("\(deviceName).layout")
            guard FileManager.default.fileExists(atPath: url.path) else {
                differences.append("no-layout \(header.structName)")
                continue
            }
            let loaded = try LayoutLoader().load(path: url.path)
            #expect(!loaded.hasErrors)
            let device = try #require(loaded.devices.first)
            differences += Self.compare(header, with: device.asOf(expectation.spec))
            differences += Self.compareFeatures(found.featureDefines(stem: header.stem), prefix: header.stem, with: device)
        }
        let transport = try LayoutLoader().load(path: PackagePaths.layout("transport.layout").path)
        differences += Self.compareFeatures(found.transportDefines, prefix: "transport",
                                            features: transport.checked.transport?.features ?? [])

        let unexplained = differences.filter { !expectation.reasons.keys.contains($0) }
        let stale = expectation.reasons.keys.filter { !differences.contains($0) }.sorted()
        #expect(unexplained.isEmpty, """
            differences between Linux \(kernel)'s headers and the layouts at spec \(expectation.spec) with no reason in \
            \(expectationURL.lastPathComponent); fix the layout or add each line with '# reason':
            \(unexplained.joined(separator: "\n"))
            """)
        #expect(stale.isEmpty, """
            listed in \(expectationURL.lastPathComponent) but no longer happening:
            \(stale.joined(separator: "\n"))
            """)
        // The comparison must have had something to compare.
        #expect(found.configStructs.count >= 15, "expected the 15 device config structs of the 6.1 headers and more")
        #expect(found.configStructs.map(\.fields.count).reduce(0, +) >= 100)
        #expect(found.featureDefineCount >= 70, "only \(found.featureDefineCount) feature #defines were read")
        #expect(found.transportDefines.count >= 10)
    }

    /// `6.1` from LINUX_VERSION_CODE.
    static func kernelVersion() throws -> String {
        let text = try String(contentsOf: headers.appendingPathComponent("version.h"), encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.contains("LINUX_VERSION_CODE") }),
              let code = line.split(separator: " ").last.flatMap({ Int($0) }) else {
            throw TestFailure("cannot read LINUX_VERSION_CODE from /usr/include/linux/version.h")
        }
        return "\(code >> 16).\((code >> 8) & 0xFF)"
    }

    /// The differences between one header struct and the device's fixed layout.
    static func compare(_ header: LinuxHeaders.ConfigStruct, with device: Device) -> [String] {
        let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        var differences: [String] = []
        if layout.size != header.size {
            differences.append("size \(device.name) spec=\(layout.size) linux=\(header.size)")
        }
        var unmatched = header.fields
        for field in layout.fields {
            guard let offset = field.offset else { continue }
            let last = field.path.split(separator: ".").last.map(String.init) ?? field.path
            let match = unmatched.first { $0.path == field.path }
                ?? unmatched.first { $0.path.split(separator: ".").last.map(String.init) == last }
                ?? unmatched.first { $0.offset == offset && $0.size == field.size }
            guard let match else {
                differences.append("missing \(device.name).\(field.path)")
                continue
            }
            unmatched.removeAll { $0.path == match.path }
            if match.path != field.path {
                differences.append("renamed \(device.name).\(field.path) linux=\(match.path)")
            }
            if match.offset != offset {
                differences.append("offset \(device.name).\(field.path) spec=\(offset) linux=\(match.offset)")
            }
            if match.size != field.size {
                differences.append("field-size \(device.name).\(field.path) spec=\(field.size) linux=\(match.size)")
            }
            if let kind = match.kind, kind != Self.kind(of: field.field.type) {
                differences.append("type \(device.name).\(field.path) spec=\(Self.kind(of: field.field.type)) linux=\(kind)")
            }
        }
        differences += unmatched.map { "extra \(header.structName).\($0.path)" }
        return differences
    }

    /// The element kind of a field, with char and u8 as one (both are bytes).
    static func kind(of type: FieldType) -> String {
        switch type {
        case .scalar(let scalar), .array(let scalar, _): scalar.rawValue
        case .chars, .flexible: "u8"
        case .aggregate: "struct"
        }
    }

    static func compareFeatures(_ defines: [String: Int], prefix: String, with device: Device) -> [String] {
        compareFeatures(defines, prefix: device.name, features: device.features)
    }

    /// Every feature bit Linux defines must be the layout's bit of the same name.
    static func compareFeatures(_ defines: [String: Int], prefix: String, features: [Feature]) -> [String] {
        defines.keys.sorted().compactMap { name in
            guard let bit = defines[name] else { return nil }
            if let feature = features.first(where: { $0.name == name }) {
                return feature.bit == bit ? nil : "feature \(prefix).\(name) linux=\(bit) layout=\(feature.bit)"
            }
            if let other = features.first(where: { $0.bit == bit }) {
                return "feature-renamed \(prefix).\(name) layout=\(other.name)"
            }
            return "feature-missing \(prefix).\(name) linux=\(bit)"
        }
    }

    /// The reader of the expectation file.
    struct Expectation {
        let spec: SpecVersion
        /// Each expected difference, with why it is so.
        let reasons: [String: String]

        init(contentsOf url: URL, kernel: String) throws {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw TestFailure("no expectation file for Linux \(kernel) headers: create \(url.path) with a "
                                  + "'spec VERSION' line naming the spec version those headers follow")
            }
            var spec: SpecVersion?
            var reasons: [String: String] = [:]
            for rawLine in text.split(separator: "\n") {
                let line = rawLine.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                let parts = line.split(separator: "#", maxSplits: 1)
                let entry = parts[0].trimmingCharacters(in: .whitespaces)
                if entry.hasPrefix("spec ") {
                    spec = SpecVersion(String(entry.dropFirst(5)))
                    continue
                }
                let reason = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                guard !reason.isEmpty else { throw TestFailure("\(url.lastPathComponent): '\(entry)' gives no reason") }
                reasons[entry] = reason
            }
            guard let spec else { throw TestFailure("\(url.lastPathComponent) has no 'spec VERSION' line") }
            self.spec = spec
            self.reasons = reasons
        }
    }
}

/// Everything gcc says about the headers: one compile of a program that prints sizeof and
/// offsetof for every config struct and every leaf member.
struct LinuxHeaders {
    struct Field: Equatable {
        let path: String
        let offset: Int
        let size: Int
        /// The byte-order kind of the C type (`le16`, `virtio32`, `u8`), nil if cfgspace has no word for it.
        let kind: String?
    }

    struct ConfigStruct {
        /// `net` for virtio_net.h.
        let stem: String
        let structName: String
        let size: Int
        let fields: [Field]
    }

    private(set) var configStructs: [ConfigStruct] = []
    private var defines: [String: [String: Int]] = [:]
    private(set) var transportDefines: [String: Int] = [:]

    func featureDefines(stem: String) -> [String: Int] { defines[stem] ?? [:] }

    var featureDefineCount: Int { defines.values.map(\.count).reduce(0, +) }

    init(directory: URL, gcc: URL) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("virtio_") && $0.hasSuffix(".h") }.sorted()
        var parsed: [(stem: String, file: String, header: CHeader, structName: String)] = []
        for file in files {
            let stem = String(file.dropFirst("virtio_".count).dropLast(2))
            let header = CHeader(text: try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8))
            let prefix = "VIRTIO_\(stem.uppercased())_F_"
            defines[stem] = Dictionary(uniqueKeysWithValues: header.defines.filter { $0.key.hasPrefix(prefix) }
                .map { (String($0.key.dropFirst(prefix.count)), $0.value) })
            if file == "virtio_config.h" || file == "virtio_ring.h" {
                for (name, value) in header.defines {
                    for transportPrefix in ["VIRTIO_F_", "VIRTIO_RING_F_"] where name.hasPrefix(transportPrefix) {
                        transportDefines[String(name.dropFirst(transportPrefix.count))] = value
                    }
                }
            }
            let structName = "virtio_\(stem)_config"
            if header.structs[structName] != nil { parsed.append((stem, file, header, structName)) }
        }

        // One program for every struct: "S name size" and "F name path offset size" lines.
        var program = "#include <stddef.h>\n#include <stdio.h>\n"
        program += parsed.map { "#include <linux/\($0.file)>\n" }.joined()
        program += "int main(void) {\n"
        for entry in parsed {
            let type = "struct \(entry.structName)"
            program += "  printf(\"S \(entry.structName) %zu\\n\", sizeof(\(type)));\n"
            for leaf in entry.header.leaves(of: entry.structName) {
                let size = leaf.isFlexible ? "(size_t)0" : "sizeof(((\(type) *)0)->\(leaf.path))"
                program += "  printf(\"F \(entry.structName) \(leaf.path) %zu %zu\\n\", offsetof(\(type), \(leaf.path)), \(size));\n"
            }
        }
        program += "  return 0;\n}\n"

        let folder = try Tools.temporaryFolder("linux")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("offsets.c")
        let binary = folder.appendingPathComponent("offsets")
        try program.write(to: source, atomically: true, encoding: .utf8)
        let compile = try Subprocess.run(gcc, ["-std=gnu11", "-Wall", "-Werror", "-o", binary.path, source.path])
        guard compile.status == 0 else { throw TestFailure("gcc failed on the generated program:\n\(compile.stderr)") }
        let run = try Subprocess.run(binary, [])
        guard run.status == 0 else { throw TestFailure("the generated program failed: \(run.stderr)") }

        var sizes: [String: Int] = [:]
        var fields: [String: [Field]] = [:]
        for line in run.stdout.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            if words.count == 3, words[0] == "S", let size = Int(words[2]) { sizes[words[1]] = size }
            if words.count == 5, words[0] == "F", let offset = Int(words[3]), let size = Int(words[4]) {
                fields[words[1], default: []].append(Field(path: words[2], offset: offset, size: size, kind: nil))
            }
        }
        for entry in parsed {
            let leaves = entry.header.leaves(of: entry.structName)
            let measured = (fields[entry.structName] ?? []).map { field in
                Field(path: field.path, offset: field.offset, size: field.size,
                      kind: leaves.first { $0.path == field.path }.flatMap { Self.kind(of: $0.typeName) })
            }
            configStructs.append(ConfigStruct(stem: entry.stem, structName: entry.structName,
                                              size: sizes[entry.structName] ?? -1, fields: measured))
        }
    }

    /// `__le16` → le16, `__virtio32` → virtio32, `__u8`/`char` → u8, `__u16` → u16.
    static func kind(of cType: String) -> String? {
        let type = cType.replacingOccurrences(of: "__", with: "")
        if type == "char" || type == "u8" || type == "s8" { return "u8" }
        return ScalarType(rawValue: type)?.rawValue
    }
}
