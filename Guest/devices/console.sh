# virtio_console: how many ports the driver sized its queues for, the ports it made, and whether
# port 0 became a console (hvc0). max_nr_ports shows only as one "input" interrupt per port, so
# the device needs 2 * max_nr_ports + 2 MSI-X vectors (vectors=); with fewer, queues share a line.
report_console() {
    local device ports
    # The console resize cannot be shown with QEMU 7.2: it never offers SIZE, has no cols or rows to
    # set and sends no RESIZE message; cfgspace checks that path on the model alone.
    report_virtio console 0x0003 virtio_console || return
    if grep -q " $device-input\$" /proc/interrupts; then
        say "console.max_nr_ports=$(grep -c " $device-input\$" /proc/interrupts)"
    fi
    # Ports the host adds come in control messages after probe: give them a moment.
    sleep 0.5
    ports=$(ls "/sys/bus/virtio/devices/$device/virtio-ports" 2>/dev/null | wc -l)
    say "console.ports=$ports"
    # A console port's tty opens; without one there is no hvc0 at all. (Its size cannot be shown:
    # busybox's stty prints nothing for 0 rows, and QEMU 7.2 never offers SIZE.)
    if stty -F /dev/hvc0 >/dev/null 2>&1; then say console.hvc=hvc0; else say console.hvc=none; fi
    kernel_lines virtio_console | while read -r line; do say "console.dmesg=$line"; done
}
