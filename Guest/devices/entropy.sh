# virtio-rng: no configuration, so what it negotiated, whether it probed and the rng the
# hw_random core made current.
report_entropy() {
    local device
    report_virtio entropy 0x0004 virtio_rng || return
    # The hw_random core's view: the driver registers from its scan, after probe.
    if wait_for /sys/class/misc/hw_random/rng_current 50; then
        say "entropy.rng_current=$(cat /sys/class/misc/hw_random/rng_current)"
        say "entropy.rng_quality=$(cat /sys/class/misc/hw_random/rng_quality 2>/dev/null)"
    fi
    kernel_lines virtio_rng | while read -r line; do say "entropy.dmesg=$line"; done
}
