import ConfigLayout
import Foundation
import TestSupport
@testable import VirtioHost

/// The guest image the guest tests boot, built once per run into the repository's git-ignored
/// .cache/guest (or CFGSPACE_GUEST_CACHE): a missing or stale cache is rebuilt from Debian's packages.
enum GuestFixture {
    static let cache = ProcessInfo.processInfo.environment["CFGSPACE_GUEST_CACHE"]
        ?? PackagePaths.root.appendingPathComponent(".cache/guest").path

    static let image: Result<GuestImage, HostError> = Result { () throws(HostError) in try GuestImage.ensure(cache: cache) }

    /// Whether the guest tests can run: QEMU, and an image (built now if need be).
    static var isAvailable: Bool {
        guard QEMUAvailability.isInstalled, case .success = image else { return false }
        return true
    }

    static func get() throws -> GuestImage { try image.get() }

    /// The built-in blk layout as of the newest spec.
    static func blk() throws -> (path: String, device: Device) {
        let builtin = try ProbeTarget.builtinLayout(forID: 2, likely: "blk")
        return (builtin.path, builtin.device.asOf(nil))
    }
}
