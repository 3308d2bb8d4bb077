# virtio_scsi: the SCSI host's attributes, the limits the scan file enforces (max_id, max_lun) and
# the first disk's queue limits. The host is found through the virtio device, the disk at H:0:0:0.
# scan_limit HOST TEMPLATE HIGH: the least N below HIGH that the scan file refuses for TEMPLATE
# with N in place of @ ("0 @ 0"), by bisection: the scan file says EINVAL for an id or a LUN at or
# past the host's limit and scans anything below it.
scan_takes() {
    local line
    line=$(echo "$2" | sed "s/@/$3/")
    echo "$line" > "$1/scan" 2>/dev/null
}
scan_limit() {
    local low=0 high=$3 middle
    scan_takes "$1" "$2" 0 || { echo 0; return; }
    while [ $((high - low)) -gt 1 ]; do
        middle=$(((low + high) / 2))
        if scan_takes "$1" "$2" "$middle"; then low=$middle; else high=$middle; fi
    done
    echo "$high"
}
report_scsi() {
    local device host h name id disk
    report_virtio scsi 0x0008 virtio_scsi || return
    host=$(ls -d "/sys/bus/virtio/devices/$device"/host* 2>/dev/null | head -n 1)
    if [ -n "$host" ]; then
        h=/sys/class/scsi_host/$(basename "$host")
        for name in can_queue cmd_per_lun sg_tablesize nr_hw_queues prot_capabilities; do
            say "scsi.$name=$(cat "$h/$name")"
        done
        # Targets: 65536 is the most a 16-bit max_target allows, so 65537 is always refused.
        id=$(scan_limit "$h" "0 @ 0" 65537)
        say "scsi.max_id=$id"
        # LUNs on the last target, where no disk answers; 2^32 is past any 32-bit limit.
        say "scsi.max_lun=$(scan_limit "$h" "0 $((id - 1)) @" 4294967296)"
        name=$(basename "$host" | sed 's/host//')
        if wait_for "/sys/bus/scsi/devices/$name:0:0:0/block" 100; then
            disk=$(ls "/sys/bus/scsi/devices/$name:0:0:0/block" | head -n 1)
            say "scsi.max_hw_sectors_kb=$(cat "/sys/block/$disk/queue/max_hw_sectors_kb")"
            say "scsi.max_segments=$(cat "/sys/block/$disk/queue/max_segments")"
            say "scsi.queue_depth=$(cat "/sys/bus/scsi/devices/$name:0:0:0/queue_depth")"
        else
            say scsi.disk=none
        fi
    fi
    kernel_lines virtio_scsi | while read -r line; do say "scsi.dmesg=$line"; done
}
