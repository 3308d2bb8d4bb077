# virtio_gpu: the DRM card's connectors (/sys/class/drm/card0-Virtual-N, one per scanout), the
# driver's own view in debugfs (dri/N/virtio-gpu-features: scanouts, cap sets, virgl, edid) and the
# raw values its "[drm] number of ..." lines print.
report_gpu() {
    local device features line
    report_device gpu 0x0010 virtio_gpu 100 || return
    if ! wait_for /sys/class/drm/card0 50; then
        say gpu.card.missing=1
        return
    fi
    say "gpu.connectors=$(ls -d /sys/class/drm/card0-Virtual-* 2>/dev/null | wc -l)"
    [ -d /sys/kernel/debug/dri ] || mount -t debugfs debugfs /sys/kernel/debug
    features=$(ls /sys/kernel/debug/dri/*/virtio-gpu-features 2>/dev/null | head -n 1)
    if [ -n "$features" ]; then
        say "gpu.scanouts=$(sed -n 's/^scanouts *: //p' "$features")"
        say "gpu.cap_sets=$(sed -n 's/^cap sets *: //p' "$features")"
        say "gpu.virgl=$(sed -n 's/^virgl *: //p' "$features")"
        say "gpu.edid=$(sed -n 's/^edid *: //p' "$features")"
    else
        say gpu.debugfs.missing=1
    fi
    say "gpu.logged_scanouts=$(kernel_lines 'number of scanouts' | sed 's/.*: //' | tail -n 1)"
    say "gpu.logged_cap_sets=$(kernel_lines 'number of cap sets' | sed 's/.*: //' | tail -n 1)"
    kernel_lines '\[drm' | while read -r line; do say "gpu.dmesg=$line"; done
}
