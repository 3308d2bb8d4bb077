#ifndef DRIVER_VIRTIO_NET_H
#define DRIVER_VIRTIO_NET_H
/* A poll-mode driver's shadow of the device's config: its own integers, its library's packing
 * macros around the tag, the address length from the library's Ethernet header. */
#include <net_ether.h>

#define VIRTIO_NET_F_MTU 3
#define VIRTIO_NET_F_MAC 5

struct __rte_packed_begin virtio_net_config {
	uint8_t    mac[NET_ETHER_ADDR_LEN];
	uint16_t   status;
	uint16_t   max_virtqueue_pairs;
	uint16_t   mtu;
	uint32_t speed;
	uint8_t duplex;
	uint8_t rss_max_key_size;
	uint16_t rss_max_indirection_table_length;
	uint32_t supported_hash_types;
} __rte_packed_end;

struct virtio_driver_state {
	struct virtio_net_config config;
	uint64_t guest_features;
	uint16_t port_id;
};
#endif
