/// virtio-scsi as QEMU presents it (virtio-scsi-pci), with a 1 GiB scsi-hd on a null-co drive
/// behind it so that a disk shows the queue limits the host's max_sectors, seg_max and cmd_per_lun
/// give. The disk goes on the controller's bus, the only SCSI bus the guest machine has.
enum SCSIGuestDevice {
    static let device = GuestDevice(
        name: "scsi",
        presentation: .qemu(defaultDevice: "virtio-scsi-pci", backend: { _, id in
            QEMUBackend(arguments: ["-blockdev", "driver=null-co,node-name=\(id)-disk,size=1073741824,read-zeroes=on",
                                    "-device", "scsi-hd,drive=\(id)-disk"])
        }))
}
