# virtiofs: the tag as the guest mounts it (mount -t virtiofs TAG; /proc/mounts shows the source),
# the request queues as /proc/interrupts names their vectors, and a file read through the mount. The
# tag to mount is the one cfgspace predicts, in hex (cfgspace.fs.tag): a mount succeeds only for the
# tag the driver registered, and Linux 6.1 shows its tags nowhere else.
report_fs() {
    local device hex tag
    device=$(wait_virtio 0x001a 50)
    if [ -z "$device" ]; then
        say fs.missing=1
        return
    fi
    say "fs.features=$(features_of "$device")"
    report_probe fs "$device" virtiofs 100
    say "fs.request_queues=$(grep -c " $device-requests\." /proc/interrupts)"
    hex=$(arg fs.tag)
    if [ -n "$hex" ]; then
        tag=$(printf "$(echo "$hex" | sed 's/../\\x&/g')")
        mkdir -p /mnt/fs
        if timeout 20 mount -t virtiofs "$tag" /mnt/fs; then
            say "fs.tag=$(grep ' virtiofs ' /proc/mounts | cut -d' ' -f1 | head -n 1)"
            say "fs.read=$(cat /mnt/fs/cfgspace 2>/dev/null)"
            umount /mnt/fs
        else
            say fs.mount=failed
        fi
    fi
    kernel_lines "virtiofs\|virtio-fs" | while read -r line; do say "fs.dmesg=$line"; done
}
