# virtio_mem: what the driver logged (start address, region size, block sizes, nid, plugged and
# requested size), the device's region in /proc/iomem and the memory it added there once plugging
# settles, the memory blocks it added, and how much MemTotal grows when the guest onlines them
# (Debian leaves hotplugged memory offline).
report_mem() {
    local device line name value region start end ram last="" same=0 n=0 blocks="" block index before after
    device=$(wait_virtio 0x0018 50)
    if [ -z "$device" ]; then
        say mem.missing=1
        return
    fi
    say "mem.features=$(features_of "$device")"
    report_probe mem "$device" virtio_mem 100
    region=$(grep " : $device\$" /proc/iomem | sed 's/^ *//; s/ .*//' | head -n 1)
    if [ -z "$region" ]; then
        say mem.region.missing=1
        return
    fi
    say "mem.region=$region"
    start=$((0x${region%-*}))
    end=$((0x${region#*-}))
    # The memory the driver added under the region, once it has not changed for a second.
    while [ "$same" -lt 10 ] && [ "$n" -lt 100 ]; do
        ram=$(sed -n "/ : $device\$/,/^[^ ]/p" /proc/iomem | grep 'System RAM (virtio_mem)' | sed 's/^ *//; s/ .*//' \
            | tr '\n' ' ' | sed 's/ $//')
        if [ "$ram" = "$last" ]; then same=$((same + 1)); else same=0; fi
        last=$ram
        sleep 0.1
        n=$((n + 1))
    done
    say "mem.system_ram=${ram:-none}"
    # The driver's own lines, the worker's by now (the last of each: plugged and requested size are
    # logged again on every change).
    for name in "start address" "region size" "device block size" "nid" "memory block size" "subblock size" \
        "big block size" "plugged size" "requested size"; do
        value=$(kernel_lines "virtio_mem $device: $name: " | tail -n 1 | sed 's/.*: //')
        [ -n "$value" ] && say "mem.$(echo "$name" | tr ' ' _)=$value"
    done
    for block in /sys/devices/system/memory/memory*; do
        index=${block##*memory}
        [ $((index * 0x8000000)) -ge "$start" ] && [ $((index * 0x8000000)) -le "$end" ] && blocks="$blocks $index"
    done
    blocks=$(echo $blocks | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')
    say "mem.memory_blocks=${blocks:-none}"
    before=$(grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2)
    for index in $blocks; do
        [ "$(cat "/sys/devices/system/memory/memory$index/state")" = offline ] \
            && echo online > "/sys/devices/system/memory/memory$index/state"
    done
    after=$(grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2)
    say "mem.memtotal_added_kib=$((after - before))"
    kernel_lines "virtio_mem $device" | while read -r line; do say "mem.dmesg=$line"; done
}
