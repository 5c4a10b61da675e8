/* Reading the environment interface (NIX_LD*, LD_LIBRARY_PATH) and
 * building the injected variable. */
#ifndef LDSHIM_ENV_H
#define LDSHIM_ENV_H

#include <stddef.h>
#include "stack.h"

struct env_plan {
	const char *ldso;         /* path of the real ld.so */
	const char *ldso_from;    /* the variable it came from, or "built-in default" */
	const char *nix_path;     /* the Nix library path */
	const char *nix_path_from;
	const char *user_path;    /* the LD_LIBRARY_PATH ld.so would use, or NULL */
	long user_slot;           /* its envp index (the last one: ld.so's), or -1 */
	long spare_slot;          /* envp index of a NIX_LD* variable, or -1 */
	long spare_slot_keep;     /* the same, but not a library-path variable
	                             (the audit module reads those), or -1 */
	const char *user_audit;   /* the LD_AUDIT ld.so would use, or NULL */
	long audit_slot;          /* its envp index (the last one), or -1 */
	const char *log;          /* NIX_LD_LOG, or NULL */
	const char *mode;         /* NIX_LD_MODE, or NULL */
};

/* Fill *p from the environment. In secure mode (AT_SECURE) every NIX_LD*
 * variable is ignored: only the built-in defaults count. */
void env_scan(struct env_plan *p, const struct image *im, int secure);

/* Write the library path ld.so must see into buf: the user's path, then
 * the Nix path with its empty elements dropped, joined by one ':' only
 * when both are non-empty. Returns its length, or -1 when ld.so needs no
 * change (nothing to add) or -2 when it does not fit in cap. */
long env_library_path(char *buf, size_t cap, const char *user, const char *nix);

#endif
