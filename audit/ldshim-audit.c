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
 * the same rules as the shim. The module is not linked against ld.so (a
 * dependency would cost a library search at every start): it looks the
 * symbol up in ld.so's dynamic symbol table when ld.so reports itself to
 * la_objopen, which comes before any la_objsearch.
 */
#include "arch.h"
#include "config.h"
#include "context.h"
#include "elfsym.h"
#include "env.h"
#include "stack.h"
#include "str.h"
#include "sys.h"

#define LA_SER_ORIG    0x01  /* glibc <link.h> */
#define LA_SER_RPATH   0x02
#define LA_SER_RUNPATH 0x04
#define LA_SER_DEFAULT 0x40

struct rename;

/* The module's state, small fields first: what every start touches shares
 * the page ld.so already wrote when it relocated the module. */
static struct {
	const char *nix_path;
	struct rename *renames;
	int base_objects;          /* objects of the main namespace seen */
	int last_found;
	char last_base[256];       /* see la_objsearch */
	char asked[4096];          /* the name ld.so asked about last */
	char found[4096];          /* our answer */
} st;

/* The interface version is the one ld.so offers: the only callbacks whose
 * ABI changed between versions are la_symbind and la_pltenter (aarch64,
 * LAV_VERSION 2), and we define neither; aarch64's ld.so refuses modules
 * that answer 1. */
__attribute__((visibility("default"))) unsigned int la_version(unsigned int v)
{
	return v < 1 ? 0 : v;
}

/* The Nix path, from the initial stack image ld.so started on. */
static void find_nix_path(uintptr_t *stack)
{
	struct image im;
	struct env_plan plan;

	image_parse(&im, stack);
	/* Started through ldshim as an interpreter: AT_ENTRY is still the
	 * trampoline, and the path is in its context (CTX_HANDOFF). */
	uintptr_t e = aux_get(&im, AT_ENTRY, 0);
	if (e % 4096 >= 16) {
		const char *m = (const char *)e - CTX_MAGIC_LEN;
		size_t i = 0;
		while (i < CTX_MAGIC_LEN && m[i] == CTX_MAGIC[i])
			i++;
		if (i == CTX_MAGIC_LEN) {
			const char *w = (const char *)e - 16;
			const struct tramp_ctx *ctx = (const void *)(w + *(const int32_t *)w);
			st.nix_path = ctx->nix_path;
			return;
		}
	}
	/* Otherwise (explicit invocation: ld.so --audit), the same rules as
	 * the shim, from the environment and the configuration files. ld.so
	 * has already taken its options off the stack (glibc >= 2.36), so
	 * argv[0] is the program as the shim saw it named. */
	env_scan(&plan, &im, 0);
	config_apply_file(&plan, &im, im.argc > 0 ? im.argv[0] : 0);
	st.nix_path = plan.nix_path;
}

/* ld.so reports the program, then itself (glibc's load_audit_modules),
 * before it searches for any library. ld.so is mapped from file offset 0,
 * so its ELF header is at its bias. */
static void find_stack(uintptr_t base)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
	if (!base || !elf_magic_ok(eh->e_ident) || eh->e_ident[EI_CLASS] != ARCH_CLASS ||
	    eh->e_phentsize != sizeof(ElfW(Phdr)))
		return;
	uintptr_t at = elf_symbol(base, (const void *)(base + eh->e_phoff), eh->e_phnum,
	                          "__libc_stack_end", STT_OBJECT, 0);
	if (at && *(uintptr_t **)at)
		find_nix_path(*(uintptr_t **)at);
}

static const char *base_name(const char *s)
{
	const char *b = s;
	for (; *s; s++)
		if (*s == '/')
			b = s + 1;
	return b;
}

/* What ld.so names an object found through us. ld.so keeps the name it
 * asked about (say /lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v4/libfoo.so.1,
 * which does not exist on NixOS) as the object's l_name, the name that
 * dl_iterate_phdr, dladdr, ldd and debuggers report. So la_objopen, called
 * right after the object is mapped, points l_name at the path that was
 * really opened, and la_objclose gives ld.so its own string back before
 * dlclose frees it. */
struct link_map_ {             /* the public part of glibc's struct link_map */
	uintptr_t l_addr;
	char *l_name;
};

struct rename {
	struct link_map_ *map;
	char *orig;                /* ld.so's string, to give back */
	struct rename *next;
	char name[];
};

static char arena_static[64 * 1024];
static char *arena = arena_static, *arena_end = arena_static + sizeof arena_static;

static void *arena_get(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if ((size_t)(arena_end - arena) < n) {
		size_t sz = n > 256 * 1024 ? n : 256 * 1024;
		long m = sys_mmap(0, sz, PROT_READ_ | PROT_WRITE_,
		                  MAP_PRIVATE_ | MAP_ANONYMOUS_, -1, 0);
		if (sys_failed(m))
			return 0;
		arena = (char *)m;
		arena_end = arena + sz;
	}
	void *p = arena;
	arena += n;
	return p;
}

/* The length of s's directory part, without the last '/'. */
static size_t dir_len(const char *s)
{
	return (size_t)(base_name(s) - s) - (base_name(s) > s);
}

/* ld.so also derives an object's $ORIGIN from the name it asked about,
 * so for an object we renamed, $ORIGIN in its RPATH/RUNPATH means that
 * directory, not the one the object is in. Its candidates (ld.so tells
 * us which object searches, by its cookie) are moved to the real one. */
static char *origin_fix(const char *name, uintptr_t *cookie)
{
	const struct rename *r = st.renames;
	while (r && (uintptr_t)r->map != *cookie)
		r = r->next;
	if (!r)
		return 0;
	size_t wl = dir_len(r->orig), rl = dir_len(r->name), nl = str_len(name);
	size_t i = 0;
	while (i < wl && name[i] == r->orig[i])
		i++;
	if (i < wl || name[wl] != '/' || rl + (nl - wl) >= sizeof st.found ||
	    nl >= sizeof st.asked)
		return 0;
	char *p = mem_put(st.found, r->name, rl);
	mem_put(p, name + wl, nl - wl + 1);
	mem_put(st.asked, name, nl + 1);
	st.last_base[0] = 0;  /* st.found is no longer the cached answer */
	return st.found;
}

/* 1 and the path in st.found if a directory of the Nix path has a regular
 * file named base, else 0. */
static int probe(const char *base, size_t blen)
{
	struct statx_ sx;
	size_t dlen;
	for (const char *s = st.nix_path, *d; (d = str_next_elem(&s, &dlen));) {
		if (dlen + 1 + blen >= sizeof st.found)
			continue;
		char *p = mem_put(st.found, d, dlen);
		*p++ = '/';
		p = mem_put(p, base, blen);
		*p = 0;
		if (sys_statx_path(st.found, &sx) == 0 && (sx.mode & S_IFMT_) == S_IFREG_)
			return 1;
	}
	return 0;
}

/* ld.so asks once per directory it would try, and each default directory
 * comes with its hwcaps subdirectories (glibc-hwcaps/x86-64-v3/, ...): a
 * dozen questions about one name. The Nix path is probed for the first;
 * the answer, found or not, stands for the others of the same search
 * (each search starts with an LA_SER_ORIG question). */
__attribute__((visibility("default"))) char *
la_objsearch(const char *name, uintptr_t *cookie, unsigned int flag)
{
	char *moved;
	if (flag == LA_SER_ORIG)
		st.last_base[0] = 0;
	if ((flag == LA_SER_RUNPATH || flag == LA_SER_RPATH) && st.renames &&
	    (moved = origin_fix(name, cookie)))
		return moved;
	if (flag != LA_SER_DEFAULT || !st.nix_path)
		return (char *)name;
	const char *base = base_name(name);
	size_t blen = str_len(base), nlen = str_len(name);
	if (nlen >= sizeof st.asked)
		return (char *)name;
	int keep = blen > 0 && blen < sizeof st.last_base;
	if (!keep || !str_eq(base, st.last_base)) {
		st.last_found = probe(base, blen);
		if (keep)
			mem_put(st.last_base, base, blen + 1);
		else
			st.last_base[0] = 0;
	}
	if (!st.last_found)
		return (char *)name;
	mem_put(st.asked, name, nlen + 1);
	return st.found;
}

__attribute__((visibility("default"))) unsigned int
la_objopen(struct link_map_ *map, long lmid, uintptr_t *cookie)
{
	(void)cookie;
	if (lmid == 0 && ++st.base_objects == 2)
		find_stack(map->l_addr);
	if (st.asked[0] && map->l_name && str_eq(map->l_name, st.asked)) {
		size_t n = str_len(st.found) + 1;
		struct rename *r = arena_get(sizeof *r + n);
		if (r) {
			mem_put(r->name, st.found, n);
			r->map = map;
			r->orig = map->l_name;
			r->next = st.renames;
			st.renames = r;
			map->l_name = r->name;
		}
	}
	st.asked[0] = 0;
	return 0;  /* no LA_FLG_BINDTO/BINDFROM: no symbol binding hooks */
}

__attribute__((visibility("default"))) unsigned int la_objclose(uintptr_t *cookie)
{
	struct link_map_ *map = (struct link_map_ *)*cookie;
	for (struct rename **p = &st.renames; *p; p = &(*p)->next)
		if ((*p)->map == map) {
			if (map->l_name == (*p)->name)
				map->l_name = (*p)->orig;
			*p = (*p)->next;
			break;
		}
	return 0;
}
