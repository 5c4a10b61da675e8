/* ldshim-audit.so: the Nix library path as a fallback, not an override.
 *
 * In fallback mode ldshim gives the real ld.so this rtld-audit module
 * (through LD_AUDIT, scrubbed by the trampoline like any injected
 * variable) instead of an LD_LIBRARY_PATH. ld.so then searches as on a
 * normal distribution — DT_RPATH, LD_LIBRARY_PATH, DT_RUNPATH, cache — and
 * only where it would fall back to its default directories
 * (LA_SER_DEFAULT) do we answer with the same name in the first directory
 * of the Nix library path that has it. So a program's bundled libraries
 * ($ORIGIN RUNPATH) win over the Nix path, for DT_NEEDED and dlopen.
 *
 * Freestanding, like the shim: audit modules live in a link namespace of
 * their own, and a libc there would be a second copy loaded at every
 * start. No la_symbind*: PLT binding stays on ld.so's fast path.
 *
 * The Nix path is read from the environment ld.so started with (found
 * through __libc_stack_end, ld.so's own record of its initial stack), by
 * the same rules as the shim. To reach that symbol the module needs ld.so
 * in its namespace: it is linked against ld.so's soname, and ld.so hands
 * back its running self for that name once it finds a file of that name —
 * the link next to this module, with $ORIGIN as RUNPATH.
 */
#include "arch.h"
#include "env.h"
#include "stack.h"
#include "str.h"
#include "sys.h"

#define LA_SER_DEFAULT 0x40  /* glibc <link.h> */
#define LAV_VERSION 1

extern void *__libc_stack_end;

static const char *nix_path;
static char found[4096];

__attribute__((visibility("default"))) unsigned int la_version(unsigned int v)
{
	struct image im;
	struct env_plan plan;

	if (v < LAV_VERSION)
		return 0;
	image_parse(&im, (uintptr_t *)__libc_stack_end);
	env_scan(&plan, &im, 0);
	nix_path = plan.nix_path;
	return LAV_VERSION;
}

static const char *base_name(const char *s)
{
	const char *b = s;
	for (; *s; s++)
		if (*s == '/')
			b = s + 1;
	return b;
}

__attribute__((visibility("default"))) char *
la_objsearch(const char *name, uintptr_t *cookie, unsigned int flag)
{
	(void)cookie;
	if (flag != LA_SER_DEFAULT || !nix_path)
		return (char *)name;
	const char *base = base_name(name);
	size_t blen = str_len(base);
	struct statx_ st;
	size_t dlen;
	for (const char *s = nix_path, *d; (d = str_next_elem(&s, &dlen));) {
		if (dlen + 1 + blen >= sizeof found)
			continue;
		char *p = mem_put(found, d, dlen);
		*p++ = '/';
		p = mem_put(p, base, blen);
		*p = 0;
		if (sys_statx_path(found, &st) == 0 && (st.mode & S_IFMT_) == S_IFREG_)
			return found;
	}
	return (char *)name;
}
