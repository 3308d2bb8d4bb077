#ifndef NET_ETHER_H
#define NET_ETHER_H
#include <stdint.h>
#include "net_common.h"

#define NET_ETHER_ADDR_LEN 6 /**< Octets in an Ethernet address. */
#define NET_ETHER_TYPE_LEN 2

struct net_ether_addr {
	uint8_t addr_bytes[NET_ETHER_ADDR_LEN];
};
#endif
