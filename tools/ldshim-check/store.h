/* Nix store names, read as Nix reads them (builtins.parseDrvName,
 * builtins.compareVersions): the ground for naming the package that
 * provides a library. */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

/* Is NAME a store entry's name: 32 characters of Nix's base-32, '-', and
 * a name of [A-Za-z0-9+-._?=] not starting with '.'? */
int store_name_ok(const char *name);

/* builtins.parseDrvName on S: the length of the package name, which ends
 * before the first '-' not followed by a letter (the version is what
 * follows that '-'; there is none when the whole of S is the name). */
size_t drv_name_len(const char *s);

/* builtins.compareVersions: <0, 0, >0 as A is older, the same, newer. */
int version_cmp(const char *a, const char *b);

#endif
