/* The configuration files: settings that need no environment, and
 * library sets per program (see README "Configuration file").
 *
 * config_parse is a pure function over a buffer (fuzzed hosted); the rest
 * reads the files and merges them into the env_plan env_scan made:
 * environment, then the user's file (if allowed), then the system file,
 * then the built-in defaults. A matching [program]/[build-id] section
 * puts its library path before the global one and its ld.so over the
 * global one, wherever that came from. */
#ifndef LDSHIM_CONFIG_H
#define LDSHIM_CONFIG_H

#include <stddef.h>
#include "env.h"
#include "stack.h"

#ifndef LDSHIM_CONFIG
#define LDSHIM_CONFIG "/etc/ldshim.conf"
#endif

#define CONFIG_MAX (64 * 1024)   /* a bigger file is ignored, with a warning */
#define CONFIG_ID_MAX 64         /* bytes of a build-id we compare */

/* What identifies the program: matched against [program PATH] and
 * [build-id HEX] headers. Any field may be NULL / 0. */
struct config_id {
	const char *path;         /* the executable's real path */
	const char *path2;        /* another absolute name of it (AT_EXECFN) */
	const unsigned char *build_id;
	size_t build_id_len;
};

struct config_val {
	const char *v;            /* into the parsed buffer; NULL: not set */
	unsigned line;
};

enum { CFG_ANY, CFG_SYS };    /* `key` and `<system>.key`: the latter wins */

struct config {
	const char *file;
	struct config_val ldso[2], path[2], cache[2];       /* global */
	struct config_val p_ldso[2], p_path[2], p_cache[2]; /* the matching sections */
	struct config_val mode, allow_user;
	struct config_val match;  /* the last matching section header */
	unsigned errors;          /* lines skipped */
};

/* 1 if buf may hold a [program PATH] section (then the caller resolves
 * the executable's path before parsing). */
int config_wants_path(const char *buf, size_t len);

/* Parse buf[0..len), in place: buf[len] must be writable. Values point
 * into buf. Errors are reported at warn level as file:line and skipped.
 * c is filled from scratch. */
void config_parse(struct config *c, char *buf, size_t len, const char *file,
                  const struct config_id *id);

/* The GNU build-id in the notes at p[0..len) (alignment `align`), or NULL. */
const unsigned char *config_note_build_id(const unsigned char *p, size_t len,
                                          size_t align, size_t *id_len);

/* Merge the files into *p. Interpreter mode: the program is the one the
 * kernel mapped (build-id through AT_PHDR, path through /proc/self/exe).
 * Only the system file in secure mode. */
void config_apply(struct env_plan *p, const struct image *im, int secure);
/* Explicit invocation: the program is the file `prog` (its name as given,
 * if absolute, and the build-id read from it); prog may be NULL. */
void config_apply_file(struct env_plan *p, const struct image *im, const char *prog);
/* `ldshim --config [PROGRAM]`: the effective settings and their sources,
 * on stdout (the caller adds the library cache's lines). */
void config_print(struct env_plan *p, const struct image *im, const char *prog);

#endif
