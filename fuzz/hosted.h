/* Shared by the fuzz targets and the hosted unit tests: the shim's
 * portable code (shim/ldso.c, env.c, stack.c, log.c, str.c) is compiled
 * hosted, with memcpy/memset of shim/str.c renamed so that they do not
 * replace libc's (see tests/security/area.mk). */
#ifndef LDSHIM_FUZZ_HOSTED_H
#define LDSHIM_FUZZ_HOSTED_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elfdef.h"
#include "arch.h"
#include "ldso.h"
#include "env.h"
#include "stack.h"

/* The shim's buffer for the injected value holds two maximal strings. */
#define HOSTED_ARG_MAX (32 * 4096)

/* elf_check as elf_map calls it on a file of `size` bytes: the ELF header
 * copied to an aligned buffer, the program headers as read from e_phoff
 * into a buffer of exactly the bytes the file has there (so that a read
 * past them is an ASan error). NULL for "too short for an ELF header". */
static inline const char *hosted_elf_check(const uint8_t *file, size_t size,
                                           uintptr_t pg, int *short_file)
{
	ElfW(Ehdr) e;
	*short_file = size < sizeof e;
	if (*short_file)
		return NULL;
	memcpy(&e, file, sizeof e);
	size_t off = e.e_phoff <= size ? (size_t)e.e_phoff : size;
	size_t n = size - off;
	void *ph = malloc(n ? n : 1);
	memcpy(ph, file + off, n);
	const char *why = elf_check(&e, ph, size, pg);
	free(ph);
	return why;
}

#endif
