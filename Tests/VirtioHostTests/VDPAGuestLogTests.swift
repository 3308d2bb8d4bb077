import Testing
import VirtioModel
@testable import VirtioHost

/// The vDPA guest's reports, parsed: ftrace's lines (as the guest's init trims them) and testpmd's
/// output, as a Linux 6.1 guest with DPDK 22.11.11 printed them.
@Suite struct VDPAGuestLogTests {
    @Test func ftraceLinesBecomeCallsWithTheirCallers() {
        let lines = [
            "dpdk-testpmd-269: vdpasim_reset <-vhost_vdpa_open",
            "dpdk-testpmd-269: reset: (vdpasim_reset+0x0/0x170 [vdpa_sim])",
            "dpdk-testpmd-269: vdpasim_get_device_features <-vhost_vdpa_unlocked_ioctl",
            "dpdk-testpmd-269: get_features: (vdpasim_get_device_features+0x0/0x20 [vdpa_sim])",
            "dpdk-testpmd-269: vdpasim_set_driver_features <-vdpa_get_config",
            "dpdk-testpmd-269: set_features: (vdpasim_set_driver_features+0x0/0x30 [vdpa_sim]) features=0x0",
            "dpdk-testpmd-269: set_features_ret: (vdpa_get_config+0x4e/0x80 [vdpa] <- vdpasim_set_driver_features) ret=-22",
            "dpdk-testpmd-269: vdpasim_get_config <-vdpa_get_config",
            "dpdk-testpmd-269: get_config: (vdpasim_get_config+0x0/0x60 [vdpa_sim]) offset=0 len=6",
            "vdpa-130: vdpasim_get_config <-vdpa_dev_config_fill.constprop.0",
            "vdpa-130: get_config: (vdpasim_get_config+0x0/0x60 [vdpa_sim]) offset=0 len=24",
            "init-135: vdpasim_set_status <-vdpa_set_status",
            "init-135: set_status: (vdpasim_set_status+0x0/0x40 [vdpa_sim]) status=0xb",
        ]
        let calls = VDPATraceLog.calls(lines)
        #expect(calls.map { VDPAGuest.label($0.call) } == [
            "reset [driver]", "get_device_features [driver]", "set_driver_features(0x0) = -22 [core]",
            "get_config(0, 6) [driver]", "get_config(0, 24) [netlink]", "set_status(0xb) [driver]",
        ])
        #expect(calls.map(\.task) == ["dpdk-testpmd", "dpdk-testpmd", "dpdk-testpmd", "dpdk-testpmd", "vdpa", "init"])
        #expect(calls[2].call.context == "vdpa_get_config" && calls[0].call.context == "vhost_vdpa_open")
    }

    @Test func testpmdOutputGivesFeaturesValuesAndEachMTU() {
        let log = TestpmdLog([
            "virtio_ethdev_negotiate_features(): guest_features before negotiate = 8000005f10ef8028",
            "virtio_ethdev_negotiate_features(): host_features before negotiate = 10130bf802c",
            "virtio_ethdev_negotiate_features(): features after negotiate = 110af8028",
            "testpmd> show port info 0",
            "testpmd> port stop 0",
            "testpmd> port config mtu 0 9000",
            "testpmd> port config mtu 0 9001",
            "MTU (9001) > device max MTU (9000) for port_id 0",
            "testpmd> port config mtu 0 9699",
            "virtio_mtu_set(): MTU should be between 68 and 9698",
            "testpmd> show port info 0",
            "testpmd> quit",
            "MAC address: 52:54:00:12:34:56",
            "Link status: up",
            "MTU: 1500",
            "MAC address: 52:54:00:12:34:56",
            "Link status: down",
            "MTU: 9000",
        ])
        #expect(log.requested == 0x8000_005f_10ef_8028 && log.offered == 0x101_30bf_802c && log.negotiated == 0x1_10af_8028)
        #expect(log.macs.first == "52:54:00:12:34:56" && log.links.first == "up" && log.mtus == [1500, 9000])
        #expect(log.attempts == [.init(mtu: 9000, accepted: true, reason: ""),
                                 .init(mtu: 9001, accepted: false, reason: "MTU (9001) > device max MTU (9000) for port_id 0"),
                                 .init(mtu: 9699, accepted: false, reason: "MTU should be between 68 and 9698")])
        #expect(log.failure == nil)
    }
}
