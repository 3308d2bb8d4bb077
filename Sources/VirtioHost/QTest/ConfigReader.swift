import ConfigLayout

/// Reads a device configuration the way the spec lets a driver (virtio 1.4, 4.1.3.1): each field
/// with accesses of its own width, aligned ("16-bit wide and aligned accesses for 16-bit wide fields
/// and 32-bit wide and aligned accesses for 32-bit and 64-bit wide fields"), one byte at a time
/// elsewhere.
struct ConfigReader {
    let registers: any VirtioRegisters

    /// One access a read makes.
    struct Access: Sendable, Equatable {
        let offset: Int
        let width: Int
    }

    /// The accesses that read `0..<count` under `layout`'s field placement.
    static func accesses(count: Int, layout: Layout?) -> [Access] {
        var widthAt: [Int: Int] = [:]
        for placed in layout?.fields ?? [] {
            guard let offset = placed.offset else { continue }
            let element: Int = switch placed.field.type {
            case .scalar(let scalar), .array(let scalar, _): min(scalar.size, 4)
            case .chars, .flexible, .aggregate: 1
            }
            for start in stride(from: offset, to: offset + placed.size, by: element) where widthAt[start] == nil {
                widthAt[start] = element
            }
        }
        var result: [Access] = []
        var position = 0
        while position < count {
            if let width = widthAt[position], width > 1, position % width == 0, position + width <= count {
                result.append(Access(offset: position, width: width))
                position += width
            } else {
                result.append(Access(offset: position, width: 1))
                position += 1
            }
        }
        return result
    }

    /// The bytes at `0..<count`.
    func read(count: Int, layout: Layout?) throws(HostError) -> [UInt8] {
        try registers.readConfig(Self.accesses(count: count, layout: layout).map { ($0.offset, $0.width) })
    }

    /// Reads past `length` at every width the transport has, each access wholly past it: what a
    /// driver that reads too far gets.
    func readPastEnd(_ length: Int) throws(HostError) -> [(offset: Int, width: Int, bytes: [UInt8])] {
        var accesses: [(offset: Int, width: Int)] = []
        for width in [1, 2, 4] {
            let first = (length + width - 1) / width * width
            for offset in stride(from: first, to: first + 2 * width, by: width) where offset + width <= registers.configWindow {
                accesses.append((offset, width))
            }
        }
        var bytes = try registers.readConfig(accesses)[...]
        return accesses.map { access in
            defer { bytes = bytes.dropFirst(access.width) }
            return (access.offset, access.width, Array(bytes.prefix(access.width)))
        }
    }
}
