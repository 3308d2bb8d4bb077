# virtio_mem: what the driver logged (start address, region size, block sizes, nid, plugged and
# requested size), the device's region in /proc/iomem and the memory it added there once plugging
# settles, the memory blocks it added, and how much MemTotal grows when the guest onlines them
# (Debian leaves hotplugged memory offline). cfgspace.mem.change=1 says "mem.waiting=requested_size",
# waits for the driver to log a new requested size and reports it all again under mem.changed.
mem_total_kib() { grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2; }
# The device's region in /proc/iomem, named after the virtio device.
mem_region() { grep " : $1\$" /proc/iomem | sed 's/^ *//; s/ .*//' | head -n 1; }
# mem_view PREFIX DEVICE START END BASELINE: the view once plugging has settled, the blocks onlined.
mem_view() {
    local ram last="" same=0 n=0 name value blocks="" block index
    say "$1.region=$(mem_region "$2")"
    # The memory the driver added under the region, once it has not changed for a second.
    while [ "$same" -lt 10 ] && [ "$n" -lt 100 ]; do
        ram=$(sed -n "/ : $2\$/,/^[^ ]/p" /proc/iomem | grep 'System RAM (virtio_mem)' | sed 's/^ *//; s/ .*//' \
            | tr '\n' ' ' | sed 's/ $//')
        if [ "$ram" = "$last" ]; then same=$((same + 1)); else same=0; fi
        last=$ram
        sleep 0.1
        n=$((n + 1))
    done
    say "$1.system_ram=${ram:-none}"
    # The driver's own lines, the worker's by now (the last of each: plugged and requested size are
    # logged again on every change).
    for name in "start address" "region size" "device block size" "nid" "memory block size" "subblock size" \
        "big block size" "plugged size" "requested size"; do
        value=$(kernel_lines "virtio_mem $2: $name: " | tail -n 1 | sed 's/.*: //')
        [ -n "$value" ] && say "$1.$(echo "$name" | tr ' ' _)=$value"
    done
    for block in /sys/devices/system/memory/memory*; do
        index=${block##*memory}
        [ $((index * 0x8000000)) -ge "$3" ] && [ $((index * 0x8000000)) -le "$4" ] && blocks="$blocks $index"
    done
    blocks=$(echo $blocks | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')
    say "$1.memory_blocks=${blocks:-none}"
    for index in $blocks; do
        [ "$(cat "/sys/devices/system/memory/memory$index/state")" = offline ] \
            && echo online > "/sys/devices/system/memory/memory$index/state"
    done
    say "$1.memtotal_added_kib=$(($(mem_total_kib) - $5))"
}
report_mem() {
    local device region start end baseline logged requests n=0
    device=$(wait_virtio 0x0018 50)
    if [ -z "$device" ]; then
        say mem.missing=1
        return
    fi
    say "mem.features=$(features_of "$device")"
    report_probe mem "$device" virtio_mem 100
    region=$(mem_region "$device")
    if [ -z "$region" ]; then
        say mem.region.missing=1
        return
    fi
    start=$((0x${region%-*}))
    end=$((0x${region#*-}))
    baseline=$(mem_total_kib)
    mem_view mem "$device" "$start" "$end" "$baseline"
    kernel_lines "virtio_mem $device" > /tmp/mem.dmesg
    while read -r line; do say "mem.dmesg=$line"; done < /tmp/mem.dmesg
    [ "$(arg mem.change)" = 1 ] || return
    logged=$(wc -l < /tmp/mem.dmesg)
    requests=$(kernel_lines "virtio_mem $device: requested size: " | wc -l)
    say mem.waiting=requested_size
    # The driver's worker logging the new request (up to 30 s), then the view again once it settles.
    while [ "$(kernel_lines "virtio_mem $device: requested size: " | wc -l)" = "$requests" ] && [ "$n" -lt 300 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    mem_view mem.changed "$device" "$start" "$end" "$baseline"
    kernel_lines "virtio_mem $device" | tail -n +$((logged + 1)) | while read -r line; do say "mem.changed.dmesg=$line"; done
}
