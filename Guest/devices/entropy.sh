# virtio-rng: no configuration, so only what it negotiated and whether it probed.
report_entropy() {
    local device
    device=$(wait_virtio 0x0004 50)
    [ -n "$device" ] || { say entropy.missing=1; return; }
    say "entropy.features=$(features_of "$device")"
    report_probe entropy "$device" virtio_rng 100
    kernel_lines virtio_rng | while read -r line; do say "entropy.dmesg=$line"; done
}
