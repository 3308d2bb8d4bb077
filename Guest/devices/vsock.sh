# vmw_vsock_virtio_transport: the guest's context ID as a program reads it, IOCTL_VM_SOCKETS_GET_LOCAL_CID
# on /dev/vsock (/bin/vsock-cid), which vsock.ko makes whether or not a device bound; and the
# negotiated features. vsock_loopback is not loaded, so an unbound transport answers 4294967295.
report_vsock() {
    local device
    report_device vsock 0x0013 vmw_vsock_virtio_transport 100 || return
    if wait_for /dev/vsock 20; then
        say "vsock.local_cid=$(vsock-cid /dev/vsock 2>&1)"
    else
        say vsock.dev_vsock.missing=1
    fi
}
