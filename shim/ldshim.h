/* What the shim's start-up (main.c) and its command mode (explicit.c)
 * share: one place for their declarations and the audit module's path. */
#ifndef LDSHIM_LDSHIM_H
#define LDSHIM_LDSHIM_H

#include <stddef.h>
#include <stdint.h>
#include "env.h"
#include "ldso.h"
#include "stack.h"

/* Where fallback mode's audit module is (the Makefile's AUDIT_PATH). */
#ifndef LDSHIM_AUDIT
#define LDSHIM_AUDIT "/usr/local/libexec/ldshim-audit.so"
#endif

/* Jump to ld.so's entry with sp (arch/<arch>/start.S). */
void ldshim_enter(uintptr_t entry, uintptr_t *sp) __attribute__((noreturn));

/* Run as a command (AT_BASE == 0). ld may be NULL: then the real ld.so is
 * mapped there, after the usage check, so that `ldshim` alone works even
 * when the ld.so is missing. */
void ldshim_explicit(struct image *im, const struct env_plan *plan,
                     const struct ldso *ld) __attribute__((noreturn));

/* NIX_LD_MODE: 1 for fallback (the default), 0 for override; another
 * value is reported at warn and means fallback. */
int ldshim_fallback_mode(const char *mode);

/* n bytes that outlive the shim's stack frames (for what ld.so reads). */
char *ldshim_buffer(size_t n);

#endif
