/* The project's own types header: fixed-width integers and nothing else. */
#include <stdint.h>
