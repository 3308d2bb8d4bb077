/* Zoned characteristics declared the way Linux first had them: in the guest's order (__virtio32)
 * where the spec says little-endian, and placed right after the write-zeroes fields, where the
 * spec has the secure-erase ones first. */
#include <linux/virtio_types.h>

struct zoned_characteristics {
	__virtio32 zone_sectors;
	__virtio32 max_open_zones;
	__virtio32 max_active_zones;
	__virtio32 max_append_sectors;
	__virtio32 write_granularity;
	__u8 model;
	__u8 unused2[3];
};

struct virtio_blk_config {
	__virtio64 capacity;
	__virtio32 size_max;
	__virtio32 seg_max;
	struct {
		__virtio16 cylinders;
		__u8 heads;
		__u8 sectors;
	} geometry;
	__virtio32 blk_size;
	struct {
		__u8 physical_block_exp;
		__u8 alignment_offset;
		__virtio16 min_io_size;
		__virtio32 opt_io_size;
	} topology;
	__u8 writeback;
	__u8 unused0;
	__virtio16 num_queues;
	__virtio32 max_discard_sectors;
	__virtio32 max_discard_seg;
	__virtio32 discard_sector_alignment;
	__virtio32 max_write_zeroes_sectors;
	__virtio32 max_write_zeroes_seg;
	__u8 write_zeroes_may_unmap;
	__u8 unused1[3];
	struct zoned_characteristics zoned;
} __attribute__((packed));
