/* Which library cache may serve the Nix library path (cache.c). */
#ifndef LDSHIM_CACHE_H
#define LDSHIM_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include "ldcache.h"

/* Bytes from the extension directory to the end of a cache the shim
 * reads: the record of a library path of several hundred directories. */
#define LDCACHE_TAIL_MAX (64 * 1024)

struct ldcache_view {
	const struct ldcache_rec *rec;
	const struct ldcache_dir *dirs;   /* rec->ndirs */
	const char *list;                 /* "dir:dir:...", as built for */
};

/* NULL if `file` can serve the library path `path` now, else why not.
 * With owner >= 0 the file must be that user's and not writable by group
 * or others; in secure mode (AT_SECURE, owner 0) so must every directory
 * it names be root's, fixed or not. */
const char *ldcache_check(const char *file, const char *path, int secure, long owner);
/* The same, `file` relative to the directory dirfd. */
const char *ldcache_check_at(int dirfd, const char *file, const char *path,
                             int secure, long owner);

/* The checks on the bytes, pure (fuzzed hosted): the header, and the
 * tail_len bytes from h->extension_offset to the end of a file of `size`
 * bytes. NULL and *v filled, or why the file is unusable. */
const char *ldcache_parse(const struct ldcache_head *h, uint64_t size,
                          const unsigned char *tail, size_t tail_len,
                          struct ldcache_view *v);

#endif
