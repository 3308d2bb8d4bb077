#ifndef NET_COMMON_H
#define NET_COMMON_H
#include <platform.h>

#ifdef NET_TOOLCHAIN_MSVC
#define __rte_packed_begin __pragma(pack(push, 1))
#define __rte_packed_end __pragma(pack(pop))
#else
#define __rte_packed_begin
#define __rte_packed_end __attribute__((__packed__))
#endif
#endif
