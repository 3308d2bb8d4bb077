/// The files Guest/build-image builds an image from, built into cfgspace: the builder, the init, and
/// each device's reporter (`devices/NAME.sh`) and module list (`devices/NAME.modules`), and the
/// helpers reporters run (`helpers/NAME.c`). A device of the guest matrix adds its files here.
enum GuestFiles {
    static let all: [(path: String, bytes: [UInt8])] = [
        ("build-image", PackageResources.build_image),
        ("guest-init", PackageResources.guest_init),
        ("build-vdpa-image", PackageResources.build_vdpa_image), ("guest-vdpa-init", PackageResources.guest_vdpa_init),
        ("devices/core.modules", PackageResources.core_modules),
        ("devices/blk.sh", PackageResources.blk_sh), ("devices/blk.modules", PackageResources.blk_modules),
        ("devices/net.sh", PackageResources.net_sh), ("devices/net.modules", PackageResources.net_modules),
        ("devices/console.sh", PackageResources.console_sh), ("devices/console.modules", PackageResources.console_modules),
        ("devices/entropy.sh", PackageResources.entropy_sh), ("devices/entropy.modules", PackageResources.entropy_modules),
        ("devices/balloon.sh", PackageResources.balloon_sh), ("devices/balloon.modules", PackageResources.balloon_modules),
        ("devices/scsi.sh", PackageResources.scsi_sh), ("devices/scsi.modules", PackageResources.scsi_modules),
        ("devices/input.sh", PackageResources.input_sh), ("devices/input.modules", PackageResources.input_modules),
        ("helpers/input-absinfo.c", PackageResources.input_absinfo_c),
        ("devices/mem.sh", PackageResources.mem_sh), ("devices/mem.modules", PackageResources.mem_modules),
        ("devices/pmem.sh", PackageResources.pmem_sh), ("devices/pmem.modules", PackageResources.pmem_modules),
        ("devices/fs.sh", PackageResources.fs_sh), ("devices/fs.modules", PackageResources.fs_modules),
        ("devices/p9.sh", PackageResources.p9_sh), ("devices/p9.modules", PackageResources.p9_modules),
        ("devices/gpu.sh", PackageResources.gpu_sh), ("devices/gpu.modules", PackageResources.gpu_modules),
        ("devices/crypto.sh", PackageResources.crypto_sh), ("devices/crypto.modules", PackageResources.crypto_modules),
        ("devices/vsock.sh", PackageResources.vsock_sh), ("devices/vsock.modules", PackageResources.vsock_modules),
        ("helpers/vsock-cid.c", PackageResources.vsock_cid_c),
    ]
}
