#ifndef LDSHIM_DEBUG_H
#define LDSHIM_DEBUG_H
#include <stdint.h>
#include "ldso.h"

/* Let debuggers that stop at the interpreter's _dl_debug_state (found in
 * ldshim's file) hear of every change the real ld.so makes. */
void debug_hook(const struct ldso *ld, uintptr_t pagesz);

#endif
