# virtio_pmem: the nvdimm bus and region it registers (provider, size, resource, align), the disk
# nd_pmem makes of the region's namespace (or none), and the namespace's /proc/iomem line.
report_pmem() {
    local device bus region disk n=0
    device=$(wait_virtio 0x001b 50)
    if [ -z "$device" ]; then
        say pmem.missing=1
        return
    fi
    say "pmem.features=$(features_of "$device")"
    report_probe pmem "$device" virtio_pmem 100
    bus=$(ls -d "/sys/bus/virtio/devices/$device/ndbus"* 2>/dev/null | head -n 1)
    [ -n "$bus" ] && say "pmem.provider=$(cat "$bus/provider")"
    region=$(ls -d "$bus/region"* 2>/dev/null | head -n 1)
    if [ -n "$bus" ] && [ -n "$region" ]; then
        say "pmem.region.size=$(cat "$region/size")"
        say "pmem.region.resource=$(cat "$region/resource")"
        say "pmem.region.align=$(cat "$region/align")"
        # nd_pmem binds the namespace as it loads: a disk, or its probe's failure, or (for an empty
        # namespace) nothing at all.
        while [ -z "$(ls "$region"/namespace*/block 2>/dev/null)" ] && ! dmesg | grep -q "nd_pmem: probe of" \
            && [ "$n" -lt 30 ]; do
            sleep 0.1
            n=$((n + 1))
        done
        disk=$(ls "$region"/namespace*/block 2>/dev/null | head -n 1)
        if [ -n "$disk" ]; then
            say "pmem.disk=$disk"
            say "pmem.disk.size=$(cat "/sys/block/$disk/size")"
            say "pmem.iomem=$(grep ' : namespace' /proc/iomem | sed 's/^ *//' | head -n 1)"
        else
            say pmem.disk=none
        fi
    fi
    kernel_lines nd_pmem | while read -r line; do say "pmem.dmesg=$line"; done
}
