/* Run as a command (explicit.c): `ldshim PROG`, `ldshim --list PROG`,
 * ldd, `ldshim --config`. */
#ifndef LDSHIM_EXPLICIT_H
#define LDSHIM_EXPLICIT_H

#include "env.h"
#include "ldso.h"
#include "stack.h"

/* Run as a command (AT_BASE == 0). ld may be NULL: then the real ld.so is
 * mapped there, after the usage check, so that `ldshim` alone works even
 * when the ld.so is missing. */
void start_explicit(struct image *im, const struct env_plan *plan,
                    const struct ldso *ld) __attribute__((noreturn));

#endif
