# virtio_net: eth0's MTU and address, the negotiated features and the driver's kernel log lines.
report_net() {
    device=$(wait_virtio 0x0001 50)
    [ -n "$device" ] && say "eth0.features=$(features_of "$device")"
    [ -n "$device" ] && report_probe net "$device" virtio_net 100
    if wait_for /sys/class/net/eth0 100; then
        say eth0.mtu=$(cat /sys/class/net/eth0/mtu)
        say eth0.address=$(cat /sys/class/net/eth0/address)
    else
        say eth0.missing=1
    fi
    kernel_lines virtio_net | while read -r line; do say "eth0.dmesg=$line"; done
}
