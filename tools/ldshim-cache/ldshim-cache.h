/* ldshim-cache: builds the library cache (shim/ldcache.h) for a list of
 * directories, prints and checks one. See README.md. What goes into a
 * cache and how it is laid out is the shim's own code
 * (shim/ldcache-gen.h), compiled hosted; here: the command line, the
 * messages, and reading a cache back. */
#ifndef LDSHIM_CACHE_TOOL_H
#define LDSHIM_CACHE_TOOL_H

#include <stddef.h>
#include <stdint.h>

#include "ldcache-gen.h"

/* A cache file, checked: every offset inside, every string terminated,
 * entries sorted, the record consistent. */
struct view {
	const unsigned char *p;
	size_t size;
	const struct ldcache_head *head;
	const struct ldcache_entry *entries;	/* head->nlibs of them */
	const char *generator;			/* not NUL-terminated */
	size_t generator_len;
	const struct ldcache_rec *rec;
	const struct ldcache_dir *dirs;		/* rec->ndirs */
	const char *dirlist;			/* "/a:/b", NUL-terminated */
	const struct ldcache_target *arch;
};
/* 0, or -1 with *WHY saying what is wrong. P must be 8-aligned. */
int view_parse(struct view *v, const unsigned char *p, size_t size, const char **why);
/* The key and value of entry I of a parsed view. */
const char *view_key(const struct view *v, size_t i);
const char *view_value(const struct view *v, size_t i);

#endif
