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

/* The valgrind suppressions for any audit module (the Makefile's
 * VALGRIND_SUPP), and the static TLS surplus ld.so gets with the audit
 * module (ldpatch.c): a 64 KiB initial-exec TLS block and then some. */
#ifndef LDSHIM_VALGRIND_SUPP
#define LDSHIM_VALGRIND_SUPP "/usr/local/share/ldshim/valgrind.supp"
#endif
#ifndef LDSHIM_STATIC_TLS
#define LDSHIM_STATIC_TLS (16 * 1024)
#endif

/* The first library cache named for the Nix path (plan->cache) that can
 * serve it now, or NULL; why the others cannot is said at info. */
const char *ldshim_pick_cache(const struct env_plan *plan, int secure);

/* Map the real ld.so and make the changes ldshim makes in it (ldso.h):
 * the debug hook (flags LDSO_MAP_CODE), `cache` (or NULL) as its library
 * cache, else, when the audit module will be loaded (fallback mode), a
 * larger static TLS surplus. Returns the cache ld.so will read: `cache`,
 * or NULL when ld.so cannot be pointed at it. Dies as elf_map does. */
const char *ldshim_map_ldso(struct ldso *ld, const struct env_plan *plan,
                            uintptr_t pagesz, int secure, int fallback,
                            const char *cache, unsigned flags);

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
