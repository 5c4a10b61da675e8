/* The configuration file's format (README "Configuration file"): lines,
 * keys, sections, and the values a file gives the program it is read
 * for. A pure function over a buffer (fuzzed hosted: fuzz/fuzz-config.c);
 * config.c reads the files and applies what this finds. */
#ifndef LDSHIM_CONFPARSE_H
#define LDSHIM_CONFPARSE_H

#include <stddef.h>

#define CONFIG_MAX (64 * 1024)   /* a bigger file is ignored, with a warning */
#define CONFIG_ID_MAX 64         /* bytes of a build-id we compare */
#define CONFIG_PATH_MAX 4096     /* PATH_MAX: the longest path taken */

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

#endif
