import Foundation

/// What DPDK's testpmd said in the vDPA guest, from the lines its init keeps: the virtio PMD's debug
/// log (`virtio_ethdev_negotiate_features`: "guest_features before negotiate = ...", "host_features
/// before negotiate = ...", "features after negotiate = ..."), virtio-user's ("set features: 0x..."),
/// `show port info` ("MAC address:", "Link status:", "MTU:"), and each `port config mtu 0 N` with the
/// ethdev or PMD line that refused it.
///
/// testpmd's own printf output reaches the console only when it exits (its stdout is a file, so
/// fully buffered), after the echoed commands; the log lines (ethdev's and the PMD's) come as they
/// happen. So each MTU's verdict comes from the log lines after its command, and `show port info`'s
/// values in order: the first before any MTU was set, the last after.
struct TestpmdLog: Sendable, Equatable {
    struct Attempt: Sendable, Equatable {
        let mtu: Int
        let accepted: Bool
        /// The line that refused it; empty when it was taken.
        let reason: String
    }

    var requested: UInt64?
    var offered: UInt64?
    var negotiated: UInt64?
    /// What virtio-user handed vhost-vdpa (VHOST_SET_FEATURES, before its ACCESS_PLATFORM).
    var virtioUserFeatures: UInt64?
    var macs: [String] = []
    var links: [String] = []
    var mtus: [Int] = []
    var attempts: [Attempt] = []
    /// "Cause: ..." when testpmd gave up.
    var failure: String?

    /// The lines that refuse an MTU: ethdev's `eth_dev_validate_mtu`, the PMD's `virtio_mtu_set` and
    /// `virtio_check_scatter_on_all_rx_queues`, and testpmd's `port_mtu_set`.
    static let refusals = ["MTU (", "MTU should be", "Frame size", "MTU check for", "Set MTU failed"]

    init(_ lines: [String]) {
        var attempt: (mtu: Int, reason: String)?
        func close() {
            if let open = attempt { attempts.append(Attempt(mtu: open.mtu, accepted: open.reason.isEmpty, reason: open.reason)) }
            attempt = nil
        }
        // testpmd's echo of each command ends in a carriage return of its own.
        for line in lines.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) {
            if line.hasPrefix("testpmd> ") {
                close()
                let command = line.dropFirst("testpmd> ".count)
                if command.hasPrefix("port config mtu 0 "), let mtu = Int(command.dropFirst("port config mtu 0 ".count)) {
                    attempt = (mtu, "")
                }
                continue
            }
            if var open = attempt, open.reason.isEmpty, Self.refusals.contains(where: { line.contains($0) }) {
                open.reason = Self.withoutFunction(line)
                attempt = open
            }
            if let value = Self.hex(after: "guest_features before negotiate = ", in: line) { requested = value }
            if let value = Self.hex(after: "host_features before negotiate = ", in: line) { offered = value }
            if let value = Self.hex(after: "features after negotiate = ", in: line) { negotiated = value }
            if let value = Self.hex(after: "set features: ", in: line) { virtioUserFeatures = value }
            if let value = Self.text(after: "MAC address: ", in: line) { macs.append(value.lowercased()) }
            if let value = Self.text(after: "Link status: ", in: line) { links.append(value) }
            if line.hasPrefix("MTU: "), let value = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces)) { mtus.append(value) }
            if let value = Self.text(after: "Cause: ", in: line) { failure = value }
        }
        close()
    }

    /// "virtio_mtu_set(): MTU should be ..." without the function.
    private static func withoutFunction(_ line: String) -> String {
        guard let range = line.range(of: "(): ") else { return line }
        return String(line[range.upperBound...])
    }

    private static func text(after marker: String, in line: String) -> String? {
        guard let range = line.range(of: marker) else { return nil }
        return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
    }

    private static func hex(after marker: String, in line: String) -> UInt64? {
        text(after: marker, in: line).flatMap { UInt64(hexadecimal: $0) }
    }
}
