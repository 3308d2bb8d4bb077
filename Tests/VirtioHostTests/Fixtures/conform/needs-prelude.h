/* A console config in the project's own little-endian types, which a header included first
 * (gcc's -include) defines. */
struct console_config {
	le16_t cols;
	le16_t rows;
	le32_t max_nr_ports;
	le32_t emerg_wr;
};
