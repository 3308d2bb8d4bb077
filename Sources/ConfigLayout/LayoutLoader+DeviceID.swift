import Foundation

extension LayoutLoader {
    /// The layout of the device with virtio ID `id`, for a probe that found a device and was given
    /// no layout: each include folder (`--include`, then `CFGSPACE_PATH`) is searched before the
    /// built-in layouts, as imports are, so a user's layout wins over the built-in one. In each place
    /// `likely.layout` (a guess from the device's name) is tried before the rest, in name order.
    /// Files that do not load cleanly are passed over.
    public func layout(forVirtioID id: Int, likely: String? = nil) -> (path: String, device: Device)? {
        let first = likely.map { [$0 + ".layout"] } ?? []
        for folder in includeFolders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder))?
                .filter { $0.hasSuffix(".layout") }.sorted() ?? []
            let prefix = folder.hasSuffix("/") ? folder : folder + "/"
            for file in first.filter(files.contains) + files.filter({ !first.contains($0) }) {
                if let found = device(withID: id, at: prefix + file) { return found }
            }
        }
        for name in (likely.map { [$0] } ?? []) + BuiltinLayouts.names {
            if let found = device(withID: id, at: BuiltinLayouts.path(of: name)) { return found }
        }
        return nil
    }

    private func device(withID id: Int, at path: String) -> (path: String, device: Device)? {
        guard let loaded = try? load(path: path), !loaded.hasErrors,
              let device = loaded.devices.first(where: { $0.id == id }) else { return nil }
        return (loaded.file.path, device)
    }
}
