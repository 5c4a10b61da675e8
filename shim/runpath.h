/* The program's own headers and DT_RUNPATH (runpath.c). */
#ifndef LDSHIM_RUNPATH_H
#define LDSHIM_RUNPATH_H

#include <stdint.h>
#include "arch.h"
#include "elfdef.h"
#include "stack.h"

/* A RUNPATH longer than this is read as none (run as a command). */
#define PATH_MAX_RUNPATH 4096

/* The program's program headers as the kernel mapped them (AT_PHDR,
 * AT_PHNUM) and its load bias. 0 when found, -1 when not. */
struct prog_headers {
	const ElfW(Phdr) *ph;
	uintptr_t n;
	uintptr_t bias;
};
int prog_headers(struct prog_headers *h, const struct image *im);

/* The program's DT_RUNPATH, as written, or NULL when it has none (or an
 * unreadable one): from its image in memory (interpreter mode), or from
 * the file `prog` (run as a command). */
const char *runpath_from_memory(const struct image *im);
const char *runpath_from_file(const char *prog);

#endif
