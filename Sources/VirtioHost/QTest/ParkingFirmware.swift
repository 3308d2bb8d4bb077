import Foundation

/// A 64 KiB PC firmware that parks the CPU: at the reset vector (0xffff0, the last 16 bytes of the
/// image) it disables interrupts and halts, forever. With it the machine runs, as a vhost-user
/// device needs before it starts, while nothing but qtest touches the buses. It is written to a
/// private temporary folder for each machine, never shipped.
enum ParkingFirmware {
    /// The image: `hlt` everywhere, and `cli; hlt; jmp $-1` at the reset vector.
    static var image: [UInt8] {
        var bytes = [UInt8](repeating: 0xf4, count: 65536)
        bytes.replaceSubrange(0xfff0..<0xfff4, with: [0xfa, 0xf4, 0xeb, 0xfd])
        return bytes
    }

    /// The image, written to a fresh temporary folder: the folder (which goes with it) and the file.
    static func write() throws(HostError) -> (folder: TemporaryFolder, path: String) {
        let folder = try TemporaryFolder(prefix: "cfgspace-firmware")
        let file = folder.file("park.bin")
        do {
            try Data(image).write(to: URL(fileURLWithPath: file))
        } catch {
            throw HostError(.system, "cannot write the parking firmware to \(folder.path): \(error.localizedDescription)")
        }
        return (folder, file)
    }
}
