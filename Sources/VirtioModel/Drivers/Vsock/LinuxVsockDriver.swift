import ConfigLayout

/// Linux 6.1's virtio vsock transport (net/vmw_vsock/virtio_transport.c `virtio_vsock_probe`,
/// `virtio_vsock_vqs_init`, `virtio_vsock_update_guest_cid`; the same read in Debian's 6.1.192 at
/// l.337-345): guest_cid is one raw 8-byte `config->get`, two 32-bit reads on virtio-pci with no
/// generation check, kept in a u32, before DRIVER_OK. Nothing checks it, and a config change is not
/// read: only a TRANSPORT_RESET event on the event queue reads it again. A program reads it with
/// `IOCTL_VM_SOCKETS_GET_LOCAL_CID` on /dev/vsock.
struct LinuxVsockDriver: DriverModel {
    static let kind = DriverKind(
        name: "linux-6.1", layout: "vsock",
        summary: "Linux 6.1's vmw_vsock_virtio_transport: guest_cid in two 32-bit reads without a generation check, "
            + "kept as 32 bits",
        follows: "net/vmw_vsock/virtio_transport.c `virtio_vsock_probe`, `virtio_vsock_update_guest_cid`; "
            + "af_vsock.c `vsock_dev_do_ioctl`",
        fields: ["guest_cid"], isReference: true, make: { LinuxVsockDriver() })

    /// virtio_transport.c's `features[]`: SEQPACKET alone (STREAM and NO_IMPLIED_STREAM are unknown
    /// to 6.1's uapi header).
    static let featureTable = ["SEQPACKET"]

    func probe(_ session: DriverSession) -> DriverResult {
        let core = LinuxVirtioCore.negotiate(session, table: Self.featureTable)
        if let refusal = core.refusal {
            return LinuxVirtioCore.failed(session, driver: "vmw_vsock_virtio_transport", refusal, unsupported: core.unsupported)
        }
        session.stage = "virtio_vsock_probe"
        session.note("virtio_find_vqs: \"rx\", \"tx\", \"event\"")
        // vdev->config->get(vdev, offsetof(struct virtio_vsock_config, guest_cid), &guest_cid, 8), then
        // le64_to_cpu into a u32: no virtio_cread, so no generation loop (spec 2.5.1 asks for one for
        // fields wider than 32 bits), and the upper half is dropped unchecked.
        let bytes = session.readBytes("guest_cid", width: 8)
        let cid = DriverSession.number(bytes, littleEndian: true)
        session.remember("guest_cid", bytes, cid)
        if cid >> 32 != 0 {
            session.note("guest_cid 0x\(String(cid, radix: 16)) has upper bits, which the spec reserves; kept as "
                         + "0x\(String(UInt32(truncatingIfNeeded: cid), radix: 16))")
        }
        // Then virtio_device_ready, before the rx and event queues are filled.
        session.transport.addStatus(.driverOK)
        var view = DriverView()
        view.set("local_cid", UInt64(UInt32(truncatingIfNeeded: cid)), from: ["guest_cid"])
        return DriverResult(view: view, failure: nil, unsupported: core.unsupported)
    }

    /// There is no `config_changed`: a config interrupt is ignored and the CID is not read again
    /// (only `virtio_vsock_event_handle`, on VIRTIO_VSOCK_EVENT_TRANSPORT_RESET, does).
    func configChanged(_ session: DriverSession, view: DriverView) -> DriverView {
        session.note("no config_changed: the CID is read again only on a TRANSPORT_RESET event")
        return view
    }
}
