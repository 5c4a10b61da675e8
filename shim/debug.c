/* Debuggers. gdb looks for the dynamic linker's breakpoint function in the
 * file named by the program's PT_INTERP — ldshim — relocated by the
 * kernel's AT_BASE — ldshim's base. The real ld.so calls its own
 * _dl_debug_state at every change of its library list, so without help a
 * debugger never hears of them (no dlopen'ed library, no `catch load`).
 * ldshim therefore carries a _dl_debug_state, and the real ld.so's, a lone
 * `ret`, is patched at map time to jump to it. */
#include "arch.h"
#include "debug.h"
#include "log.h"
#include "str.h"
#include "sys.h"

typedef ElfW(Phdr) Phdr;
typedef ElfW(Dyn) Dyn;
typedef ElfW(Sym) Sym;

/* The breakpoint site. Empty, but never merged or dropped. */
void _dl_debug_state(void) __attribute__((used, noinline));
void _dl_debug_state(void)
{
	__asm__ volatile("");
}

struct span {
	uintptr_t lo, hi;
};

static int inside(const struct span *s, uintptr_t p, uintptr_t len)
{
	return p >= s->lo && p <= s->hi && len <= s->hi - p;
}

/* Symbols in the dynamic symbol table, from DT_HASH or DT_GNU_HASH. */
static uintptr_t symbol_count(const struct span *s, uintptr_t hash,
                              uintptr_t gnu_hash)
{
	if (hash && inside(s, hash, 8))
		return ((const uint32_t *)hash)[1];
	if (!gnu_hash || !inside(s, gnu_hash, 16))
		return 0;
	const uint32_t *h = (const uint32_t *)gnu_hash;
	uint32_t nbuckets = h[0], symoffset = h[1], bloom = h[2];
	const uint32_t *buckets = h + 4 + bloom * (sizeof(uintptr_t) / 4);
	const uint32_t *chain = buckets + nbuckets;
	if (!inside(s, (uintptr_t)buckets, (uintptr_t)nbuckets * 4))
		return 0;
	uint32_t last = 0;
	for (uint32_t b = 0; b < nbuckets; b++)
		if (buckets[b] > last)
			last = buckets[b];
	if (last < symoffset)
		return symoffset;
	for (;;) {
		const uint32_t *c = chain + (last - symoffset);
		if (!inside(s, (uintptr_t)c, 4))
			return 0;
		if (*c & 1)
			return last + 1;
		last++;
	}
}

static int name_is(const struct span *s, uintptr_t p, const char *want)
{
	for (;; p++, want++) {
		if (!inside(s, p, 1))
			return 0;
		if (*(const char *)p != *want)
			return 0;
		if (!*want)
			return 1;
	}
}

void debug_hook(const struct ldso *ld, uintptr_t pg)
{
	if (!ld->phdr)
		return;
	const Phdr *ph = (const Phdr *)ld->phdr;
	struct span s = { (uintptr_t)-1, 0 };
	uintptr_t dyn = 0, dynsz = 0;
	const Phdr *text = 0;
	for (uintptr_t i = 0; i < ld->phnum; i++) {
		uintptr_t a = ld->base + ph[i].p_vaddr;
		if (ph[i].p_type == PT_LOAD) {
			if (a < s.lo)
				s.lo = a;
			if (a + ph[i].p_memsz > s.hi)
				s.hi = a + ph[i].p_memsz;
		} else if (ph[i].p_type == PT_DYNAMIC) {
			dyn = a;
			dynsz = ph[i].p_memsz;
		}
	}
	if (!dyn || !inside(&s, dyn, dynsz))
		return;

	uintptr_t symtab = 0, strtab = 0, hash = 0, gnu_hash = 0;
	for (const Dyn *d = (const Dyn *)dyn;
	     (uintptr_t)(d + 1) <= dyn + dynsz && d->d_tag != DT_NULL; d++) {
		uintptr_t v = ld->base + d->d_val;  /* not yet relocated */
		if (d->d_tag == DT_SYMTAB)
			symtab = v;
		else if (d->d_tag == DT_STRTAB)
			strtab = v;
		else if (d->d_tag == DT_HASH)
			hash = v;
		else if (d->d_tag == DT_GNU_HASH)
			gnu_hash = v;
	}
	if (!symtab || !strtab)
		return;
	uintptr_t n = symbol_count(&s, hash, gnu_hash);
	for (uintptr_t i = 0; i < n; i++) {
		const Sym *sym = (const Sym *)symtab + i;
		if (!inside(&s, (uintptr_t)sym, sizeof *sym))
			return;
		if ((sym->st_info & 15) != STT_FUNC ||
		    !name_is(&s, strtab + sym->st_name, "_dl_debug_state"))
			continue;
		uintptr_t at = ld->base + sym->st_value;
		for (uintptr_t k = 0; k < ld->phnum; k++)
			if (ph[k].p_type == PT_LOAD && (ph[k].p_flags & PF_X) &&
			    sym->st_value >= ph[k].p_vaddr &&
			    sym->st_value + 16 <= ph[k].p_vaddr + ph[k].p_memsz)
				text = &ph[k];
		if (!text)
			return;
		/* Make the whole text segment writable for the patch (a private
		 * mapping: the page is copied), then executable again. The whole
		 * segment, not one page: that would split the mapping in three,
		 * and /proc/self/maps would no longer look as when the kernel
		 * maps ld.so (unwinders name frames from it). */
		uintptr_t lo = (ld->base + text->p_vaddr) & ~(pg - 1);
		uintptr_t len = ((ld->base + text->p_vaddr + text->p_memsz + pg - 1) & ~(pg - 1)) - lo;
		if (sys_mprotect((void *)lo, len, PROT_READ_ | PROT_WRITE_) < 0)
			return;
		int done = arch_patch_debug_state((unsigned char *)at,
		                                  (uintptr_t)_dl_debug_state);
		sys_mprotect((void *)lo, len, PROT_READ_ | PROT_EXEC_);
		say(LOG_DEBUG, done ? "ld.so's _dl_debug_state now jumps to ldshim's"
		                    : "ld.so's _dl_debug_state not patched: unexpected code",
		    (char *)0);
		return;
	}
}
