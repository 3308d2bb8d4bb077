@testable import ConfigLayout

/// What the virtio specification's own text says exists, version by version: every device section,
/// and every bit its "Feature bits" subsection (and "Legacy Interface: Feature bits", and chapter 6
/// "Reserved Feature Bits" for the transport) lists, read from the LaTeX of oasis-tcs/virtio-spec
/// at the tags in `checked` (from 1.3 in device-types/*/description.tex, before that in content.tex
/// and virtio-*.tex). Every built-in layout is held against it (`SpecFeatureAuditTests`).
///
/// The next spec version: audit its text, add one line to `checked`, and add a row for each bit it
/// lists first (or give `last:` to each it no longer lists). A bit with no `last` is listed through
/// the newest checked version.
enum SpecFacts {
    /// A feature bit: its device (or "transport"), number, name without the VIRTIO_*_F_ prefix, the
    /// first and last versions that list it, and whether it is listed only for the legacy interface.
    struct Bit: Sendable, CustomStringConvertible {
        let device: String
        let bit: Int
        let name: String
        let first: SpecVersion
        let last: SpecVersion?
        let legacy: Bool

        init(_ device: String, _ bit: Int, _ name: String, _ first: String, last: String? = nil,
             _ legacy: Legacy? = nil) {
            self.device = device
            self.bit = bit
            self.name = name
            self.first = SpecVersion(first) ?? SpecVersion(major: 0, minor: 0)
            self.last = last.flatMap(SpecVersion.init)
            self.legacy = legacy != nil
        }

        func listed(in version: SpecVersion) -> Bool {
            version >= first && last.map { version <= $0 } ?? true
        }

        var description: String {
            "\(device) \(name) (\(bit)) \(first)...\(last.map { "\($0)" } ?? "")" + (legacy ? " legacy" : "")
        }
    }

    enum Legacy { case legacy }

    /// A device section: its Device ID and the first version with the section.
    struct DeviceSection: Sendable {
        let name: String
        let id: Int
        let since: SpecVersion

        init(_ name: String, id: Int, since: String) {
            self.name = name
            self.id = id
            self.since = SpecVersion(since) ?? SpecVersion(major: 0, minor: 0)
        }
    }

    /// The versions checked and the tag each was read at (1.3 has no cs tag; wd02 is its last draft).
    static let checked: [(version: SpecVersion, tag: String)] = [
        (SpecVersion(major: 1, minor: 0), "v1.0-cs04"),
        (SpecVersion(major: 1, minor: 1), "v1.1-cs01"),
        (SpecVersion(major: 1, minor: 2), "v1.2-cs01"),
        (SpecVersion(major: 1, minor: 3), "v1.3-wd02"),
        (SpecVersion(major: 1, minor: 4), "v1.4-cs01"),
    ]

    static let sections: [DeviceSection] = [
        .init("balloon", id: 5, since: "1.0"),
        .init("blk", id: 2, since: "1.0"),
        .init("can", id: 36, since: "1.4"),
        .init("console", id: 3, since: "1.0"),
        .init("crypto", id: 20, since: "1.1"),
        .init("entropy", id: 4, since: "1.0"),
        .init("fs", id: 26, since: "1.2"),
        .init("gpio", id: 41, since: "1.2"),
        .init("gpu", id: 16, since: "1.1"),
        .init("i2c", id: 34, since: "1.2"),
        .init("input", id: 18, since: "1.1"),
        .init("iommu", id: 23, since: "1.2"),
        .init("media", id: 48, since: "1.4"),
        .init("mem", id: 24, since: "1.2"),
        .init("net", id: 1, since: "1.0"),
        .init("pmem", id: 27, since: "1.2"),
        .init("rpmb", id: 28, since: "1.2"),
        .init("rtc", id: 17, since: "1.4"),
        .init("scmi", id: 32, since: "1.2"),
        .init("scsi", id: 8, since: "1.0"),
        .init("sound", id: 25, since: "1.2"),
        .init("spi", id: 45, since: "1.4"),
        .init("vsock", id: 19, since: "1.1"),
    ]

    /// Layouts of devices with no section in any version: p9 (ID 9, "9P transport" in the Device ID
    /// table only) follows Linux's include/uapi/linux/virtio_9p.h, so it carries no version clauses.
    static let outsideTheSpec = ["p9"]

    /// Where the text uses a bit it does not list (or lists under another name), which the layout
    /// must say in a comment naming the text's spelling: (device, the text's name, versions).
    static let textGaps: [(device: String, spelling: String, versions: String)] = [
        ("net", "VIRTIO_NET_F_CTRL_RX_EXTRA", "1.0-1.2: used in Packet Receive Filtering, listed from 1.3"),
        ("net", "VIRTIO_NET_F_GUEST_UDP", "1.0-1.4: a slip for GUEST_UFO"),
        ("net", "VIRTIO_NET_F_MAC_ADDR", "1.0-1.1: a slip for CTRL_MAC_ADDR"),
        ("balloon", "VIRTIO_BALLON_F_STATS_VQ", "1.0-1.1: a misspelling of STATS_VQ"),
        ("can", "VIRTIO_CAN_F_CAN_LATE_TX_ACK", "1.4: a slip for LATE_TX_ACK"),
    ]

    static let bits: [Bit] = [
.init("transport", 24, "NOTIFY_ON_EMPTY", "1.0", .legacy),
        .init("transport", 27, "ANY_LAYOUT", "1.0", .legacy),
        .init("transport", 28, "RING_INDIRECT_DESC", "1.0", last: "1.1"),
        .init("transport", 28, "INDIRECT_DESC", "1.2"),
        .init("transport", 29, "RING_EVENT_IDX", "1.0", last: "1.1"),
        .init("transport", 29, "EVENT_IDX", "1.2"),
        .init("transport", 32, "VERSION_1", "1.0"),
        .init("transport", 33, "ACCESS_PLATFORM", "1.1"),
        .init("transport", 34, "RING_PACKED", "1.1"),
        .init("transport", 35, "IN_ORDER", "1.1"),
        .init("transport", 36, "ORDER_PLATFORM", "1.1"),
        .init("transport", 37, "SR_IOV", "1.1"),
        .init("transport", 38, "NOTIFICATION_DATA", "1.1"),
        .init("transport", 39, "NOTIF_CONFIG_DATA", "1.2"),
        .init("transport", 40, "RING_RESET", "1.2"),
        .init("transport", 41, "ADMIN_VQ", "1.3"),
        .init("transport", 43, "SUSPEND", "1.4"),
        .init("balloon", 0, "MUST_TELL_HOST", "1.0"),
        .init("balloon", 1, "STATS_VQ", "1.0"),
        .init("balloon", 2, "DEFLATE_ON_OOM", "1.0"),
        .init("balloon", 3, "FREE_PAGE_HINT", "1.2"),
        .init("balloon", 4, "PAGE_POISON", "1.2"),
        .init("balloon", 5, "PAGE_REPORTING", "1.2"),
        .init("blk", 0, "BARRIER", "1.0", .legacy),
        .init("blk", 1, "SIZE_MAX", "1.0"),
        .init("blk", 2, "SEG_MAX", "1.0"),
        .init("blk", 4, "GEOMETRY", "1.0"),
        .init("blk", 5, "RO", "1.0"),
        .init("blk", 6, "BLK_SIZE", "1.0"),
        .init("blk", 7, "SCSI", "1.0", .legacy),
        .init("blk", 9, "FLUSH", "1.0"),
        .init("blk", 10, "TOPOLOGY", "1.0"),
        .init("blk", 11, "CONFIG_WCE", "1.0"),
        .init("blk", 12, "MQ", "1.2"),
        .init("blk", 13, "DISCARD", "1.1"),
        .init("blk", 14, "WRITE_ZEROES", "1.1"),
        .init("blk", 15, "LIFETIME", "1.2"),
        .init("blk", 16, "SECURE_ERASE", "1.2"),
        .init("blk", 17, "ZONED", "1.3"),
        .init("can", 0, "CAN_CLASSIC", "1.4"),
        .init("can", 1, "CAN_FD", "1.4"),
        .init("can", 2, "RTR_FRAMES", "1.4"),
        .init("can", 3, "LATE_TX_ACK", "1.4"),
        .init("console", 0, "SIZE", "1.0"),
        .init("console", 1, "MULTIPORT", "1.0"),
        .init("console", 2, "EMERG_WRITE", "1.0"),
        .init("crypto", 0, "REVISION_1", "1.1"),
        .init("crypto", 1, "CIPHER_STATELESS_MODE", "1.1"),
        .init("crypto", 2, "HASH_STATELESS_MODE", "1.1"),
        .init("crypto", 3, "MAC_STATELESS_MODE", "1.1"),
        .init("crypto", 4, "AEAD_STATELESS_MODE", "1.1"),
        .init("crypto", 5, "AKCIPHER_STATELESS_MODE", "1.3"),
        .init("fs", 0, "NOTIFICATION", "1.2"),
        .init("gpio", 0, "IRQ", "1.2"),
        .init("gpu", 0, "VIRGL", "1.1"),
        .init("gpu", 1, "EDID", "1.1"),
        .init("gpu", 2, "RESOURCE_UUID", "1.2"),
        .init("gpu", 3, "RESOURCE_BLOB", "1.2"),
        .init("gpu", 4, "CONTEXT_INIT", "1.2"),
        .init("gpu", 5, "BLOB_ALIGNMENT", "1.4"),
        .init("i2c", 0, "ZERO_LENGTH_REQUEST", "1.2"),
        .init("iommu", 0, "INPUT_RANGE", "1.2"),
        .init("iommu", 1, "DOMAIN_RANGE", "1.2"),
        .init("iommu", 2, "MAP_UNMAP", "1.2"),
        .init("iommu", 3, "BYPASS", "1.2"),
        .init("iommu", 4, "PROBE", "1.2"),
        .init("iommu", 5, "MMIO", "1.2"),
        .init("iommu", 6, "BYPASS_CONFIG", "1.2"),
        .init("mem", 0, "ACPI_PXM", "1.2"),
        .init("mem", 1, "UNPLUGGED_INACCESSIBLE", "1.2"),
        .init("mem", 2, "PERSISTENT_SUSPEND", "1.4"),
        .init("net", 0, "CSUM", "1.0"),
        .init("net", 1, "GUEST_CSUM", "1.0"),
        .init("net", 2, "CTRL_GUEST_OFFLOADS", "1.0"),
        .init("net", 3, "MTU", "1.1"),
        .init("net", 5, "MAC", "1.0"),
        .init("net", 6, "GSO", "1.0", .legacy),
        .init("net", 7, "GUEST_TSO4", "1.0"),
        .init("net", 8, "GUEST_TSO6", "1.0"),
        .init("net", 9, "GUEST_ECN", "1.0"),
        .init("net", 10, "GUEST_UFO", "1.0"),
        .init("net", 11, "HOST_TSO4", "1.0"),
        .init("net", 12, "HOST_TSO6", "1.0"),
        .init("net", 13, "HOST_ECN", "1.0"),
        .init("net", 14, "HOST_UFO", "1.0"),
        .init("net", 15, "MRG_RXBUF", "1.0"),
        .init("net", 16, "STATUS", "1.0"),
        .init("net", 17, "CTRL_VQ", "1.0"),
        .init("net", 18, "CTRL_RX", "1.0"),
        .init("net", 19, "CTRL_VLAN", "1.0"),
        .init("net", 20, "CTRL_RX_EXTRA", "1.3"),
        .init("net", 21, "GUEST_ANNOUNCE", "1.0"),
        .init("net", 22, "MQ", "1.0"),
        .init("net", 23, "CTRL_MAC_ADDR", "1.0"),
        .init("net", 41, "GUEST_RSC4", "1.1", .legacy),
        .init("net", 42, "GUEST_RSC6", "1.1", .legacy),
        .init("net", 50, "DEVICE_STATS", "1.4"),
        .init("net", 51, "HASH_TUNNEL", "1.3"),
        .init("net", 52, "VQ_NOTF_COAL", "1.3"),
        .init("net", 53, "NOTF_COAL", "1.3"),
        .init("net", 54, "GUEST_USO4", "1.3"),
        .init("net", 55, "GUEST_USO6", "1.3"),
        .init("net", 56, "HOST_USO", "1.2"),
        .init("net", 57, "HASH_REPORT", "1.2"),
        .init("net", 59, "GUEST_HDRLEN", "1.2"),
        .init("net", 60, "RSS", "1.2"),
        .init("net", 61, "RSC_EXT", "1.1"),
        .init("net", 62, "STANDBY", "1.1"),
        .init("net", 63, "SPEED_DUPLEX", "1.2"),
        .init("net", 64, "RSS_CONTEXT", "1.4"),
        .init("net", 65, "GUEST_UDP_TUNNEL_GSO", "1.4"),
        .init("net", 66, "GUEST_UDP_TUNNEL_GSO_CSUM", "1.4"),
        .init("net", 67, "HOST_UDP_TUNNEL_GSO", "1.4"),
        .init("net", 68, "HOST_UDP_TUNNEL_GSO_CSUM", "1.4"),
        .init("net", 69, "OUT_NET_HEADER", "1.4"),
        .init("net", 70, "IPSEC", "1.4"),
        .init("pmem", 0, "SHMEM_REGION", "1.2"),
        .init("rtc", 0, "ALARM", "1.4"),
        .init("scmi", 0, "P2A_CHANNELS", "1.2"),
        .init("scmi", 1, "SHARED_MEMORY", "1.2"),
        .init("scsi", 0, "INOUT", "1.0"),
        .init("scsi", 1, "HOTPLUG", "1.0"),
        .init("scsi", 2, "CHANGE", "1.0"),
        .init("scsi", 3, "T10_PI", "1.0"),
        .init("sound", 0, "CTLS", "1.3"),
        .init("vsock", 0, "STREAM", "1.2"),
        .init("vsock", 1, "SEQPACKET", "1.2"),
        .init("vsock", 2, "NO_IMPLIED_STREAM", "1.3"),
    ]
}
