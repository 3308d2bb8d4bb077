import ConfigLayout

/// The little-endian wrapper types the Rust modules declare their multi-byte fields with: `Le16`,
/// `Le32`, `Le64`, each the device's bytes with `get` and `set` that convert, so a struct of them
/// has alignment 1, no padding and no packed fields to take references to. A modern device keeps
/// `virtio` fields little-endian, and so does every field the spec leaves without an order. They
/// live in one module, `le.rs`, that every device module uses.
enum RustWrappers {
    /// The wrapper a scalar is declared with: `u8`, `Le16`, ...
    static func type(_ scalar: ScalarType) -> String {
        scalar == .u8 ? "u8" : "Le\(scalar.size * 8)"
    }

    /// The wrappers an aggregate tree uses, by width in bits.
    static func widths(in aggregates: [Aggregate]) -> [Int] {
        var widths = Set<Int>()
        func visit(_ aggregate: Aggregate) {
            for field in aggregate.fields {
                switch field.type {
                case .scalar(let scalar), .array(let scalar, _): if scalar != .u8 { widths.insert(scalar.size * 8) }
                case .aggregate(let inner): visit(inner)
                case .chars, .flexible: break
                }
            }
        }
        aggregates.forEach(visit)
        return widths.sorted()
    }

    /// `le.rs`: every wrapper, once.
    static func module(banner: String) -> String {
        "// \(banner)\n//! The little-endian types every device module's fields use.\n#![allow(dead_code)]\n\n"
            + [16, 32, 64].map(definition).joined(separator: "\n")
    }

    /// A device module's `use` of the wrappers it declares fields with, re-exported so that
    /// `net::Le16` names the same type as `le::Le16` and `blk::Le16`.
    static func imports(_ widths: [Int]) -> String {
        switch widths.count {
        case 0: ""
        case 1: "pub use super::le::Le\(widths[0]);\n\n"
        default: "pub use super::le::{" + widths.map { "Le\($0)" }.joined(separator: ", ") + "};\n\n"
        }
    }

    private static func definition(bits: Int) -> String {
        let name = "Le\(bits)", raw = "u\(bits)", bytes = bits / 8
        return """
            /// A little-endian `\(raw)` as the device's configuration holds it: `get` and `set` convert.
            #[repr(transparent)]
            #[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
            pub struct \(name)([u8; \(bytes)]);

            impl \(name) {
                /// The device's bytes for `value`.
                pub const fn new(value: \(raw)) -> Self {
                    Self(value.to_le_bytes())
                }

                /// The value, in the machine's order.
                pub const fn get(self) -> \(raw) {
                    \(raw)::from_le_bytes(self.0)
                }

                /// Stores `value` in the device's order.
                pub fn set(&mut self, value: \(raw)) {
                    self.0 = value.to_le_bytes();
                }
            }

            impl From<\(raw)> for \(name) {
                fn from(value: \(raw)) -> Self {
                    Self::new(value)
                }
            }

            impl From<\(name)> for \(raw) {
                fn from(value: \(name)) -> Self {
                    value.get()
                }
            }

            impl core::fmt::Debug for \(name) {
                fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    core::fmt::Debug::fmt(&self.get(), formatter)
                }
            }

            impl core::fmt::Display for \(name) {
                fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    core::fmt::Display::fmt(&self.get(), formatter)
                }
            }

            """
    }

    /// `from_bytes`, `as_bytes` and `zeroed` for the configuration struct, whose only unsafe code
    /// is here: every field is bytes, so any bit pattern is a valid value and there is no padding
    /// (the size assertion below the struct holds it to that).
    static func byteConversions(typeName: String) -> String {
        """
        impl \(typeName) {
            /// All zeros.
            pub const fn zeroed() -> Self {
                // SAFETY: every field is bytes (alignment 1, any bit pattern valid); the sizes match.
                unsafe { core::mem::transmute::<[u8; CONFIG_SIZE], Self>([0; CONFIG_SIZE]) }
            }

            /// The configuration from the device's bytes, as many as it has: bytes past them read as
            /// zero, and bytes past [`CONFIG_SIZE`] are ignored.
            pub fn from_bytes(bytes: &[u8]) -> Self {
                let mut all = [0u8; CONFIG_SIZE];
                let count = bytes.len().min(CONFIG_SIZE);
                all[..count].copy_from_slice(&bytes[..count]);
                // SAFETY: as in `zeroed`.
                unsafe { core::mem::transmute::<[u8; CONFIG_SIZE], Self>(all) }
            }

            /// The configuration's bytes, in the device's order.
            pub fn as_bytes(&self) -> &[u8; CONFIG_SIZE] {
                // SAFETY: the struct is exactly CONFIG_SIZE bytes with alignment 1 and no padding.
                unsafe { &*(self as *const Self as *const [u8; CONFIG_SIZE]) }
            }
        }


        """
    }
}
