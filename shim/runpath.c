/* The program's own DT_RUNPATH. Where no library cache can serve the Nix
 * path, the last resort lends ld.so a library path, and a library path
 * is searched before any RUNPATH: the Nix path there would beat the
 * libraries a program bundles ($ORIGIN/../lib), which on a distribution
 * win over /usr/lib. So the program's RUNPATH goes in front of the Nix
 * path (main.c, explicit.c).
 *
 * The value is passed on as written: ld.so expands $ORIGIN, $LIB and
 * $PLATFORM in a library path (LD_LIBRARY_PATH or --library-path) against
 * the main program, exactly as in its RUNPATH (tests/fallback checks it).
 *
 * Nothing here trusts the program: every offset is checked against the
 * segment it points into, and a RUNPATH that cannot be read is no
 * RUNPATH (the start goes on without it).
 */
#include "runpath.h"
#include "arch.h"
#include "elfdef.h"
#include "str.h"
#include "sys.h"

#define MAX_PHNUM 1024

int prog_headers(struct prog_headers *h, const struct image *im)
{
	uintptr_t at = aux_get(im, AT_PHDR, 0), n = aux_get(im, AT_PHNUM, 0);
	const ElfW(Phdr) *ph = (const void *)at;
	if (!at || !n || n > MAX_PHNUM || at % _Alignof(ElfW(Phdr)))
		return -1;
	h->ph = ph;
	h->n = n;
	for (uintptr_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_PHDR) {
			h->bias = at - ph[i].p_vaddr;
			return 0;
		}
	/* No PT_PHDR: the ELF header is mapped right before the program
	 * headers when they follow it in the file, which is where linkers
	 * put them; believe it only if it says so. */
	const ElfW(Ehdr) *eh = (const void *)(at - sizeof(ElfW(Ehdr)));
	uintptr_t first = ~(uintptr_t)0;
	if (at % 4096 < sizeof *eh || !elf_magic_ok(eh->e_ident) ||
	    eh->e_phoff != sizeof *eh || eh->e_phnum != n)
		return -1;
	for (uintptr_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0 && ph[i].p_vaddr < first)
			first = ph[i].p_vaddr;
	if (first == ~(uintptr_t)0)
		return -1;
	h->bias = (uintptr_t)eh - first;
	return 0;
}

/* The PT_LOAD whose file bytes hold [vaddr, vaddr + len), or NULL. */
static const ElfW(Phdr) *holding(const ElfW(Phdr) *ph, uintptr_t n,
                                 uint64_t vaddr, uint64_t len)
{
	for (uintptr_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && vaddr >= ph[i].p_vaddr &&
		    len <= ph[i].p_filesz && vaddr - ph[i].p_vaddr <= ph[i].p_filesz - len)
			return &ph[i];
	return 0;
}

/* DT_STRTAB, DT_STRSZ and DT_RUNPATH from n entries; 0 if there is no
 * RUNPATH (a DT_RPATH alone is searched before any library path). */
static int runpath_tags(const ElfW(Dyn) *d, size_t n, uint64_t *strtab,
                        uint64_t *strsz, uint64_t *off)
{
	int have = 0;
	*strtab = *strsz = 0;
	for (size_t i = 0; i < n && d[i].d_tag != DT_NULL; i++) {
		if (d[i].d_tag == DT_STRTAB)
			*strtab = d[i].d_val;
		else if (d[i].d_tag == DT_STRSZ)
			*strsz = d[i].d_val;
		else if (d[i].d_tag == DT_RUNPATH) {
			*off = d[i].d_val;
			have = 1;
		}
	}
	return have && *strtab && *off < *strsz;
}

const char *runpath_from_memory(const struct image *im)
{
	struct prog_headers h;
	if (prog_headers(&h, im))
		return 0;
	const ElfW(Phdr) *dyn = 0;
	for (uintptr_t i = 0; i < h.n; i++)
		if (h.ph[i].p_type == PT_DYNAMIC)
			dyn = &h.ph[i];
	if (!dyn || !holding(h.ph, h.n, dyn->p_vaddr, dyn->p_filesz) ||
	    (h.bias + (uintptr_t)dyn->p_vaddr) % _Alignof(ElfW(Dyn)))
		return 0;
	uint64_t strtab, strsz, off;
	if (!runpath_tags((const void *)(h.bias + (uintptr_t)dyn->p_vaddr),
	                  dyn->p_filesz / sizeof(ElfW(Dyn)), &strtab, &strsz, &off) ||
	    !holding(h.ph, h.n, strtab, strsz))
		return 0;
	const char *s = (const char *)(h.bias + (uintptr_t)(strtab + off));
	for (uint64_t i = 0; i < strsz - off; i++)
		if (!s[i])
			return s;
	return 0;
}

/* Run as a command, the program is a file ld.so has not opened yet. */
static ElfW(Phdr) phdrs[64];
static ElfW(Dyn) dyns[512];
static char value[PATH_MAX_RUNPATH];

static const char *runpath_of_fd(int fd)
{
	ElfW(Ehdr) eh;
	if (sys_pread(fd, &eh, sizeof eh, 0) != (long)sizeof eh ||
	    !elf_magic_ok(eh.e_ident) || eh.e_ident[EI_CLASS] != ARCH_CLASS ||
	    eh.e_phentsize != sizeof(ElfW(Phdr)) || !eh.e_phnum ||
	    eh.e_phnum > sizeof phdrs / sizeof *phdrs)
		return 0;
	long want = (long)(eh.e_phnum * sizeof(ElfW(Phdr)));
	if (sys_pread(fd, phdrs, (size_t)want, eh.e_phoff) != want)
		return 0;
	const ElfW(Phdr) *dyn = 0, *seg;
	for (unsigned i = 0; i < eh.e_phnum; i++)
		if (phdrs[i].p_type == PT_DYNAMIC)
			dyn = &phdrs[i];
	if (!dyn)
		return 0;
	size_t n = dyn->p_filesz < sizeof dyns ? dyn->p_filesz : sizeof dyns;
	long got = sys_pread(fd, dyns, n, dyn->p_offset);
	uint64_t strtab, strsz, off;
	if (got <= 0 ||
	    !runpath_tags(dyns, (size_t)got / sizeof *dyns, &strtab, &strsz, &off) ||
	    !(seg = holding(phdrs, eh.e_phnum, strtab, strsz)))
		return 0;
	n = strsz - off < sizeof value ? (size_t)(strsz - off) : sizeof value;
	got = sys_pread(fd, value, n, seg->p_offset + (strtab - seg->p_vaddr) + off);
	for (long i = 0; i < got; i++)
		if (!value[i])
			return value;
	return 0;
}

const char *runpath_from_file(const char *prog)
{
	long fd = sys_open(prog);
	if (fd < 0)
		return 0;
	const char *r = runpath_of_fd((int)fd);
	sys_close((int)fd);
	return r;
}
