/* The configuration files: settings that need no environment, and
 * library sets per program (see README "Configuration file").
 *
 * Reads the files (the format is confparse.h's) and merges them into the
 * env_plan env_scan made: environment, then the user's file (if
 * allowed), then the system file, then the built-in defaults. A matching
 * [program]/[build-id] section puts its library path before the global
 * one and its ld.so over the global one, wherever that came from. */
#ifndef LDSHIM_CONFIG_H
#define LDSHIM_CONFIG_H

#include <stddef.h>
#include "confparse.h"
#include "env.h"
#include "stack.h"

#ifndef LDSHIM_CONFIG
#define LDSHIM_CONFIG "/etc/ldshim.conf"
#endif

/* Merge the files into *p. Interpreter mode: the program is the one the
 * kernel mapped (build-id through AT_PHDR, path through /proc/self/exe).
 * Only the system file in secure mode. */
void config_apply(struct env_plan *p, const struct image *im, int secure);
/* Explicit invocation: the program is the file `prog` (its name as given,
 * if absolute, and the build-id read from it); prog may be NULL. */
void config_apply_file(struct env_plan *p, const struct image *im, const char *prog);
/* A program its caller identified (ldshim-check: the start the kernel
 * would make of a file); not in secure mode. */
void config_apply_id(struct env_plan *p, const struct image *im, const struct config_id *id);

/* What the last config_apply* read, for the reports of where each
 * setting came from (`ldshim --config`, ldshim-check). */
enum config_state {
	CONFIG_UNREAD, CONFIG_MISSING, CONFIG_READ, CONFIG_IGNORED,
	CONFIG_NOT_ALLOWED, CONFIG_SECURE, CONFIG_NO_HOME,
};

struct config_file {
	const char *name;
	int state;                /* enum config_state */
	const char *why;          /* CONFIG_IGNORED */
	size_t len;
	struct config c;          /* CONFIG_READ */
	char *buf;                /* CONFIG_MAX + 1 bytes */
};

const struct config_file *config_system_file(void);
const struct config_file *config_user_file(void);
/* Where the mode came from: "NIX_LD_MODE", "file:line", "built-in default". */
const char *config_mode_from(void);

/* `ldshim --config [PROGRAM]`: the effective settings and their sources,
 * on stdout (the caller adds the library cache's lines). confprint.c. */
void config_print(struct env_plan *p, const struct image *im, const char *prog);
/* How a file fared, as `ldshim --config` says it after its name:
 * ": read", ": not present", "(not read: ...)". A read file's skipped
 * lines are c.errors. */
const char *config_state_text(const struct config_file *f);

#endif
