import ConfigLayout

/// Linux 6.1's virtio_crypto (drivers/crypto/virtio/virtio_crypto_core.c `virtcrypto_probe`,
/// `virtcrypto_update_status`; virtio_crypto_mgr.c `virtcrypto_algo_is_supported`, `virtcrypto_dev_start`),
/// as in Debian's 6.1.192: no device feature is ever negotiated; the limits and algorithm masks are
/// read before DRIVER_OK, not in offset order, akcipher_algo only when crypto_services has AKCIPHER;
/// status is read after DRIVER_OK and again on each config change, and HW_READY registers the
/// algorithms the masks allow (cbc(aes), rsa, pkcs1pad(rsa)), which /proc/crypto then lists.
struct LinuxCryptoDriver: DriverModel {
    static let kind = DriverKind(
        name: "linux-6.1", layout: "crypto",
        summary: "Linux 6.1's virtio_crypto: limits and masks before DRIVER_OK, status after it; HW_READY registers "
            + "cbc(aes) and RSA by the masks",
        follows: "drivers/crypto/virtio/virtio_crypto_core.c `virtcrypto_probe`, `virtcrypto_update_status`; "
            + "virtio_crypto_mgr.c `virtcrypto_algo_is_supported`",
        fields: ["status", "max_dataqueues", "crypto_services", "cipher_algo_l", "cipher_algo_h", "hash_algo", "mac_algo_l",
                 "mac_algo_h", "aead_algo", "max_cipher_key_len", "max_auth_key_len", "akcipher_algo", "max_size"],
        isReference: true, make: { LinuxCryptoDriver() })

    /// One algorithm the driver can register, with the service and algorithm bit it needs.
    struct Algorithm: Sendable {
        let name: String
        /// Its `cra_driver_name`, as /proc/crypto's `driver` line shows it.
        let driver: String
        let service: UInt32
        let algorithm: UInt32
        let logPrefix: String
    }

    /// virtio_crypto_skcipher_algs.c l.573-600 (AES_CBC = 3, CIPHER = 0) and
    /// virtio_crypto_akcipher_algs.c l.471-517 (RSA = 1, AKCIPHER = 4), in registration order. The last
    /// is Debian's 6.1.192 name: "crypto: virtio - Drop sign/verify operations" (6.1.191) renamed
    /// v6.1's `pkcs1pad(rsa,sha1)` / `virtio-pkcs1-rsa-with-sha1`.
    static let algorithms = [
        Algorithm(name: "cbc(aes)", driver: "virtio_crypto_aes_cbc", service: 0, algorithm: 3, logPrefix: "Registered algo"),
        Algorithm(name: "rsa", driver: "virtio-crypto-rsa", service: 4, algorithm: 1, logPrefix: "Registered akcipher algo"),
        Algorithm(name: "pkcs1pad(rsa)", driver: "virtio-pkcs1-rsa", service: 4, algorithm: 1,
                  logPrefix: "Registered akcipher algo"),
    ]

    /// VIRTIO_CRYPTO_S_HW_READY.
    static let hardwareReady: UInt64 = 1

    /// What the probe read, as `struct virtio_crypto` keeps it.
    struct Masks {
        var services: UInt32 = 0
        var cipherLow: UInt32 = 0
        var cipherHigh: UInt32 = 0
        var hash: UInt32 = 0
        var macLow: UInt32 = 0
        var macHigh: UInt32 = 0
        var aead: UInt32 = 0
        var akcipher: UInt32 = 0

        /// `virtcrypto_algo_is_supported`: the service bit, then the algorithm bit in its mask; numbers
        /// past 31 use the `_h` word for cipher and MAC, and the same word, less 32, for the others.
        func supports(service: UInt32, algorithm: UInt32) -> Bool {
            guard service < 32, services & (1 << service) != 0 else { return false }
            let low = algorithm <= 31
            let bit = low ? algorithm : algorithm - 32
            let mask: UInt32 = switch service {
            case 0: low ? cipherLow : cipherHigh
            case 1: hash
            case 2: low ? macLow : macHigh
            case 3: aead
            case 4: akcipher
            default: 0
            }
            return bit < 32 && mask & (1 << bit) != 0
        }
    }

    func probe(_ session: DriverSession) -> DriverResult {
        // No feature table: `features[]` is empty, so REVISION_1 and the stateless bits are never taken.
        let core = LinuxVirtioCore.negotiate(session, table: [])
        if let refusal = core.refusal {
            return LinuxVirtioCore.failed(session, driver: "virtio_crypto", refusal, unsupported: core.unsupported)
        }
        session.stage = "virtcrypto_probe"
        guard session.has("VERSION_1") else {
            return LinuxVirtioCore.failed(session, driver: "virtio_crypto", reason: "virtcrypto_probe: no VERSION_1 (-ENODEV)",
                                          line: nil, errno: -19, unsupported: core.unsupported)
        }
        let read = { (field: String) in UInt32(truncatingIfNeeded: session.readLittleEndian(field)) }
        // l.378-405, in this order: virtio_cread_le each.
        let queues = max(read("max_dataqueues"), 1)
        let cipherKey = read("max_cipher_key_len")
        let authKey = read("max_auth_key_len")
        let maxSize = session.consistently { session.readLittleEndian("max_size") }
        var masks = Masks()
        masks.services = read("crypto_services")
        masks.cipherLow = read("cipher_algo_l")
        masks.cipherHigh = read("cipher_algo_h")
        masks.hash = read("hash_algo")
        masks.macLow = read("mac_algo_l")
        masks.macHigh = read("mac_algo_h")
        masks.aead = read("aead_algo")
        // The one read guarded by another field's value, not by a feature (spec 5.9.6.1: "based on
        // crypto_services").
        if masks.services & (1 << 4) != 0 { masks.akcipher = read("akcipher_algo") }
        var log = ["max_queues: \(queues), max_cipher_key_len: \(cipherKey), max_auth_key_len: \(authKey), "
                   + "max_size 0x\(String(maxSize, radix: 16))"]
        // virtcrypto_find_vqs: one data queue each ("dataq.N") and "controlq"; a crypto engine per data queue.
        session.note("virtcrypto_find_vqs asks for \(UInt64(queues) + 1) queues; only dataq.0 is used")
        log += Array(repeating: "will run requests pump with realtime priority", count: Int(min(queues, 64)))
        session.transport.addStatus(.driverOK)
        var view = DriverView()
        view.set("max_queues", UInt64(queues), from: ["max_dataqueues"])
        view.set("max_cipher_key_len", UInt64(cipherKey), from: ["max_cipher_key_len"])
        view.set("max_auth_key_len", UInt64(authKey), from: ["max_auth_key_len"])
        view.set("max_size", .text("0x" + String(maxSize, radix: 16)), from: ["max_size"])
        view.set("ready", .text("no"), from: ["status"])
        view.set("algorithms", .text("none"), from: ["crypto_services", "cipher_algo_l", "akcipher_algo"])
        view.log = log
        // l.453: virtcrypto_update_status after DRIVER_OK; an error fails the probe (engines cleared, reset).
        let update = Self.updateStatus(session, view: &view, cached: 0, masks: masks)
        if let failure = update {
            return LinuxVirtioCore.failed(session, driver: "virtio_crypto", reason: failure, line: nil, errno: -1,
                                          unsupported: core.unsupported, view: view)
        }
        return DriverResult(view: view, failure: nil, unsupported: core.unsupported)
    }

    /// From 6.1.61 (Debian's 6.1.192) `virtcrypto_config_changed` schedules `vcrypto_config_changed_work`,
    /// which runs `virtcrypto_update_status`: status alone is read again. (v6.1 ran it in the interrupt.)
    func configChanged(_ session: DriverSession, view: DriverView) -> DriverView {
        guard view["ready"] != nil else { return view }
        session.stage = "config changed"
        var view = view
        let masks = Self.masks(from: session)
        _ = Self.updateStatus(session, view: &view, cached: view["ready"] == .text("yes") ? Self.hardwareReady : 0,
                              masks: masks)
        return view
    }

    /// The masks as the probe kept them, from what it read.
    static func masks(from session: DriverSession) -> Masks {
        func last(_ field: String) -> UInt32 {
            UInt32(truncatingIfNeeded: session.reads.last { $0.field == field && $0.stage == "virtcrypto_probe" }?.value ?? 0)
        }
        return Masks(services: last("crypto_services"), cipherLow: last("cipher_algo_l"), cipherHigh: last("cipher_algo_h"),
                     hash: last("hash_algo"), macLow: last("mac_algo_l"), macHigh: last("mac_algo_h"),
                     aead: last("aead_algo"), akcipher: last("akcipher_algo"))
    }

    /// `virtcrypto_update_status` (virtio_crypto_core.c l.253-293): unknown bits break the device
    /// (-EPERM); an unchanged status does nothing; gaining HW_READY registers the algorithms
    /// (`virtcrypto_dev_start`), losing it unregisters them. Returns the failure, if any.
    static func updateStatus(_ session: DriverSession, view: inout DriverView, cached: UInt64, masks: Masks) -> String? {
        let status = session.readLittleEndian("status")
        if status & ~hardwareReady != 0 {
            let line = "Unknown status bits: 0x\(String(status, radix: 16))"
            view.log.append(line)
            session.note("virtio_break_device: the device is broken")
            return line
        }
        guard status != cached else { return nil }
        if status & hardwareReady != 0 {
            let registered = algorithms.filter { masks.supports(service: $0.service, algorithm: $0.algorithm) }
            view.log += registered.map { "\($0.logPrefix) \($0.name)" } + ["Accelerator device is ready"]
            view.set("ready", .text("yes"))
            view.set("algorithms", .text(registered.isEmpty ? "none" : registered.map(\.driver).sorted().joined(separator: ",")))
        } else {
            view.log.append("Accelerator is not ready")
            view.set("ready", .text("no"))
            view.set("algorithms", .text("none"))
        }
        return nil
    }
}
