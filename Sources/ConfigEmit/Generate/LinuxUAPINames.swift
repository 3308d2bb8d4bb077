/// The struct names Linux's UAPI headers give device configs, with the header that declares each
/// (include/uapi/linux/virtio_*.h as Linux 6.1 ships them, and the zoned characteristics that
/// Linux 6.3 added to virtio_blk.h). A generated C header that keeps a layout's name clashes with
/// that header in a program that includes both; its opening comment says so.
enum LinuxUAPINames {
    static let headers: [String: String] = [
        "virtio_9p_config": "linux/virtio_9p.h",
        "virtio_balloon_config": "linux/virtio_balloon.h",
        "virtio_blk_config": "linux/virtio_blk.h",
        "virtio_blk_geometry": "linux/virtio_blk.h",
        "virtio_blk_zoned_characteristics": "linux/virtio_blk.h",
        "virtio_console_config": "linux/virtio_console.h",
        "virtio_crypto_config": "linux/virtio_crypto.h",
        "virtio_fs_config": "linux/virtio_fs.h",
        "virtio_gpio_config": "linux/virtio_gpio.h",
        "virtio_gpu_config": "linux/virtio_gpu.h",
        "virtio_input_absinfo": "linux/virtio_input.h",
        "virtio_input_config": "linux/virtio_input.h",
        "virtio_input_devids": "linux/virtio_input.h",
        "virtio_iommu_config": "linux/virtio_iommu.h",
        "virtio_iommu_range_32": "linux/virtio_iommu.h",
        "virtio_iommu_range_64": "linux/virtio_iommu.h",
        "virtio_mem_config": "linux/virtio_mem.h",
        "virtio_net_config": "linux/virtio_net.h",
        "virtio_pmem_config": "linux/virtio_pmem.h",
        "virtio_scsi_config": "linux/virtio_scsi.h",
        "virtio_snd_config": "linux/virtio_snd.h",
        "virtio_vsock_config": "linux/virtio_vsock.h",
    ]
}
