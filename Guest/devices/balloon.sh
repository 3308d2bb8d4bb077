# virtio_balloon: the pages the balloon holds (what the driver writes to actual), as /proc/vmstat
# counts them. cfgspace.balloon.change=1 says "balloon.waiting=target", waits for the host to
# change num_pages, lets the driver settle and reports the pages again and how far MemTotal fell.
balloon_pages() {
    awk '$1 == "balloon_inflate" { i = $2 } $1 == "balloon_deflate" { d = $2 } END { print i - d }' /proc/vmstat
}
mem_total_kb() { awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo; }
report_balloon() {
    local device before total pages n still
    report_virtio balloon 0x0005 virtio_balloon || return
    say "balloon.actual=$(balloon_pages)"
    if [ "$(arg balloon.change)" = 1 ] && [ -e "/sys/bus/virtio/devices/$device/driver" ]; then
        before=$(balloon_pages)
        total=$(mem_total_kb)
        say balloon.waiting=target
        # The first page moving (up to 30 s), then a second without a change.
        n=0
        while [ "$(balloon_pages)" = "$before" ] && [ "$n" -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
        pages=$(balloon_pages)
        still=0
        n=0
        while [ "$still" -lt 10 ] && [ "$n" -lt 300 ]; do
            sleep 0.1
            n=$((n + 1))
            if [ "$(balloon_pages)" = "$pages" ]; then still=$((still + 1)); else pages=$(balloon_pages); still=0; fi
        done
        say "balloon.changed.actual=$pages"
        say "balloon.changed.memtotal_drop_kb=$((total - $(mem_total_kb)))"
    fi
    kernel_lines virtio_balloon | while read -r line; do say "balloon.dmesg=$line"; done
}
