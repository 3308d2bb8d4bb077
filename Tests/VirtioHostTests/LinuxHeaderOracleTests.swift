import Foundation
import Testing
import TestSupport
import ConfigLayout
@testable import VirtioHost

/// Linux's UAPI headers as the oracle for offsets, sizes, byte-order kinds and feature bits, read
/// through `cfgspace conform`: every config struct in /usr/include/linux/virtio_*.h is measured by
/// gcc and held against its device's layout at the spec version the headers follow. Each finding
/// must be listed, with its reason, in Fixtures/linux-headers/<kernel>.expected; an unlisted one
/// fails, and so does a listed one that no longer happens.
@Suite struct LinuxHeaderOracleTests {
    static let headers = URL(fileURLWithPath: "/usr/include/linux")

    static var isAvailable: Bool {
        Tools.find("gcc") != nil && FileManager.default.fileExists(atPath: headers.appendingPathComponent("virtio_net.h").path)
    }

    @Test(.enabled(if: isAvailable || Tools.areRequired, "needs gcc and Debian's linux-libc-dev (.ci/run installs them)"))
    func headersAgreeWithTheLayoutsOrTheDifferenceIsExplained() throws {
        let kernel = try Self.kernelVersion()
        let expectationURL = PackagePaths.root.appendingPathComponent("Tests/VirtioHostTests/Fixtures/linux-headers/\(kernel).expected")
        let expectation = try Expectation(contentsOf: expectationURL, kernel: kernel)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.headers.path)
            .filter { $0.hasPrefix("virtio_") && $0.hasSuffix(".h") }.sorted()

        var differences: [String] = []
        var structs = 0, members = 0, defineCount = 0
        var transportDefines: [String: Int] = [:]
        for file in files {
            let path = Self.headers.appendingPathComponent(file).path
            let stem = String(file.dropFirst("virtio_".count).dropLast(2))
            let declarations = CDeclarations(text: try String(contentsOfFile: path, encoding: .utf8))
            let prefix = "VIRTIO_\(stem.uppercased())_F_"
            let defines = Dictionary(uniqueKeysWithValues: declarations.defines.filter { $0.key.hasPrefix(prefix) }
                .map { (String($0.key.dropFirst(prefix.count)), $0.value) })
            defineCount += defines.count
            if file == "virtio_config.h" || file == "virtio_ring.h" {
                for (name, value) in declarations.defines {
                    for transportPrefix in ["VIRTIO_F_", "VIRTIO_RING_F_"] where name.hasPrefix(transportPrefix) {
                        transportDefines[String(name.dropFirst(transportPrefix.count))] = value
                    }
                }
            }
            let structName = "virtio_\(stem)_config"
            guard declarations.declared(structName) != nil else { continue }
            guard let builtin = BuiltinLayouts.file(ConformFixtureDevice.name(forStem: stem)) else {
                differences.append("no-layout \(structName)")
                continue
            }
            let loaded = LayoutLoader().load(SourceFile(path: builtin.path, bytes: builtin.bytes))
            let device = try #require(loaded.devices.first)
            // What `cfgspace conform HEADER --struct virtio_X_config --spec 1.2` does.
            let measured = try ConformProbe.measure(file: path, structName: structName, language: .c)
            let result = ConformCheck.check(measured, with: device, options: .init(spec: expectation.spec))
            structs += 1
            members += measured.members.count
            differences += result.findings.map(\.signature)
            differences += Self.compareFeatures(defines, prefix: device.name, features: device.features)
        }
        let transport = LayoutLoader().load(SourceFile(path: BuiltinLayouts.path(of: "transport"),
                                                       bytes: try #require(BuiltinLayouts.file("transport")).bytes))
        differences += Self.compareFeatures(transportDefines, prefix: "transport", features: transport.checked.transport?.features ?? [])

        let unexplained = differences.filter { !expectation.reasons.keys.contains($0) }
        let stale = expectation.reasons.keys.filter { !differences.contains($0) }.sorted()
        #expect(unexplained.isEmpty, """
            differences between Linux \(kernel)'s headers and the layouts at spec \(expectation.spec) with no reason in \
            \(expectationURL.lastPathComponent); fix the layout or add each line with '# reason':
            \(unexplained.joined(separator: "\n"))
            """)
        #expect(stale.isEmpty, "listed in \(expectationURL.lastPathComponent) but no longer happening:\n\(stale.joined(separator: "\n"))")
        // The comparison must have had something to compare.
        #expect(structs >= 15, "expected the 15 device config structs of the 6.1 headers and more")
        #expect(members >= 100)
        #expect(defineCount >= 70, "only \(defineCount) feature #defines were read")
        #expect(transportDefines.count >= 10)
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

/// Header stems whose device has another name in cfgspace.
enum ConformFixtureDevice {
    static func name(forStem stem: String) -> String { ["snd": "sound", "9p": "p9"][stem] ?? stem }
}
