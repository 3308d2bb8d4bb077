import Foundation

/// Which of Debian's kernel flavours a guest boots: the cloud kernel (27 MB) drives most virtio
/// devices; the generic one (70 MB) adds 9p, DRM (virtio-gpu) and virtio-crypto.
public enum GuestKernel: String, Sendable, CaseIterable, Comparable {
    case cloud, generic

    public static func < (lhs: GuestKernel, rhs: GuestKernel) -> Bool { lhs == .cloud && rhs == .generic }
}

/// The Linux guest `cfgspace guest` boots: a Debian kernel, its virtio modules, busybox and
/// cfgspace's init with its device reporters, built from Debian packages by Guest/build-image into a
/// cache folder (every file is built into cfgspace, so this works from any directory). A cache whose
/// stamp names the same kernel package and guest files is used as it is; anything else is rebuilt.
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

    /// The image of a kernel flavour in `cache`, built (or rebuilt) first when it is missing or stale.
    /// Building needs apt-get download, dpkg-deb and cpio; the first build downloads the kernel
    /// package (about 28 MB for cloud, 70 MB for generic).
    public static func ensure(kernel: GuestKernel = .cloud, cache: String = defaultCache(),
                              timeout: Duration = .seconds(300)) throws(HostError) -> GuestImage {
        let work = try TemporaryFolder(prefix: "cfgspace-image")
        defer { work.remove() }
        let script = work.file("build-image")
        do {
            for file in GuestFiles.all {
                let url = work.url.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.bytes).write(to: url)
            }
        } catch {
            throw HostError(.system, "cannot write the image builder to \(work.path): \(error.localizedDescription)")
        }
        let shell = try Program.locate("sh")
        let builder = try ChildProcess(executable: shell, arguments: [script, cache, kernel.rawValue])
        guard let ended = builder.wait(until: Deadline(in: timeout)) else {
            _ = builder.terminate()
            throw HostError(.timeout, "building the guest image took longer than \(timeout)")
        }
        guard ended == .exited(0) else {
            throw HostError(.refused, "building the guest image failed (\(ended)): "
                            + builder.finalErrorText().trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let folder = kernel == .cloud ? cache : cache + "/generic"
        let stamp = (try? String(contentsOfFile: folder + "/stamp", encoding: .utf8)) ?? ""
        return GuestImage(kernel: folder + "/vmlinuz", initrd: folder + "/initramfs.cpio.gz",
                          stamp: stamp.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
