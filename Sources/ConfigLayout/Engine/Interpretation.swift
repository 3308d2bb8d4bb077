/// How a layout places fields that do not exist under a feature set.
public enum Interpretation: String, CaseIterable, Sendable {
    /// Every field sits at its C-struct offset whatever the features; a field whose condition is
    /// false keeps its bytes as reserved space. What Linux's offsetof(), QEMU, mlx5 and the Rust
    /// VMMs do, and what MST said the spec always meant (virtio-dev, March 2021).
    case fixed
    /// The spec's literal wording: a field that "only exists if" a feature takes no space when the
    /// feature is absent, and later fields move up in declaration order with no padding.
    /// `valid if` fields always take space. No known implementation does this.
    case packed

    /// Whether a field whose `if` condition is false still occupies its bytes.
    public var absentFieldsTakeSpace: Bool { self == .fixed }
}

/// How big the configuration space is under a feature set.
public enum Sizing: String, CaseIterable, Sendable {
    /// The whole structure: the struct size in fixed, the sum of the fields present in packed.
    case full
    /// QEMU's rule (`virtio_get_config_size`, hw/virtio/virtio.c): the larger of the device's
    /// minimum size and the end of every conditional field whose condition holds.
    case qemu
}
