import ConfigLayout

/// Where QEMU 7.2 itself departs from the spec or from its own offered features, or hides what a
/// probe needs, found by probing it and explained from its source. A check that fails or cannot be
/// decided for one of these reasons says so, with the source.
public enum QEMUFindings {
    public struct Finding: Sendable {
        public let id: String
        public let summary: String
        public let source: String
    }

    /// Every finding, in the order the README lists them.
    public static let all: [Finding] = [
        Finding(id: "net-hash-report-size",
                summary: "virtio-net with hash=on and no vnet-header peer serves 24 bytes, the end of supported_hash_types, "
                    + "though it offers neither HASH_REPORT nor RSS: the config is sized from the properties before "
                    + "HASH_REPORT is taken back, so it serves more than its offered features give",
                source: "hw/net/virtio-net.c: virtio_net_device_realize sizes by n->host_features; "
                    + "virtio_net_get_features clears VIRTIO_NET_F_HASH_REPORT when !peer_has_vnet_hdr"),
        Finding(id: "pmem-not-migrated",
                summary: "virtio-pmem has no migration state at all, so its exact config length cannot be read from "
                    + "the migration stream; only the lower bound is known",
                source: "hw/virtio/virtio-pmem.c registers no VMStateDescription"),
        Finding(id: "crypto-unmigratable",
                summary: "virtio-crypto refuses migration, so its exact config length cannot be read from the migration "
                    + "stream; only the lower bound is known",
                source: "hw/virtio/virtio-crypto.c: vmstate_virtio_crypto is .unmigratable"),
        Finding(id: "generation-after-driver-ok",
                summary: "config_generation moves only when the device notifies a change after DRIVER_OK: a change "
                    + "before DRIVER_OK (a link going down) leaves it where it was though the driver may have read the "
                    + "field already, and a driver's own write never moves it; the spec's rule moves it on every change",
                source: "hw/virtio/virtio.c: virtio_notify_config returns without DRIVER_OK, and only it does "
                    + "vdev->generation++"),
        Finding(id: "legacy-bad-feature",
                summary: "the legacy interface offers bit 30, VIRTIO_F_BAD_FEATURE, which no spec defines: a driver that "
                    + "accepts it is taken to negotiate nothing and gets the device's 'bad features' set instead",
                source: "hw/virtio/virtio-pci.c: virtio_pci_pre_plugged adds VIRTIO_F_BAD_FEATURE; "
                    + "virtio_ioport_write replaces the features when it is accepted"),
    ]

    static func finding(_ id: String) -> Finding? { all.first { $0.id == id } }

    /// The finding behind a failed check, in words with its source; nil when none is known.
    static func explain(check: String, device: Device, spec: QEMUDeviceSpec, offered: FeatureSet) -> String? {
        switch (check, device.id) {
        case ("length", 1) where spec.flag("hash") == true && !device.isSet("HASH_REPORT", in: offered)
                                && !device.isSet("RSS", in: offered):
            return finding("net-hash-report-size").map(text)
        default:
            return nil
        }
    }

    /// Why a device's exact length cannot be read, when QEMU is the reason.
    static func explainUndecidedLength(device: Device) -> String? {
        switch device.id {
        case 27: finding("pmem-not-migrated").map(text)
        case 20: finding("crypto-unmigratable").map(text)
        default: nil
        }
    }

    /// Why QEMU's generation stood still where the spec's rule moves it, for a change the probe made.
    static func explainGeneration(_ run: QEMUProbeResult.ChangeRun) -> String? {
        run.followsQEMU && !run.expectsMove && !run.specDifferences.isEmpty
            ? finding("generation-after-driver-ok").map(text) : nil
    }

    /// Why QEMU offers a bit the layouts do not know, when it is known.
    static func explainUnknownBit(_ bit: Int, legacy: Bool) -> String? {
        bit == 30 && legacy ? finding("legacy-bad-feature").map(text) : nil
    }

    private static func text(_ finding: Finding) -> String {
        "QEMU finding: \(finding.summary) (\(finding.source))"
    }
}
