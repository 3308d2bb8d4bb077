#include <stdint.h>
typedef uint16_t le16_t;
typedef uint32_t le32_t;
