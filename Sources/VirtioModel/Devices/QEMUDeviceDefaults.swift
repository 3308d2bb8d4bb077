import ConfigLayout

/// What QEMU 7.2's devices offer and serve when created with their default properties, as the
/// `qemu` model's defaults, device type by device type (the layout's name). A device type not listed
/// offers VERSION_1 and every feature some field depends on, and serves zeros.
enum QEMUDeviceDefaults {
    static func defaults(for device: Device) -> DeviceDefaults {
        table[device.name] ?? DeviceDefaults(features: device.names(of: ServedDevice.defaultFeatures(of: device)))
    }

    /// The transport bits every QEMU virtio-pci device offers (`DEFINE_VIRTIO_COMMON_FEATURES`,
    /// hw/virtio/virtio.h; VERSION_1 from `virtio_pci_device_plugged` on a modern function).
    static let transport = ["INDIRECT_DESC", "EVENT_IDX", "VERSION_1"]

    static let table: [String: DeviceDefaults] = [
        // virtio-net's default host features (hw/net/virtio-net.c `virtio_net_properties`), with host_mtu set.
        "net": DeviceDefaults(
            features: ["CSUM", "GUEST_CSUM", "GUEST_TSO4", "GUEST_TSO6", "GUEST_ECN", "GUEST_UFO", "HOST_TSO4", "HOST_TSO6",
                       "HOST_ECN", "HOST_UFO", "MRG_RXBUF", "STATUS", "CTRL_VQ", "CTRL_RX", "CTRL_VLAN", "CTRL_RX_EXTRA",
                       "GUEST_ANNOUNCE", "MQ", "CTRL_MAC_ADDR", "MAC", "MTU"] + transport,
            values: [("mac", "52:54:00:12:34:56"), ("status", "1"), ("max_virtqueue_pairs", "4"), ("mtu", "9000"),
                     ("speed", "10000"), ("duplex", "1"), ("rss_max_key_size", "40"),
                     ("rss_max_indirection_table_length", "128"), ("supported_hash_types", "0x1ff")]),
        // virtio-blk-pci over a 1 GiB drive on one vCPU (hw/block/virtio-blk.c `virtio_blk_get_features`,
        // `virtio_blk_update_config`, `virtio_blk_properties`): seg_max is queue-size - 2 under
        // seg-max-adjust, the geometry is `hd_geometry_guess`'s for 2097152 sectors, discard and
        // write-zeroes limits are BDRV_REQUEST_MAX_SECTORS, write caching is on.
        "blk": DeviceDefaults(
            features: ["SEG_MAX", "GEOMETRY", "BLK_SIZE", "FLUSH", "TOPOLOGY", "CONFIG_WCE", "DISCARD", "WRITE_ZEROES"]
                + transport,
            values: [("capacity", "2097152"), ("seg_max", "254"), ("geometry.cylinders", "2080"), ("geometry.heads", "16"),
                     ("geometry.sectors", "63"), ("blk_size", "512"), ("writeback", "1"), ("num_queues", "1"),
                     ("max_discard_sectors", "4194303"), ("max_discard_seg", "1"), ("discard_sector_alignment", "1"),
                     ("max_write_zeroes_sectors", "4194303"), ("max_write_zeroes_seg", "1"), ("write_zeroes_may_unmap", "1")]),
        // virtio-serial-pci (hw/char/virtio-serial-bus.c): emergency-write defaults on, MULTIPORT is
        // offered whenever max_ports (31 by default) is above 1, SIZE never; `get_config` serves cols and
        // rows as 0.
        "console": DeviceDefaults(
            features: ["MULTIPORT", "EMERG_WRITE"] + transport,
            values: [("cols", "0"), ("rows", "0"), ("max_nr_ports", "31"), ("emerg_wr", "0")]),
        // virtio-rng-pci (hw/virtio/virtio-rng.c `get_features`): no feature of its own, no config.
        "entropy": DeviceDefaults(features: transport),
        // virtio-balloon-pci (hw/virtio/virtio-balloon.c): page-poison defaults on and STATS_VQ is always
        // added (`virtio_balloon_get_features`); num_pages stays 0 until a `balloon` command.
        "balloon": DeviceDefaults(
            features: ["STATS_VQ", "PAGE_POISON"] + transport,
            values: [("num_pages", "0"), ("actual", "0"), ("free_page_hint_cmd_id", "0"), ("poison_val", "0")]),
        // virtio-scsi-pci on one vCPU (hw/scsi/virtio-scsi.c `virtio_scsi_get_config`,
        // `virtio_scsi_properties`): hotplug and param_change on, num_queues one per vCPU, seg_max
        // virtqueue_size - 2, the VIRTIO_SCSI_MAX_* limits, and the sense and CDB sizes reset restores.
        "scsi": DeviceDefaults(
            features: ["HOTPLUG", "CHANGE"] + transport,
            values: [("num_queues", "1"), ("seg_max", "254"), ("max_sectors", "65535"), ("cmd_per_lun", "128"),
                     ("event_info_size", "16"), ("sense_size", "96"), ("cdb_size", "32"), ("max_channel", "0"),
                     ("max_target", "255"), ("max_lun", "16383")]),
        // virtio-tablet-pci with its wheel axis: no device features (`virtio_input_get_features`), and
        // its fixed table of selections (hw/input/virtio-input-hid.c `virtio_tablet_config_v2`).
        "input": DeviceDefaults(features: transport, selections: QEMUInputDevices.contents(.tablet)),
        // virtio-pmem-pci over a 16 MiB backend, the first memory device on a pc machine: start is the
        // device-memory base at 4 GiB (`pc_get_device_memory_range`), size the backend's
        // (hw/virtio/virtio-pmem.c `virtio_pmem_get_config`); no device features.
        "pmem": DeviceDefaults(features: transport, values: [("start", "0x100000000"), ("size", "16777216")]),
        // virtio-mem-pci,requested-size=128M over a 1 GiB memory-backend-ram at 4 GiB
        // (hw/virtio/virtio-mem.c `virtio_mem_get_config`): block-size is the THP size (2 MiB),
        // usable_region_size requested + 256 MiB (`virtio_mem_resize_usable_region`); ACPI_PXM offered
        // on pc (`virtio_mem_get_features`), UNPLUGGED_INACCESSIBLE not for a private RAM backend.
        "mem": DeviceDefaults(
            features: ["ACPI_PXM"] + transport,
            values: [("block_size", "0x200000"), ("node_id", "0"), ("addr", "0x100000000"), ("region_size", "0x40000000"),
                     ("usable_region_size", "0x18000000"), ("plugged_size", "0"), ("requested_size", "0x8000000")]),
        // vhost-user-fs-pci,tag=cfgspace: the config QEMU serves itself (hw/virtio/vhost-user-fs.c
        // `vuf_get_config`), num-request-queues 1 by default; no device features pass `user_feature_bits`.
        "fs": DeviceDefaults(features: transport, values: [("tag", "cfgspace"), ("num_request_queues", "1")]),
        // virtio-9p-pci with mount_tag=cfgspace, QEMU's own probe tag (hw/9pfs/virtio-9p-device.c:
        // `virtio_9p_get_features` always offers MOUNT_TAG; `virtio_9p_get_config` serves strlen(tag), then
        // the tag without a NUL, in a config of 2 + strlen(tag) bytes). QEMU has no default tag.
        "p9": DeviceDefaults(features: ["MOUNT_TAG"] + transport, values: [("tag_len", "8"), ("tag", "cfgspace")]),
        // virtio-gpu-pci (hw/display/virtio-gpu-base.c `virtio_gpu_base_get_features`, `..._device_realize`):
        // EDID with edid=on (the default), num_scanouts = max_outputs (1), num_capsets 0 without virgl.
        "gpu": DeviceDefaults(features: ["EDID"] + transport,
                              values: [("events_read", "0"), ("events_clear", "0"), ("num_scanouts", "1"), ("num_capsets", "0")]),
        // virtio-crypto-pci over cryptodev-backend-builtin (backends/cryptodev-builtin.c
        // `cryptodev_builtin_init`; hw/virtio/virtio-crypto.c `virtio_crypto_get_config`): no feature
        // bit, HW_READY, one data queue, CIPHER|HASH|MAC|AKCIPHER with AES_CBC, SHA1 and RSA, and
        // max_size LONG_MAX - sizeof(CryptoDevBackendOpInfo).
        "crypto": DeviceDefaults(
            features: transport,
            values: [("status", "1"), ("max_dataqueues", "1"), ("crypto_services", "0x17"), ("cipher_algo_l", "0x8"),
                     ("cipher_algo_h", "0"), ("hash_algo", "0x4"), ("mac_algo_l", "0"), ("mac_algo_h", "0"), ("aead_algo", "0"),
                     ("max_cipher_key_len", "64"), ("max_auth_key_len", "512"), ("akcipher_algo", "0x2"),
                     ("max_size", "0x7fffffffffffffe7")]),
        // vhost-vsock-pci,guest-cid=3: guest-cid must be above 2 (vhost_vsock_device_realize,
        // hw/virtio/vhost-vsock.c); SEQPACKET is added unless seqpacket=off and the back-end lacks it
        // (vhost_vsock_common_get_features, hw/virtio/vhost-vsock-common.c).
        "vsock": DeviceDefaults(features: ["SEQPACKET"] + transport, values: [("guest_cid", "3")]),
    ]
}
