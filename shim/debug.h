#ifndef LDSHIM_DEBUG_H
#define LDSHIM_DEBUG_H
#include <stdint.h>
#include "ldso.h"

/* Let debuggers that stop at the interpreter's _dl_debug_state (found in
 * ldshim's file) hear of every change the real ld.so makes. */
/* Patch it in ld's code, which elf_map(LDSO_MAP_CODE) left writable;
 * ldso_seal finishes the job. */
void debug_hook(struct ldso *ld);

#endif
