/* num_queues patched in at offset 36: the reserved byte after writeback was taken for three. */
#include <linux/types.h>

struct blk_config_v2 {
	__le64 capacity;
	__le32 size_max;
	__le32 seg_max;
	struct {
		__le16 cylinders;
		__u8 heads;
		__u8 sectors;
	} geometry;
	__le32 blk_size;
	struct {
		__u8 physical_block_exp;
		__u8 alignment_offset;
		__le16 min_io_size;
		__le32 opt_io_size;
	} topology;
	__u8 writeback;
	__u8 unused0[3];
	__le16 num_queues;
} __attribute__((packed));
