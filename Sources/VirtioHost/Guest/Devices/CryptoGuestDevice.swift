/// virtio-crypto as QEMU presents it over its built-in backend (`-object cryptodev-backend-builtin`,
/// `virtio-crypto-pci,cryptodev=...`), read by virtio_crypto in Debian's generic kernel: the
/// algorithms it registers, as /proc/crypto lists them, and the limits its probe line prints. The
/// built-in backend takes one queue only, and no property of either changes the config.
enum CryptoGuestDevice {
    static let device = GuestDevice(
        name: "crypto", kernel: .generic,
        presentation: .qemu(defaultDevice: "virtio-crypto-pci", backend: { _, id in
            QEMUBackend(arguments: ["-object", "cryptodev-backend-builtin,id=\(id)-backend"], properties: ["cryptodev=\(id)-backend"])
        }))
}
