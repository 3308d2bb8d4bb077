/// Linux's `string_get_size` (lib/string_helpers.c, as of 6.1): a size of `count` blocks of
/// `blockSize` bytes as three significant figures and a unit, `1.07 GB` or `1.00 GiB`, computed the
/// kernel's way (Napier's reduction, a truncated remainder, a rounding digit), so the kernel log
/// lines a model predicts match the guest's to the character.
enum KernelSizeString {
    enum Units {
        case decimal, binary

        var divisor: UInt64 { self == .decimal ? 1000 : 1024 }
        var names: [String] {
            self == .decimal ? ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
                : ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
        }
    }

    static func format(_ count: UInt64, blockSize: UInt64, _ units: Units) -> String {
        var size = blockSize == 0 ? 0 : count
        var blocks = blockSize
        var exponent = 0
        var remainder: UInt64 = 0
        var fraction = ""
        if size != 0 {
            // Reduce both factors below 2^32 so that their product fits in 64 bits.
            while blocks >> 32 != 0 {
                blocks /= units.divisor
                exponent += 1
            }
            while size >> 32 != 0 {
                size /= units.divisor
                exponent += 1
            }
            size &*= blocks
            while size >= units.divisor {
                remainder = size % units.divisor
                size /= units.divisor
                exponent += 1
            }
            // How many digits of the remainder three significant figures need.
            var digits = 0
            var capped = UInt32(truncatingIfNeeded: size)
            while capped != 0 && capped &* 10 < 1000 {
                capped &*= 10
                digits += 1
            }
            if units == .binary { remainder = (remainder * 1000) >> 10 }
            remainder += [500, 50, 5][min(digits, 2)]
            if remainder >= 1000 {
                remainder -= 1000
                size += 1
            }
            if digits > 0 {
                let three = String(remainder)
                fraction = "." + String((String(repeating: "0", count: max(0, 3 - three.count)) + three).prefix(digits))
            }
        }
        let unit = exponent < units.names.count ? units.names[exponent] : "UNK"
        // The caller's buffer holds ten bytes: nine characters and the terminator.
        return String("\(UInt32(truncatingIfNeeded: size))\(fraction) \(unit)".prefix(9))
    }
}
