# virtio_blk: /sys/block/vda, the negotiated features, the driver's kernel log lines and the
# first block's CRC-32. cfgspace.blk.resize=1 waits for the disk to change size and reports again;
# cfgspace.blk.read=MIB times a read of that many MiB.
report_blk_disk() {
    q=/sys/block/vda/queue
    say vda.size=$(cat /sys/block/vda/size)
    for name in logical_block_size physical_block_size minimum_io_size optimal_io_size discard_max_bytes \
        discard_granularity write_zeroes_max_bytes; do
        say "vda.$name=$(cat $q/$name)"
    done
    say "vda.write_cache=$(cat $q/write_cache)"
    say vda.alignment_offset=$(cat /sys/block/vda/alignment_offset)
    say vda.ro=$(cat /sys/block/vda/ro)
    say vda.queues=$(ls /sys/block/vda/mq | wc -l)
    # The CRC-32 (zlib's) of the first block, in hex.
    dd if=/dev/vda of=/tmp/block bs=512 count=1 2>/dev/null
    say "vda.crc32=$(crc32 /tmp/block | cut -d' ' -f1)"
}

report_blk() {
    device=$(wait_virtio 0x0002 50)
    [ -n "$device" ] && say "vda.features=$(features_of "$device")"
    # The disk, or the driver core's word that the probe failed, whichever comes first.
    n=0
    while [ ! -e /sys/block/vda/mq ] && ! dmesg | grep -q "virtio_blk: probe of" && [ "$n" -lt 100 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    if [ -e /sys/block/vda/mq ]; then
        report_blk_disk
    else
        say vda.missing=1
    fi
    kernel_lines virtio_blk | while read -r line; do say "vda.dmesg=$line"; done
    if [ "$(arg blk.resize)" = 1 ] && [ -e /sys/block/vda ]; then
        before=$(cat /sys/block/vda/size)
        say vda.waiting=resize
        n=0
        while [ "$(cat /sys/block/vda/size)" = "$before" ] && [ "$n" -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
        say vda.resized=$(cat /sys/block/vda/size)
        kernel_lines "new size" | while read -r line; do say "vda.dmesg=$line"; done
    fi
    read=$(arg blk.read)
    if [ -n "$read" ] && [ -e /dev/vda ]; then
        echo "cfgspace read start" > /dev/kmsg
        dd if=/dev/vda of=/dev/null bs=1048576 count="$read" iflag=direct 2>/dev/null
        echo "cfgspace read end" > /dev/kmsg
        say read.mib=$read
        say read.start_us=$(marker_time "cfgspace read start")
        say read.end_us=$(marker_time "cfgspace read end")
    fi
}
