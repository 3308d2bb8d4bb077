import ConfigLayout

/// DPDK 22.11's virtio PMD (`drivers/net/virtio/virtio_ethdev.c`). `virtio_ethdev_negotiate_features`
/// reads mtu at `offsetof(struct virtio_net_config, mtu)` before writing any guest feature, and clears
/// F_MTU when it is below RTE_ETHER_MIN_MTU; then `virtio_init_device` reads the rest
/// (`DPDKVirtioInit`). On vDPA the PMD runs on virtio-user over vhost-vdpa (`VirtioUserTransport`).
struct DPDKNetDriver: DriverModel {
    var vdpaFront: VDPABus.Front { .vhostVDPA }

    static let kind = DriverKind(
        name: "dpdk", layout: "net", summary: "DPDK virtio PMD: reads mtu before writing any feature",
        follows: "`virtio_ethdev_negotiate_features`: mtu read before any feature write; byte-by-byte config reads on PCI",
        fields: NetValues.fields, make: { DPDKNetDriver() })

    func probe(_ session: DriverSession) -> DriverResult { DPDKVirtioInit.probe(session) }
}
