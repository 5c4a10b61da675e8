/* Changes to the real ld.so's data in the shim's private mapping
 * (ldpatch.c). Each returns NULL when made, else why not (ld.so is then
 * as the file has it). */
#ifndef LDSHIM_LDPATCH_H
#define LDSHIM_LDPATCH_H

#include <stddef.h>
#include "ldso.h"

/* Find ld.so's library cache path string (ld->cache_site, its length in
 * ld->cache_room). Needs a mapping made with LDSO_MAP_RODATA; the string
 * must be there once, or in identical copies. */
const char *ldso_find_cache_path(struct ldso *ld);
/* Point it at `cache`, which must fit in its bytes. */
const char *ldso_set_cache_path(struct ldso *ld, const char *cache);

#endif
