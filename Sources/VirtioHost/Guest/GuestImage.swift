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

    /// What an image holds beyond the kernel and busybox.
    public enum Flavour: Sendable {
        /// The kernel's virtio modules, Guest/guest-init and its device reporters.
        case plain
        /// Also Linux's vDPA core and simulator built out of tree, iproute2's vdpa and DPDK's
        /// testpmd, with Guest/guest-vdpa-init (Guest/build-vdpa-image), in `cache`/vdpa, over the
        /// cloud kernel.
        case vdpa
    }

    /// The image of a kernel and flavour in `cache`, built (or rebuilt) first when it is missing or
    /// stale. Building needs apt-get download, dpkg-deb and cpio; the first build downloads the kernel
    /// package (about 28 MB for cloud, 70 MB for generic). The vDPA flavour also needs make, gcc-12,
    /// iproute2 and dpdk-dev, and downloads about 150 MB more (the kernel's headers and linux-source).
    public static func ensure(kernel: GuestKernel = .cloud, flavour: Flavour = .plain, cache: String = defaultCache(),
                              timeout: Duration = .seconds(300)) throws(HostError) -> GuestImage {
        let work = try TemporaryFolder(prefix: "cfgspace-image")
        defer { work.remove() }
        do {
            for file in GuestFiles.all {
                let url = work.url.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.bytes).write(to: url)
                // build-vdpa-image runs build-image beside it.
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
            }
        } catch {
            throw HostError(.system, "cannot write the image builder to \(work.path): \(error.localizedDescription)")
        }
        guard flavour == .plain || kernel == .cloud else {
            throw HostError(.refused, "the vDPA image builds over the cloud kernel only")
        }
        let (arguments, folder) = flavour == .plain
            ? ([work.file("build-image"), cache, kernel.rawValue],
               kernel == .cloud ? cache : cache + "/generic")
            : ([work.file("build-vdpa-image"), cache, work.file("guest-vdpa-init")],
               cache + "/vdpa")
        let shell = try Program.locate("sh")
        let builder = try ChildProcess(executable: shell, arguments: arguments)
        guard let ended = builder.wait(until: Deadline(in: timeout)) else {
            _ = builder.terminate()
            throw HostError(.timeout, "building the guest image took longer than \(timeout)")
        }
        guard ended == .exited(0) else {
            throw HostError(.refused, "building the guest image failed (\(ended)): "
                            + builder.finalErrorText().trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let stamp = (try? String(contentsOfFile: folder + "/stamp", encoding: .utf8)) ?? ""
        // The vDPA image overlays the cloud image and boots its kernel.
        return GuestImage(kernel: (flavour == .vdpa ? cache : folder) + "/vmlinuz", initrd: folder + "/initramfs.cpio.gz",
                          stamp: stamp.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
