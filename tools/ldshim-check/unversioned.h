/* ld.so's rule for a version needed from a library that defines no
 * versions. The one implementation of it: the check of a file (check.c)
 * and the judging of store candidates (store.c) both call it, so it lives
 * below both. */
#ifndef UNVERSIONED_H
#define UNVERSIONED_H

#include <stddef.h>
#include "elfobj.h"

/* How ld.so ends binding the symbols of version V that NEEDER needs from
 * PROVIDER, a library that defines no versions (glibc 2.36, measured:
 * tests/check-tool/t-unversioned.sh). SCOPE holds the global scope, the
 * loaded objects in load order, N of them, PROVIDER among them. ld.so
 * only warns "no version information available", then binds each symbol
 * to the first definition check_match (dl-lookup.c) accepts: UNV_NONE,
 * it starts; UNV_ABORT, PROVIDER has no version table at all and defines
 * the symbol, check_match's assertion fails; UNV_UNDEFINED, nothing
 * defines it and the reference is not weak. Whether the need is weak
 * plays no part. *SYM: the symbol it fails on. */
enum unversioned { UNV_NONE, UNV_ABORT, UNV_UNDEFINED };
enum unversioned unversioned_binding(const struct elfobj *needer, const struct vneed *v,
				     const struct elfobj *const *scope, size_t n,
				     const struct elfobj *provider, const char **sym);

#endif
