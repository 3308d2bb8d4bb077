import Foundation
import Testing
import TestSupport
import ConfigLayout
@testable import VirtioHost

/// The conform fixtures, measured by the real gcc and rustc and held against a built-in layout, as
/// `cfgspace conform` does.
enum ConformFixture {
    static let folder = PackagePaths.root.appendingPathComponent("Tests/VirtioHostTests/Fixtures/conform")

    static var compilersAreHere: Bool { (Tools.find("gcc") != nil && Tools.find("rustc") != nil) || Tools.areRequired }

    static func path(_ file: String) -> String {
        file.hasPrefix("/") ? file : folder.appendingPathComponent(file).path
    }

    /// A built-in device with every spec version in it.
    static func device(_ name: String) throws -> Device {
        let builtin = try #require(BuiltinLayouts.file(name))
        return try #require(LayoutLoader().load(SourceFile(path: builtin.path, bytes: builtin.bytes)).devices.first)
    }

    static func measure(_ file: String, _ structName: String, language: ConformProbe.Language? = nil,
                        options: ConformProbe.Options = .init()) throws -> ConformProbe.Measured {
        let language = language ?? (file.hasSuffix(".rs") ? .rust : .c)
        return try ConformProbe.measure(file: path(file), structName: structName, language: language, options: options)
    }

    static func check(_ file: String, _ structName: String, device name: String, features: String? = nil,
                      spec: SpecVersion? = nil, modern: Bool = false, strict: Bool = false, map: [String: String] = [:],
                      options: ConformProbe.Options = .init()) throws -> ConformResult {
        let device = try device(name)
        var offered: FeatureSet?
        if let features {
            guard case .success(let set) = device.parseFeatures(features) else { throw TestFailure("bad features \(features)") }
            offered = set
        }
        let measured = try measure(file, structName, options: options)
        return ConformCheck.check(measured, with: device, options: .init(spec: spec, features: offered, modern: modern,
                                                                          strictByteOrder: strict, map: map))
    }
}

extension ConformResult {
    func has(_ kind: Kind, _ field: String, severity: Severity? = nil) -> Bool {
        allFindings.contains { $0.kind == kind && $0.field == field && (severity == nil || $0.severity == severity) }
    }

    var differences: [Finding] { findings.filter(\.isDifference) }

    func note(_ kind: ConformProbe.Note.Kind) -> ConformProbe.Note? { measured.notes.first { $0.kind == kind } }
}
