import Testing
@testable import ConfigLayout
@testable import VirtioModel

/// The model of Linux 6.1's virtio_crypto on configurations built by hand, each expectation worked
/// out from drivers/crypto/virtio/virtio_crypto_core.c `virtcrypto_probe`, `virtcrypto_update_status`
/// and virtio_crypto_mgr.c `virtcrypto_algo_is_supported`.
@Suite struct CryptoDriverTests {
    /// cryptodev-backend-builtin's config (backends/cryptodev-builtin.c `cryptodev_builtin_init`).
    static let builtin: [(String, UInt64)] = [
        ("status", 1), ("max_dataqueues", 1), ("crypto_services", 0x17), ("cipher_algo_l", 0x8), ("hash_algo", 0x4),
        ("max_cipher_key_len", 64), ("max_auth_key_len", 512), ("akcipher_algo", 0x2), ("max_size", 0x7fff_ffff_ffff_ffe7),
    ]

    private func probe(_ values: [(String, UInt64)], features: String = "VERSION_1",
                       changed: [(String, UInt64)]? = nil) throws -> DriverPrediction {
        try LinuxDriverHarness.predict("crypto", offering: features, values: values, changed: changed)
    }

    private func with(_ overrides: [(String, UInt64)]) -> [(String, UInt64)] {
        Self.builtin.filter { value in !overrides.contains { $0.0 == value.0 } } + overrides
    }

    @Test func theBuiltinBackendRegistersThreeAlgorithms() throws {
        let prediction = try probe(Self.builtin)
        #expect(prediction.failure == nil)
        let view = prediction.view.texts
        #expect(view["algorithms"] == "virtio-crypto-rsa,virtio-pkcs1-rsa,virtio_crypto_aes_cbc")
        #expect(view["ready"] == "yes")
        #expect(view["max_queues"] == "1")
        #expect(view["max_size"] == "0x7fffffffffffffe7")
        #expect(prediction.view.log == [
            "max_queues: 1, max_cipher_key_len: 64, max_auth_key_len: 512, max_size 0x7fffffffffffffe7",
            "will run requests pump with realtime priority", "Registered algo cbc(aes)", "Registered akcipher algo rsa",
            "Registered akcipher algo pkcs1pad(rsa)", "Accelerator device is ready",
        ])
    }

    /// Not in offset order, max_size in two 32-bit halves, status last and after DRIVER_OK.
    @Test func theReadOrderIsTheDriversOwn() throws {
        let prediction = try probe(Self.builtin)
        let reads = prediction.trace.compactMap { entry -> Int? in
            if case .configRead(let offset, _, _, _, _) = entry.event { return offset }
            return nil
        }
        #expect(reads == [4, 36, 40, 48, 52, 8, 12, 16, 20, 24, 28, 32, 44, 0])
        let okAt = try #require(LinuxDriverHarness.driverOKIndex(prediction.trace))
        let statusAt = try #require(prediction.trace.firstIndex {
            if case .configRead(0, _, _, _, _) = $0.event { true } else { false }
        })
        #expect(statusAt > okAt)
        #expect(prediction.negotiated == (try LinuxDriverHarness.device("crypto").parseFeatures("VERSION_1").get()))
    }

    @Test func akcipherAlgoIsReadOnlyWithTheAkcipherService() throws {
        let prediction = try probe(with([("crypto_services", 0x1)]))
        #expect(!prediction.reads.contains { $0.field == "akcipher_algo" })
        #expect(prediction.view.texts["algorithms"] == "virtio_crypto_aes_cbc")
    }

    @Test func masksDecideEachAlgorithm() throws {
        // AES_CBC is algorithm 3, in the low word: a bit in cipher_algo_h does not count.
        let high = try probe(with([("cipher_algo_l", 0), ("cipher_algo_h", 0x8), ("crypto_services", 0x1)]))
        #expect(high.view.texts["algorithms"] == "none")
        #expect(high.view.log.last == "Accelerator device is ready")
        // The service bit is needed as well as the algorithm bit.
        let noCipher = try probe(with([("crypto_services", 0x10)]))
        #expect(noCipher.view.texts["algorithms"] == "virtio-crypto-rsa,virtio-pkcs1-rsa")
    }

    @Test func zeroQueuesBecomeOneAndNoStatusMeansNoAlgorithms() throws {
        let prediction = try probe(with([("max_dataqueues", 0), ("status", 0)]))
        #expect(prediction.failure == nil)
        #expect(prediction.view.texts["max_queues"] == "1")
        #expect(prediction.view.texts["ready"] == "no")
        #expect(prediction.view.texts["algorithms"] == "none")
        #expect(!prediction.view.log.contains { $0.hasPrefix("Accelerator") })
    }

    @Test func unknownStatusBitsFailTheProbe() throws {
        let prediction = try probe(with([("status", 3)]))
        #expect(prediction.failure == "Unknown status bits: 0x3")
        #expect(prediction.view.log.suffix(2) == ["Unknown status bits: 0x3", "virtio_crypto: probe of virtioN failed with error -1"])
    }

    @Test func noDeviceFeatureIsEverTaken() throws {
        let prediction = try probe(Self.builtin, features: "REVISION_1,CIPHER_STATELESS_MODE,VERSION_1")
        let device = try LinuxDriverHarness.device("crypto")
        #expect(prediction.negotiated == (try device.parseFeatures("VERSION_1").get()))
    }

    /// A config change reads status alone, and registers or unregisters by it.
    @Test func statusChangesRegisterAndUnregister() throws {
        let up = try probe(with([("status", 0)]), changed: [("status", 1)])
        #expect(up.reads.filter { $0.stage == "config changed" }.map(\.field) == ["status"])
        #expect(up.view.texts["ready"] == "yes")
        #expect(up.view.texts["algorithms"] == "virtio-crypto-rsa,virtio-pkcs1-rsa,virtio_crypto_aes_cbc")
        let down = try probe(Self.builtin, changed: [("status", 0)])
        #expect(down.view.texts["algorithms"] == "none")
        #expect(down.view.log.last == "Accelerator is not ready")
        let same = try probe(Self.builtin, changed: [("max_dataqueues", 4)])
        #expect(same.view.texts["max_queues"] == "1", "only status is read again")
        #expect(same.view.log.last == "Accelerator device is ready")
    }

    @Test func simulateRunsTheModelOnQEMUsDefaults() throws {
        let outcome = try linuxOutcome("crypto")
        #expect(outcome.view["algorithms"] == .text("virtio-crypto-rsa,virtio-pkcs1-rsa,virtio_crypto_aes_cbc"))
    }
}
