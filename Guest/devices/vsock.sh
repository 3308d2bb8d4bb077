# vmw_vsock_virtio_transport: the guest's context ID as a program reads it, IOCTL_VM_SOCKETS_GET_LOCAL_CID
# on /dev/vsock (/bin/vsock-cid), which vsock.ko makes whether or not a device bound; and the
# negotiated features. vsock_loopback is not loaded, so an unbound transport answers 4294967295.
report_vsock() {
    local device
    device=$(wait_virtio 0x0013 50)
    if [ -z "$device" ]; then
        say vsock.missing=1
        return
    fi
    say "vsock.features=$(features_of "$device")"
    report_probe vsock "$device" vmw_vsock_virtio_transport 100
    if wait_for /dev/vsock 20; then
        say "vsock.local_cid=$(vsock-cid /dev/vsock 2>&1)"
    else
        say vsock.dev_vsock.missing=1
    fi
}
