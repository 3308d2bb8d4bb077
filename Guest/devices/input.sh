# virtio_input: each virtio input device's /sys/class/input entry (name, uniq, id/*, properties,
# capabilities/*) and its absolute axes as evdev's EVIOCGABS gives them (/bin/input-absinfo). The
# first device reports as input, the next as input2, input3, ..., in the order of their virtio index.
report_input() {
    local device prefix n=0 dir name event line axis min max fuzz flat res
    wait_virtio 0x0012 50 >/dev/null
    for device in $(virtio_devices 0x0012 | sed 's/^virtio//' | sort -n | sed 's/^/virtio/'); do
        n=$((n + 1))
        if [ "$n" = 1 ]; then prefix=input; else prefix=input$n; fi
        say "$prefix.features=$(features_of "$device")"
        report_probe "$prefix" "$device" virtio_input 100
        kernel_lines "virtio_input: probe of $device " | while read -r line; do say "$prefix.dmesg=$line"; done
        dir=$(ls -d "/sys/bus/virtio/devices/$device/input/input"* 2>/dev/null | head -n 1)
        if [ -z "$dir" ]; then
            say "$prefix.missing=1"
            continue
        fi
        say "$prefix.name=$(cat "$dir/name")"
        say "$prefix.uniq=$(cat "$dir/uniq")"
        for name in bustype vendor product version; do say "$prefix.id.$name=$(cat "$dir/id/$name")"; done
        say "$prefix.properties=$(cat "$dir/properties")"
        for name in ev key rel abs msc led snd ff sw; do say "$prefix.capabilities.$name=$(cat "$dir/capabilities/$name")"; done
        event=$(ls -d "$dir/event"* 2>/dev/null | head -n 1)
        if [ -n "$event" ] && wait_for "/dev/input/${event##*/}" 20; then
            input-absinfo "/dev/input/${event##*/}" | while read -r axis min max fuzz flat res; do
                say "$prefix.absinfo.$axis=min $min max $max fuzz $fuzz flat $flat res $res"
            done
        else
            say "$prefix.evdev.missing=1"
        fi
    done
}
