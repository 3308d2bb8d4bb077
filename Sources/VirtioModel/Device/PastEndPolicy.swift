/// What a device does with a config read that does not fit inside its configuration space.
/// Implementations differ, so each device model has one (linux-qemu-behaviour.md §4.4, §5, §7).
public enum PastEndPolicy: String, CaseIterable, Sendable {
    /// QEMU `virtio_config_readb/w/l`: "if (addr + sizeof(val) > vdev->config_len) return (uint32_t)-1".
    case allOnes = "all-ones"
    /// firecracker `read_config`: copies what exists, then `data[len..].fill(0)`.
    case zeros
    /// `mlx5_vdpa_get_config` ("if (offset + len <= sizeof(struct virtio_net_config)) memcpy"),
    /// cloud-hypervisor `read_config_from_slice` and crosvm `copy_config`: the buffer is left as it was.
    case untouched
    /// The vhost-vdpa ioctl (`vhost_vdpa_config_validate`): -EINVAL or -E2BIG, nothing copied.
    case error
}
