/// The standard layouts (Layouts/*.layout), compiled into the library so that `cfgspace table blk`
/// works from any directory. `Library/Layouts` links to the repository's Layouts folder, whose files
/// SwiftPM embeds as `PackageResources` (Package.swift: `.embedInCode`); a test holds this list
/// against the folder.
public enum BuiltinLayouts {
    /// The pseudo-folder built-in files are reported under: `(built-in)/net.layout:12:3`.
    public static let folder = "(built-in)"

    /// Every built-in layout by name (`net`, `transport`), in name order.
    public static let files: [(name: String, bytes: [UInt8])] = [
        ("balloon", PackageResources.balloon_layout), ("blk", PackageResources.blk_layout),
        ("can", PackageResources.can_layout), ("console", PackageResources.console_layout),
        ("crypto", PackageResources.crypto_layout), ("entropy", PackageResources.entropy_layout),
        ("fs", PackageResources.fs_layout), ("gpio", PackageResources.gpio_layout), ("gpu", PackageResources.gpu_layout),
        ("i2c", PackageResources.i2c_layout), ("input", PackageResources.input_layout),
        ("iommu", PackageResources.iommu_layout), ("media", PackageResources.media_layout),
        ("mem", PackageResources.mem_layout), ("net", PackageResources.net_layout), ("p9", PackageResources.p9_layout),
        ("pmem", PackageResources.pmem_layout),
        ("rpmb", PackageResources.rpmb_layout), ("rtc", PackageResources.rtc_layout), ("scmi", PackageResources.scmi_layout),
        ("scsi", PackageResources.scsi_layout), ("sound", PackageResources.sound_layout), ("spi", PackageResources.spi_layout),
        ("transport", PackageResources.transport_layout), ("vsock", PackageResources.vsock_layout),
    ]

    /// The names of the built-in layouts.
    public static var names: [String] { files.map(\.name) }

    /// The pseudo-path of a built-in layout: `(built-in)/net.layout`.
    public static func path(of name: String) -> String { "\(folder)/\(name).layout" }

    /// The built-in layout a name or pseudo-path means: `net`, `net.layout` or `(built-in)/net.layout`.
    public static func file(_ nameOrPath: String) -> (path: String, bytes: [UInt8])? {
        var name = nameOrPath
        if name.hasPrefix(folder + "/") { name.removeFirst(folder.count + 1) }
        if name.hasSuffix(".layout") { name.removeLast(".layout".count) }
        guard let match = files.first(where: { $0.name == name }) else { return nil }
        return (path(of: match.name), match.bytes)
    }

    /// Whether a path names a built-in file.
    public static func isBuiltin(_ path: String) -> Bool { path.hasPrefix(folder + "/") }
}
