# virtio_crypto: the algorithms the driver registered (/proc/crypto entries of module virtio_crypto, by
# driver name, sorted), whether it said the accelerator is ready, and the limits its probe line prints
# ("max_queues: %u, max_cipher_key_len: %u, max_auth_key_len: %u, max_size 0x%llx"), which nothing
# else shows.
report_crypto() {
    local device line algorithms
    report_device crypto 0x0014 virtio_crypto 200 || return
    line=$(kernel_lines "max_queues: " | tail -n 1)
    say "crypto.max_queues=$(echo "$line" | sed -n 's/.*max_queues: \([0-9]*\),.*/\1/p')"
    say "crypto.max_cipher_key_len=$(echo "$line" | sed -n 's/.*max_cipher_key_len: \([0-9]*\),.*/\1/p')"
    say "crypto.max_auth_key_len=$(echo "$line" | sed -n 's/.*max_auth_key_len: \([0-9]*\),.*/\1/p')"
    say "crypto.max_size=$(echo "$line" | sed -n 's/.*max_size \(0x[0-9a-f]*\).*/\1/p')"
    if kernel_lines "Accelerator device is ready" | grep -q .; then say crypto.ready=yes; else say crypto.ready=no; fi
    algorithms=$(awk '/^driver/ { name = $3 } /^module/ && $3 == "virtio_crypto" { print name }' /proc/crypto \
        | LC_ALL=C sort | tr '\n' ',' | sed 's/,$//')
    say "crypto.algorithms=${algorithms:-none}"
    kernel_lines "virtio_crypto" | while read -r line; do say "crypto.dmesg=$line"; done
}
