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

    /// What an image holds beyond the kernel and busybox.
    public enum Flavour: Sendable {
        /// The kernel's virtio modules and Guest/guest-init.
        case plain
        /// Also Linux's vDPA core and simulator built out of tree, iproute2's vdpa and DPDK's
        /// testpmd, with Guest/guest-vdpa-init (Guest/build-vdpa-image), in `cache`/vdpa.
        case vdpa
    }

    /// The image in `cache`, built (or rebuilt) first when it is missing or stale. Building needs
    /// apt-get download, dpkg-deb and cpio; the first build downloads about 28 MB. The vDPA flavour
    /// also needs make, gcc-12, iproute2 and dpdk-dev, and downloads about 150 MB more (the kernel's
    /// headers and linux-source).
    public static func ensure(cache: String = defaultCache(), flavour: Flavour = .plain,
                              timeout: Duration = .seconds(300)) throws(HostError) -> GuestImage {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("cfgspace-image-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let files = [("build-image", PackageResources.build_image), ("guest-init", PackageResources.guest_init),
                     ("build-vdpa-image", PackageResources.build_vdpa_image), ("guest-vdpa-init", PackageResources.guest_vdpa_init)]
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            for (name, bytes) in files {
                let path = work.appendingPathComponent(name).path
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                // build-vdpa-image runs build-image beside it.
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            }
        } catch {
            throw HostError(.system, "cannot write the image builder to \(work.path): \(error.localizedDescription)")
        }
        let (script, initName, folder) = flavour == .plain ? ("build-image", "guest-init", cache)
            : ("build-vdpa-image", "guest-vdpa-init", cache + "/vdpa")
        let shell = try Program.locate("sh")
        let builder = try ChildProcess(executable: shell, arguments: [work.appendingPathComponent(script).path, cache,
                                                                      work.appendingPathComponent(initName).path])
        guard let ended = builder.wait(until: Deadline(in: timeout)) else {
            _ = builder.terminate()
            throw HostError(.timeout, "building the guest image took longer than \(timeout)")
        }
        guard ended == .exited(0) else {
            throw HostError(.refused, "building the guest image failed (\(ended)): "
                            + builder.finalErrorText().trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let stamp = (try? String(contentsOfFile: folder + "/stamp", encoding: .utf8)) ?? ""
        return GuestImage(kernel: cache + "/vmlinuz", initrd: folder + "/initramfs.cpio.gz",
                          stamp: stamp.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
