/* Finding a symbol of a mapped object by its dynamic symbol table: the
 * debug hook looks up the real ld.so's _dl_debug_state before ld.so runs
 * (its dynamic section still holds offsets). A linear walk: ld.so exports
 * about forty symbols. */
#include "arch.h"
#include "elfsym.h"
#include "str.h"

typedef ElfW(Phdr) Phdr;
typedef ElfW(Dyn) Dyn;
typedef ElfW(Sym) Sym;

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

uintptr_t elf_symbol(uintptr_t base, const void *phdr, uintptr_t phnum,
                     const char *name, int type, uintptr_t *size)
{
	const Phdr *ph = phdr;
	struct span s = { (uintptr_t)-1, 0 };
	uintptr_t dyn = 0, dynsz = 0;
	for (uintptr_t i = 0; i < phnum; i++) {
		uintptr_t a = base + ph[i].p_vaddr;
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
		return 0;

	uintptr_t symtab = 0, strtab = 0, hash = 0, gnu_hash = 0;
	for (const Dyn *d = (const Dyn *)dyn;
	     (uintptr_t)(d + 1) <= dyn + dynsz && d->d_tag != DT_NULL; d++) {
		/* Not relocated yet: an offset from the bias. */
		uintptr_t v = base + d->d_val;
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
		return 0;
	uintptr_t n = symbol_count(&s, hash, gnu_hash);
	for (uintptr_t i = 0; i < n; i++) {
		const Sym *sym = (const Sym *)symtab + i;
		if (!inside(&s, (uintptr_t)sym, sizeof *sym))
			return 0;
		if ((sym->st_info & 15) != type || sym->st_shndx == 0 ||
		    !name_is(&s, strtab + sym->st_name, name))
			continue;
		if (size)
			*size = sym->st_size;
		return base + sym->st_value;
	}
	return 0;
}
