/* A device's config closed by its own packing macro, which this header does not define: compiled
 * alone, gcc takes MYDEV_PACKED for the name of a variable and lays the struct out unpacked. */
#include <stdint.h>

struct virtio_blk_config {
	uint64_t capacity;
	uint32_t size_max;
	uint32_t seg_max;
	uint16_t cylinders;
	uint8_t heads;
	uint8_t sectors;
	uint32_t blk_size;
	uint8_t physical_block_exp;
	uint8_t alignment_offset;
	uint16_t min_io_size;
	uint32_t opt_io_size;
	uint8_t writeback;
	uint8_t unused0;
	uint16_t num_queues;
} MYDEV_PACKED;
