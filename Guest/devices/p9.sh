# 9pnet_virtio: the mount tag the driver registered, as its sysfs attribute holds it (the tag, cut at
# its first NUL, and the NUL: p9_mount_tag_show), and a mount of that tag (9p2000.L over virtio) with
# the first line of the shared file cfgspace.expected names.
report_p9() {
    local device attribute line
    report_device p9 0x0009 9pnet_virtio 100 || return
    attribute=/sys/bus/virtio/drivers/9pnet_virtio/$device/mount_tag
    if [ ! -r "$attribute" ]; then
        say p9.mount_tag.missing=1
        return
    fi
    say "p9.mount_tag=$(tr -d '\000' < "$attribute")"
    say "p9.mount_tag_bytes=$(wc -c < "$attribute" | tr -d ' ')"
    mkdir -p /mnt/9p
    if mount -t 9p -o trans=virtio,version=9p2000.L "$(tr -d '\000' < "$attribute")" /mnt/9p 2>/dev/null; then
        read -r line < /mnt/9p/cfgspace 2>/dev/null
        say "p9.mounted=${line:-empty}"
        umount /mnt/9p
    else
        say p9.mounted=failed
    fi
    kernel_lines 9pnet_virtio | while read -r line; do say "p9.dmesg=$line"; done
}
