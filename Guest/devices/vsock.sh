# vmw_vsock_virtio_transport: the guest's context ID as a program reads it, IOCTL_VM_SOCKETS_GET_LOCAL_CID
# on /dev/vsock (/bin/vsock-cid), which vsock.ko makes whether or not a device bound; and the
# negotiated features. vsock_loopback is not loaded, so an unbound transport answers 4294967295.
# cfgspace.vsock.change=1 then waits for a config interrupt (the host changes guest_cid) and asks again.
report_vsock() {
    local device before n
    report_device vsock 0x0013 vmw_vsock_virtio_transport 100 || return
    if ! wait_for /dev/vsock 20; then
        say vsock.dev_vsock.missing=1
        return
    fi
    say "vsock.local_cid=$(vsock-cid /dev/vsock 2>&1)"
    [ "$(arg vsock.change)" = 1 ] || return
    before=$(config_interrupts "$device")
    say vsock.waiting=change
    n=0
    while [ "$(config_interrupts "$device")" = "$before" ] && [ "$n" -lt 200 ]; do sleep 0.1; n=$((n + 1)); done
    if [ "$(config_interrupts "$device")" = "$before" ]; then say vsock.changed.interrupt=none; else say vsock.changed.interrupt=seen; fi
    say "vsock.changed.local_cid=$(vsock-cid /dev/vsock 2>&1)"
}

# The config interrupts a virtio device has taken, summed over the CPUs (its virtioN-config line).
config_interrupts() {
    awk -v name="$1-config" '$NF == name { n = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i; print n }' /proc/interrupts
}
