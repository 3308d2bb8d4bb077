import VirtioModel

/// A PCI function reached through the PC's configuration mechanism #1 (ports 0xcf8/0xcfc), as
/// libqos does it (tests/qtest/libqos/pci-pc.c): its configuration space, its BARs sized and given
/// addresses, and its capability list.
public final class PCIFunction {
    public struct Address: Sendable, Equatable, CustomStringConvertible {
        public let bus: Int
        public let slot: Int
        public let function: Int

        public init(bus: Int = 0, slot: Int, function: Int) {
            self.bus = bus
            self.slot = slot
            self.function = function
        }

        /// `00:02.0`.
        public var description: String {
            String(format: "%02x:%02x.%x", bus, slot, function)
        }
    }

    /// A BAR as sized and placed.
    public struct BAR: Sendable, Equatable {
        public enum Kind: String, Sendable { case io, memory32, memory64 }
        public let index: Int
        public let kind: Kind
        public let size: UInt64
        public let address: UInt64
    }

    /// A capability in the list: its ID and where it sits in configuration space.
    public struct Capability: Sendable, Equatable {
        public let id: UInt8
        public let offset: Int
    }

    let qtest: QTestClient
    public let address: Address
    /// BARs once `assignBARs` has run, by index.
    public private(set) var bars: [Int: BAR] = [:]

    init(qtest: QTestClient, address: Address) {
        self.qtest = qtest
        self.address = address
    }

    // MARK: - Configuration space

    private func select(_ offset: Int) throws(HostError) {
        let value = 0x8000_0000 | UInt32(address.bus) << 16 | UInt32(address.slot) << 11 | UInt32(address.function) << 8
            | UInt32(offset & 0xfc)
        try qtest.portWrite(4, 0xcf8, value)
    }

    public func configRead(_ width: Int, _ offset: Int) throws(HostError) -> UInt32 {
        try select(offset)
        return try qtest.portRead(width, 0xcfc + UInt16(offset & 3))
    }

    public func configWrite(_ width: Int, _ offset: Int, _ value: UInt32) throws(HostError) {
        try select(offset)
        try qtest.portWrite(width, 0xcfc + UInt16(offset & 3), value)
    }

    public var vendorID: UInt16 { get throws(HostError) { UInt16(try configRead(2, 0x00)) } }
    public var deviceID: UInt16 { get throws(HostError) { UInt16(try configRead(2, 0x02)) } }
    public var revision: UInt8 { get throws(HostError) { UInt8(try configRead(1, 0x08)) } }
    public var subsystemVendorID: UInt16 { get throws(HostError) { UInt16(try configRead(2, 0x2c)) } }
    public var subsystemID: UInt16 { get throws(HostError) { UInt16(try configRead(2, 0x2e)) } }

    // MARK: - BARs

    /// Dword accesses to configuration space, pipelined: a write stores `value`, a read (value nil)
    /// returns what it found. Results hold the reads, in order.
    func configDwords(_ accesses: [(offset: Int, value: UInt32?)]) throws(HostError) -> [UInt32] {
        var lines: [String] = []
        for access in accesses {
            let select = 0x8000_0000 | UInt32(address.bus) << 16 | UInt32(address.slot) << 11
                | UInt32(address.function) << 8 | UInt32(access.offset & 0xfc)
            lines.append("outl 0xcf8 0x" + String(select, radix: 16))
            lines.append(access.value.map { "outl 0xcfc 0x" + String($0, radix: 16) } ?? "inl 0xcfc")
        }
        let replies = try qtest.pipeline(lines)
        var values: [UInt32] = []
        for (index, access) in accesses.enumerated() where access.value == nil {
            let words = replies[2 * index + 1]
            guard words.count == 1, let value = QTestClient.parseNumber(words[0]), value <= UInt64(UInt32.max) else {
                throw HostError(.protocolViolation, "qtest answered a configuration read of \(address) with '\(words.joined(separator: " "))'")
            }
            values.append(UInt32(value))
        }
        return values
    }

    /// The whole 256-byte configuration space, in one exchange.
    public func configSnapshot() throws(HostError) -> [UInt8] {
        try configDwords(stride(from: 0, to: 256, by: 4).map { ($0, nil) }).flatMap { dword in
            (0..<4).map { UInt8(truncatingIfNeeded: dword >> (8 * $0)) }
        }
    }

    /// Sizes every BAR by writing all ones and reading the mask back, then gives each one an
    /// address from `allocator`, aligned to its size; enables I/O, memory and bus mastering. Three
    /// exchanges: the originals, the masks, then the restored and assigned values.
    public func assignBARs(_ allocator: PCIAllocator) throws(HostError) {
        let offsets = (0..<6).map { 0x10 + 4 * $0 }
        let originals = try configDwords(offsets.map { ($0, nil) })
        let masks = try configDwords(offsets.map { ($0, 0xffff_ffff) } + offsets.map { ($0, nil) })
        var writes: [(offset: Int, value: UInt32?)] = zip(offsets, originals).map { ($0, $1) }
        var index = 0
        while index < 6 {
            let offset = offsets[index]
            let mask = masks[index]
            if mask == 0 {
                index += 1
                continue
            }
            if mask & 1 == 1 {
                let size = UInt64(~(mask & 0xffff_fffc) & 0xffff) + 1
                let base = try allocator.io(size: size)
                writes.append((offset, UInt32(base)))
                bars[index] = BAR(index: index, kind: .io, size: size, address: base)
                index += 1
                continue
            }
            let is64 = (mask >> 1) & 3 == 2
            var fullMask = UInt64(mask & 0xffff_fff0)
            if is64 {
                guard index < 5 else { throw HostError(.protocolViolation, "\(address): 64-bit BAR \(index) has no upper half") }
                fullMask |= UInt64(masks[index + 1]) << 32
            } else {
                fullMask |= 0xffff_ffff_0000_0000
            }
            let size = ~fullMask &+ 1
            guard size != 0, size & (size - 1) == 0 else {
                throw HostError(.protocolViolation, "\(address): BAR \(index) reads back mask 0x\(String(fullMask, radix: 16)), "
                                + "not a power-of-two size")
            }
            let base = try allocator.memory(size: size)
            writes.append((offset, UInt32(truncatingIfNeeded: base)))
            if is64 { writes.append((offset + 4, UInt32(truncatingIfNeeded: base >> 32))) }
            bars[index] = BAR(index: index, kind: is64 ? .memory64 : .memory32, size: size, address: base)
            index += is64 ? 2 : 1
        }
        let command = try configDwords([(0x04, nil)])[0]
        // Command register: I/O space, memory space, bus master (the status half ignores writes of 0).
        writes.append((0x04, (command & 0xffff) | 0x7))
        _ = try configDwords(writes)
    }

    // MARK: - Capabilities

    /// The capability list, from one snapshot of configuration space, followed with a bound so a
    /// looping list cannot hang the walk.
    public func capabilities() throws(HostError) -> [Capability] {
        try Self.capabilities(in: try configSnapshot(), address: address)
    }

    static func capabilities(in space: [UInt8], address: Address) throws(HostError) -> [Capability] {
        guard space.count >= 256, LittleEndian.value(space[6..<8]) & 0x10 != 0 else { return [] }
        var result: [Capability] = []
        var pointer = Int(space[0x34]) & 0xfc
        while pointer >= 0x40 && pointer < 0x100 {
            guard result.count < 48, !result.contains(where: { $0.offset == pointer }) else {
                throw HostError(.protocolViolation, "\(address): the capability list loops at 0x\(String(pointer, radix: 16))")
            }
            result.append(Capability(id: space[pointer], offset: pointer))
            pointer = Int(space[pointer + 1]) & 0xfc
        }
        return result
    }

    /// Enables MSI-X (message control bit 15), which moves the legacy device configuration from
    /// offset 20 to 24 of I/O BAR 0. Returns false when the function has no MSI-X capability.
    public func enableMSIX() throws(HostError) -> Bool {
        guard let msix = try capabilities().first(where: { $0.id == 0x11 }) else { return false }
        let control = try configRead(2, msix.offset + 2)
        try configWrite(2, msix.offset + 2, control | 0x8000)
        return true
    }

    // MARK: - BAR access

    /// Where an access into a BAR lands: a memory address or an I/O port.
    func location(bar index: Int, _ offset: Int, width: Int) throws(HostError) -> (address: UInt64, port: Bool) {
        let bar = try self.bar(index, offset, width)
        return (bar.address + UInt64(offset), bar.kind == .io)
    }

    /// One access of `width` bytes at `offset` into a BAR.
    public func read(bar index: Int, _ offset: Int, width: Int) throws(HostError) -> UInt64 {
        let bar = try self.bar(index, offset, width)
        switch bar.kind {
        case .io: return UInt64(try qtest.portRead(width, UInt16(truncatingIfNeeded: bar.address) &+ UInt16(offset)))
        case .memory32, .memory64: return try qtest.memoryRead(width, bar.address + UInt64(offset))
        }
    }

    public func write(bar index: Int, _ offset: Int, width: Int, _ value: UInt64) throws(HostError) {
        let bar = try self.bar(index, offset, width)
        switch bar.kind {
        case .io: try qtest.portWrite(width, UInt16(truncatingIfNeeded: bar.address) &+ UInt16(offset), UInt32(truncatingIfNeeded: value))
        case .memory32, .memory64: try qtest.memoryWrite(width, bar.address + UInt64(offset), value)
        }
    }

    private func bar(_ index: Int, _ offset: Int, _ width: Int) throws(HostError) -> BAR {
        guard let bar = bars[index] else { throw HostError(.protocolViolation, "\(address) has no BAR \(index)") }
        guard offset >= 0, UInt64(offset) + UInt64(width) <= bar.size else {
            throw HostError(.protocolViolation, "\(address): offset \(offset) (\(width) bytes) lies outside BAR \(index) "
                            + "(\(bar.size) bytes)")
        }
        return bar
    }
}

/// Hands out BAR addresses the way libqos's pci-pc.c does: I/O from 0xc000, memory from 0xe0000000
/// up to 4 GiB, each aligned to its size.
public final class PCIAllocator {
    private var nextIO: UInt64 = 0xc000
    private var nextMemory: UInt64 = 0xe000_0000
    private let ioLimit: UInt64 = 0x1_0000
    private let memoryLimit: UInt64 = 0x1_0000_0000

    public init() {}

    func io(size: UInt64) throws(HostError) -> UInt64 {
        let base = (nextIO + size - 1) / size * size
        guard base + size <= ioLimit else { throw HostError(.system, "no I/O space left for a \(size)-byte BAR") }
        nextIO = base + size
        return base
    }

    func memory(size: UInt64) throws(HostError) -> UInt64 {
        let alignment = max(size, 4096)
        let base = (nextMemory + alignment - 1) / alignment * alignment
        guard base + size <= memoryLimit else { throw HostError(.system, "no memory space left for a \(size)-byte BAR") }
        nextMemory = base + size
        return base
    }
}
