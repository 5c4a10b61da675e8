/* The system configuration file, a variable in the tool: tool.mk
 * compiles shim/config.c with this header first, so that the name it
 * opens is the one --system-config gives, by default the build's
 * CONFIG_PATH. Below both config.c and the tool's files that name it. */
#ifndef SYSCONF_H
#define SYSCONF_H

extern const char *check_system_config;
#define LDSHIM_CONFIG check_system_config

/* --system-config: read PATH as the system file instead. */
void sysconf_set(const char *path);

#endif
