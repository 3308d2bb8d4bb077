#ifndef STANDARD_HEADERS_VIRTIO_BLK_H
#define STANDARD_HEADERS_VIRTIO_BLK_H
/* A copy of a kernel header as an emulator keeps it: the kernel's types turned into stdint ones
 * and the packing attribute into a macro the emulator's own compiler header defines. */
#include "standard-headers/linux/types.h"

#define VIRTIO_BLK_F_SIZE_MAX	1	/* Indicates maximum segment size */
#define VIRTIO_BLK_F_MQ		12	/* support more than one vq */

struct virtio_blk_config {
	/* The capacity (in 512-byte sectors). */
	uint64_t capacity;
	uint32_t size_max;
	uint32_t seg_max;
	struct virtio_blk_geometry {
		uint16_t cylinders;
		uint8_t heads;
		uint8_t sectors;
	} geometry;
	uint32_t blk_size;
	uint8_t physical_block_exp;
	uint8_t alignment_offset;
	uint16_t min_io_size;
	uint32_t opt_io_size;
	uint8_t wce;
	uint8_t unused;
	uint16_t num_queues;
} QEMU_PACKED;

#endif
