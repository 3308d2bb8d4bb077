import Foundation

/// The Linux guest `cfgspace guest` boots: Debian's cloud kernel, its virtio modules, busybox and
/// cfgspace's init, built from Debian packages by Guest/build-image into a cache folder (both files
/// are built into cfgspace, so this works from any directory). A cache whose stamp names the same
/// kernel package and init is used as it is; anything else is rebuilt.
public struct GuestImage: Sendable {
    public let kernel: String
    public let initrd: String
    /// What the image was built from: the kernel package, busybox, the init's checksum.
    public let stamp: String

    /// The cache folder: `CFGSPACE_GUEST_CACHE`, else `$XDG_CACHE_HOME/cfgspace/guest`, else
    /// `~/.cache/cfgspace/guest`.
    public static func defaultCache(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let folder = environment["CFGSPACE_GUEST_CACHE"], !folder.isEmpty { return folder }
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return base + "/cfgspace/guest"
    }

    /// The image in `cache`, built (or rebuilt) first when it is missing or stale. Building needs
    /// apt-get download, dpkg-deb and cpio; the first build downloads about 28 MB.
    public static func ensure(cache: String = defaultCache(), timeout: Duration = .seconds(300)) throws(HostError) -> GuestImage {
        let work = try TemporaryFolder(prefix: "cfgspace-image")
        defer { work.remove() }
        let script = work.file("build-image")
        let initPath = work.file("guest-init")
        do {
            try Data(PackageResources.build_image).write(to: URL(fileURLWithPath: script))
            try Data(PackageResources.guest_init).write(to: URL(fileURLWithPath: initPath))
        } catch {
            throw HostError(.system, "cannot write the image builder to \(work.path): \(error.localizedDescription)")
        }
        let shell = try Program.locate("sh")
        let builder = try ChildProcess(executable: shell, arguments: [script, cache, initPath])
        guard let ended = builder.wait(until: Deadline(in: timeout)) else {
            _ = builder.terminate()
            throw HostError(.timeout, "building the guest image took longer than \(timeout)")
        }
        guard ended == .exited(0) else {
            throw HostError(.refused, "building the guest image failed (\(ended)): "
                            + builder.finalErrorText().trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let stamp = (try? String(contentsOfFile: cache + "/stamp", encoding: .utf8)) ?? ""
        return GuestImage(kernel: cache + "/vmlinuz", initrd: cache + "/initramfs.cpio.gz",
                          stamp: stamp.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
