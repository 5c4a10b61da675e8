/* The system configuration file the tool reads (sysconf.h). */
#include "sysconf.h"

const char *check_system_config = CHECK_CONFIG_PATH;

void sysconf_set(const char *path)
{
	check_system_config = path;
}
