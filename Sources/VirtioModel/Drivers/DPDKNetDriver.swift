import ConfigLayout

/// DPDK 22.11's virtio PMD (`drivers/net/virtio/virtio_ethdev.c`). `virtio_ethdev_negotiate_features`
/// reads mtu at `offsetof(struct virtio_net_config, mtu)` before writing any guest feature, and clears
/// F_MTU when it is below RTE_ETHER_MIN_MTU; then `virtio_init_device` reads the rest
/// (`DPDKVirtioInit`). On vDPA the PMD runs on virtio-user over vhost-vdpa (`VirtioUserTransport`).
struct DPDKNetDriver: NetDriver {
    var vdpaFront: VDPABus.Front { .vhostVDPA }

    func probe(_ session: DriverSession) -> DriverResult { DPDKVirtioInit.probe(session) }
}
