/* Settings for the build: includes a file the build system writes, absent here. */
#include <generated_build_config.h>
#define NET_MAX_PORTS 32
