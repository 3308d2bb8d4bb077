import Arguments
import ConfigLayout
import Foundation
import Spelling
import VirtioModel

/// Loading a layout for a command: diagnostics go to stderr, and any error stops the command.
enum LayoutInput {
    /// A loader that finds imports beside the importing file, then in each --include folder, then
    /// in CFGSPACE_PATH's folders, then among the built-in layouts.
    static func loader(includes: [String]) -> LayoutLoader {
        LayoutLoader(includeFolders: LayoutLoader.includeFolders(includes, environment: ProcessInfo.processInfo.environment))
    }

    /// Every device in the files, as loaded (all spec versions); any error stops the command.
    static func devices(in paths: [String], includes: [String], console: Console) throws(CommandError) -> [Device] {
        let loader = loader(includes: includes)
        var devices: [Device] = []
        var failed = false
        for path in paths {
            do {
                let loaded = try loader.load(argument: path)
                report(loaded.diagnostics, console: console)
                failed = failed || loaded.hasErrors
                devices += loaded.devices
            } catch {
                console.error(error.description)
                failed = true
            }
        }
        if failed { throw .failed }
        return devices
    }

    /// The device as a spec version describes it, or a usage error if it did not exist then.
    static func device(_ device: Device, asOf version: SpecVersion) throws(CommandError) -> Device {
        guard device.exists(in: version) else {
            throw .usage("\(device.name) does not exist in virtio \(version); it appeared in \(device.since.map { "\($0)" } ?? "?"). "
                         + "Give --spec \(device.since.map { "\($0)" } ?? SpecVersion.newest.description) or later.")
        }
        return device.asOf(selected: version)
    }

    static func device(at path: String, named name: String?, includes: [String],
                       console: Console) throws(CommandError) -> Device {
        let loaded: LayoutLoader.Loaded
        do {
            loaded = try loader(includes: includes).load(argument: path)
        } catch {
            console.error(error.description)
            throw .failed
        }
        report(loaded.diagnostics, console: console)
        if loaded.hasErrors { throw .failed }

        let devices = loaded.devices
        if let name {
            guard let device = devices.first(where: { $0.name == name }) else {
                let known = devices.map { "'\($0.name)'" }.joined(separator: ", ")
                throw .usage("'\(path)' declares no device '\(name)'" + (known.isEmpty ? "." : "; it declares \(known)."))
            }
            return device
        }
        guard let device = devices.first else {
            throw .rejected("'\(path)' declares no device" + (loaded.checked.transport != nil
                ? "; it is the transport, which devices import" : ""))
        }
        guard devices.count == 1 else {
            throw .usage("'\(path)' declares \(devices.count) devices; choose one with --device "
                         + devices.map(\.name).joined(separator: ", --device ") + ".")
        }
        return device
    }

    /// Parses `--set field=value` items against a layout; a mistake is a usage error that says
    /// what to type.
    static func assignments(_ items: [String], for device: Device, offered: FeatureSet,
                            interpretation: Interpretation) throws(CommandError) -> [(path: String, value: FieldValue)] {
        let layout = Layout(device: device, features: offered, interpretation: interpretation)
        var values: [(path: String, value: FieldValue)] = []
        for item in items {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw .usage("The value '\(item)' is invalid for '--set <field=value>': give a field and a value, such as capacity=2097152.")
            }
            let name = String(item[..<equals]), text = String(item[item.index(after: equals)...])
            guard let placed = layout.field(name) else {
                let hint = Suggestion.closest(to: name, in: layout.fields.map(\.path)).map { " Did you mean '\($0)'?" } ?? ""
                throw .usage("The value '\(item)' is invalid for '--set <field=value>': \(device.name) has no field '\(name)'.\(hint)")
            }
            switch FieldValue.parse(text, for: placed.field) {
            case .success(let value): values.append((name, value))
            case .failure(let error): throw .usage("The value '\(item)' is invalid for '--set <field=value>': \(error.description).")
            }
        }
        return values
    }

    /// Why a feature name or bit is missing from a spec version when another version lists it:
    /// "SUSPEND is not in virtio 1.0; the transport lists it from 1.4".
    static func absence(of item: String, in whole: Device, version: SpecVersion) -> String? {
        let candidates = Int(item).map { whole.features(withBit: $0) } ?? whole.feature(named: item).map { [$0] } ?? []
        guard let feature = candidates.first, !candidates.contains(where: { $0.exists(in: version) }) else { return nil }
        let owner = feature.scope == .transport ? "the transport" : whole.name
        let span = [feature.since.map { "from \($0)" }, feature.until.map { "until \($0)" }].compactMap { $0 }
        let what = Int(item) == nil ? item : "bit \(item) (\(feature.name))"
        return "\(what) is not in virtio \(version); \(owner) lists it "
            + (span.isEmpty ? "in other versions" : span.joined(separator: " "))
    }

    static func report(_ diagnostics: [Diagnostic], console: Console) {
        guard !diagnostics.isEmpty else { return }
        let renderer = DiagnosticRenderer(colors: console.stderrColors)
        console.err(renderer.render(diagnostics))
        if let summary = DiagnosticRenderer.summary(of: diagnostics) { console.err(summary + "\n") }
    }

    /// Parses `--features`, warning about sets a device may not offer. `whole` is the device before
    /// `device(_:asOf:)`, to say which version has a feature the chosen one lacks.
    static func features(_ text: String, for device: Device, console: Console,
                         whole: Device? = nil, version: SpecVersion = .newest) throws(CommandError) -> FeatureSet {
        switch device.parseFeatures(text) {
        case .failure(let error):
            let missing: String? = whole.flatMap { Self.absence(of: error.item, in: $0, version: version) }
            throw .usage("The value '\(text)' is invalid for '--features <features>': \(missing ?? error.message)."
                         + ((missing == nil ? error.suggestion : nil).map { " Did you mean '\($0)'?" } ?? "")
                         + " Give feature names or bit numbers separated by commas, 'none' or 'all'.")
        case .success(let set):
            for (feature, requires) in device.unmetRequirements(in: set) {
                console.warning("\(feature.name) requires \(requires), which the feature set does not satisfy; "
                                + "a device must not offer such a set")
            }
            return set
        }
    }
}
