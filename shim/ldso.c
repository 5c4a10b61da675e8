#include "ldso.h"
#include "arch.h"
#include "log.h"
#include "sys.h"

typedef ElfW(Ehdr) Ehdr;
typedef ElfW(Phdr) Phdr;
typedef ElfW(Shdr) Shdr;

#define MAX_PHNUM 64                    /* ld.so has about ten */
#define MAX_SPAN  ((uint64_t)1 << 30)   /* ld.so spans a few hundred KiB */

static uintptr_t down(uintptr_t v, uintptr_t pg) { return v & ~(pg - 1); }
static uintptr_t up(uintptr_t v, uintptr_t pg) { return (v + pg - 1) & ~(pg - 1); }

static const char *check_ehdr(const Ehdr *e, uint64_t size)
{
	const unsigned char *id = e->e_ident;
	if (!elf_magic_ok(id))
		return "not an ELF file";
	if (id[EI_CLASS] != ARCH_CLASS)
		return ARCH_CLASS == ELFCLASS64 ? "wrong ELF class: 32-bit, need 64-bit"
		                                : "wrong ELF class: 64-bit, need 32-bit";
	if (id[EI_DATA] != ELFDATA2LSB)
		return "wrong byte order: big-endian, need little-endian";
	if (e->e_machine != ARCH_MACHINE)
		return "wrong machine: not built for " ARCH_SYSTEM;
	if (e->e_type != ET_DYN)
		return e->e_type == ET_EXEC ? "not a shared object: ET_EXEC, need ET_DYN"
		                            : "not a shared object: need ET_DYN";
	if (e->e_phentsize != sizeof(Phdr))
		return "bad program header entry size";
	if (e->e_phnum == 0)
		return "no program headers";
	if (e->e_phnum > MAX_PHNUM)
		return "too many program headers";
	if (e->e_phoff >= size || size - e->e_phoff < (uint64_t)e->e_phnum * sizeof(Phdr))
		return "truncated program header table";
	return 0;
}

static const char *check_phdrs(const Ehdr *e, const Phdr *ph, uint64_t size,
                               uintptr_t pg)
{
	uint64_t prev_end = 0;
	int loads = 0, entry_ok = 0;

	for (int i = 0; i < e->e_phnum; i++) {
		const Phdr *p = &ph[i];
		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_filesz > p->p_memsz)
			return "PT_LOAD with p_filesz > p_memsz";
		if ((p->p_offset - p->p_vaddr) & (pg - 1))
			return "misaligned PT_LOAD: p_offset and p_vaddr differ modulo the page size";
		if (p->p_offset > size || size - p->p_offset < p->p_filesz)
			return "truncated: a PT_LOAD segment extends past the end of the file";
		if (p->p_memsz > MAX_SPAN || p->p_vaddr > MAX_SPAN)
			return "PT_LOAD segment too large";
		if (loads && down(p->p_vaddr, pg) < prev_end)
			return "PT_LOAD segments overlap or are out of order";
		prev_end = up(p->p_vaddr + p->p_memsz, pg);
		if (prev_end > MAX_SPAN)
			return "PT_LOAD segment too large";
		if ((p->p_flags & PF_X) && e->e_entry >= p->p_vaddr &&
		    e->e_entry - p->p_vaddr < p->p_memsz)
			entry_ok = 1;
		loads++;
	}
	if (!loads)
		return "no PT_LOAD segment";
	if (!entry_ok)
		return "entry point outside any executable segment";
	return 0;
}

const char *elf_check(const void *ehdr, const void *phdrs, uint64_t size,
                      uintptr_t pagesz)
{
	const char *why = check_ehdr(ehdr, size);
	return why ? why : check_phdrs(ehdr, phdrs, size, pagesz);
}

static int prot_of(const Phdr *p)
{
	return (p->p_flags & PF_R ? PROT_READ_ : 0) |
	       (p->p_flags & PF_W ? PROT_WRITE_ : 0) |
	       (p->p_flags & PF_X ? PROT_EXEC_ : 0);
}

static void fail(const char *path, long err)
{
	die(path, err_reason(err));
}

/* Map one PT_LOAD at bias `base` with protection `prot`: file pages, the
 * zeroed tail of the last file page, and anonymous pages for the rest of
 * p_memsz. */
static void map_segment(const char *path, int fd, const Phdr *p,
                        uintptr_t base, uintptr_t pg, int premapped, int prot,
                        int extra)
{
	uintptr_t start = down(base + p->p_vaddr, pg);
	uintptr_t file_end = base + p->p_vaddr + p->p_filesz;
	uintptr_t mem_end = base + p->p_vaddr + p->p_memsz;
	uintptr_t file_pages_end = up(file_end, pg);
	int zero = p->p_memsz > p->p_filesz && (file_end & (pg - 1));
	long r;

	if (p->p_filesz && !premapped) {
		r = sys_mmap((void *)start, file_pages_end - start,
		             prot | (zero ? PROT_WRITE_ : 0),
		             MAP_PRIVATE_ | MAP_FIXED_ | extra, fd, down(p->p_offset, pg));
		if (sys_failed(r))
			fail(path, r);
	}
	if (zero) {
		if (premapped && !(prot & PROT_WRITE_))
			sys_mprotect((void *)start, file_pages_end - start, prot | PROT_WRITE_);
		for (char *z = (char *)file_end; z < (char *)file_pages_end; z++)
			*z = 0;
		if (!(prot & PROT_WRITE_))
			sys_mprotect((void *)start, file_pages_end - start, prot);
	}
	uintptr_t anon = p->p_filesz ? file_pages_end : start;
	if (up(mem_end, pg) > anon) {
		r = sys_mmap((void *)anon, up(mem_end, pg) - anon, prot,
		             MAP_PRIVATE_ | MAP_FIXED_ | MAP_ANONYMOUS_, -1, 0);
		if (sys_failed(r))
			fail(path, r);
	}
}

/* Where the cache path string may be: read-only data. A segment of its
 * own where the linker made one (x86_64, i386), else the code segment
 * (aarch64 and riscv64 put both in one); never the headers' segment when
 * there is another. */
static int search_rank(const Phdr *p)
{
	if (p->p_type != PT_LOAD || (p->p_flags & PF_W))
		return 0;
	return 1 + (p->p_offset != 0) + 2 * !(p->p_flags & PF_X);
}

/* The segments a patch may go into: read-only, backed by the file to
 * their end (a remap then restores them whole). They are mapped as the
 * kernel maps them, and made writable only for a patch (ldso_writable):
 * tools learn of ld.so from its mmaps (perf's mmap events, valgrind's
 * debug info), so those must look as the kernel's. */
static int patch_target(const Phdr *p, unsigned flags, int searched)
{
	if (p->p_type != PT_LOAD || (p->p_flags & PF_W) || p->p_memsz != p->p_filesz)
		return 0;
	return ((flags & LDSO_MAP_CODE) && (p->p_flags & PF_X)) ||
	       ((flags & LDSO_MAP_RODATA) && searched);
}

/* Where ld.so's read-only data is, as an offset range: the search for
 * the cache path string is the costly part of pointing ld.so at a cache
 * (measured: 11 us over Debian's whole read-only segment, which is also
 * its unwind tables; the whole code segment on aarch64 and riscv64).
 * Where the linker gave read-only data a segment of its own (x86_64,
 * i386), it is that segment up to the unwind tables (PT_GNU_EH_FRAME):
 * .rodata exactly, in GNU ld's layout, known from the program headers
 * alone. Where code and read-only data share a segment, the PROGBITS
 * sections that are only allocated (not code, not data) before the
 * unwind tables, from the section headers (one more pread). 0, 0: not
 * known, search the whole segments. */
static Shdr shdr_buf[64];
static void rodata_range(struct ldso *out, int fd, const Ehdr *e, const Phdr *ph)
{
	uint64_t eh = ~(uint64_t)0, lo = ~(uint64_t)0, hi = 0;
	int code_too = 1;
	for (int i = 0; i < e->e_phnum; i++)
		if (ph[i].p_type == PT_GNU_EH_FRAME)
			eh = ph[i].p_vaddr;
	for (int i = 0; eh != ~(uint64_t)0 && i < e->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && !(ph[i].p_flags & PF_W) &&
		    eh >= ph[i].p_vaddr && eh < ph[i].p_vaddr + ph[i].p_memsz) {
			lo = ph[i].p_vaddr;
			hi = eh;
			code_too = (ph[i].p_flags & PF_X) != 0;
		}
	size_t n = e->e_shnum;
	if (code_too && e->e_shoff && n && n <= sizeof shdr_buf / sizeof *shdr_buf &&
	    e->e_shentsize == sizeof(Shdr) &&
	    sys_pread(fd, shdr_buf, n * sizeof(Shdr), e->e_shoff) == (long)(n * sizeof(Shdr))) {
		lo = ~(uint64_t)0;
		hi = 0;
		for (size_t i = 0; i < n; i++) {
			const Shdr *s = &shdr_buf[i];
			if (s->sh_type != SHT_PROGBITS ||
			    (s->sh_flags & (SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR)) != SHF_ALLOC ||
			    s->sh_addr + s->sh_size > eh || !s->sh_size)
				continue;
			if (s->sh_addr < lo)
				lo = s->sh_addr;
			if (s->sh_addr + s->sh_size > hi)
				hi = s->sh_addr + s->sh_size;
		}
	}
	if (lo < hi && hi - lo <= MAX_SPAN) {
		out->rodata_lo = lo;   /* + base once mapped */
		out->rodata_hi = hi;
	}
}

void elf_map(struct ldso *out, const char *path, uintptr_t pg, unsigned flags)
{
	union {
		Ehdr e;
		Phdr ph[MAX_PHNUM];
		char b[MAX_PHNUM * sizeof(Phdr)];
	} buf;
	struct statx_ st;
	Ehdr e;
	long r;

	long fd = sys_open(path);
	if (fd < 0)
		fail(path, fd);
	if ((r = sys_statx_fd((int)fd, &st)) < 0)
		fail(path, r);
	if ((st.mode & S_IFMT_) == S_IFDIR_)
		fail(path, -21);
	if ((st.mode & S_IFMT_) != S_IFREG_)
		die(path, "not a regular file");
	if (st.size == 0)
		die(path, "empty file");
	r = sys_pread((int)fd, buf.b, sizeof buf.b, 0);
	if (r < 0)
		fail(path, r);
	/* A short text file is "not an ELF file", not a truncated one. */
	static const char magic[4] = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3 };
	for (long i = 0; i < r && i < 4; i++)
		if (buf.b[i] != magic[i])
			die(path, "not an ELF file");
	if ((size_t)r < sizeof(Ehdr))
		die(path, "file too short for an ELF header");
	e = buf.e;
	const char *why = check_ehdr(&e, st.size);
	if (why)
		die(path, why);
	size_t phsize = (size_t)e.e_phnum * sizeof(Phdr);
	const Phdr *ph = (const Phdr *)(buf.b + e.e_phoff);
	if (e.e_phoff + phsize > (uint64_t)r) {
		/* Program headers away from the ELF header: read them alone. */
		r = sys_pread((int)fd, buf.b, phsize, e.e_phoff);
		if (r < 0)
			fail(path, r);
		if ((size_t)r < phsize)
			die(path, "truncated program header table");
		ph = buf.ph;
	} else if (e.e_phoff % sizeof(uintptr_t)) {
		die(path, "misaligned program header table");
	}
	if ((why = check_phdrs(&e, ph, st.size, pg)))
		die(path, why);
	out->rodata_lo = out->rodata_hi = 0;
	if (flags & LDSO_MAP_RODATA)
		rodata_range(out, (int)fd, &e, ph);

	/* The first PT_LOAD is mapped over the whole span, which reserves the
	 * address range; the others replace their part of it (MAP_FIXED). */
	const Phdr *first = 0, *last = 0;
	int best = 0;
	for (int i = 0; i < e.e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD) {
			if (!first)
				first = &ph[i];
			last = &ph[i];
		}
		if (search_rank(&ph[i]) > best)
			best = search_rank(&ph[i]);
	}
	out->nopen = 0;
	out->patched = 0;
	int extra[MAX_PHNUM], wprot[MAX_PHNUM];
	for (int i = 0; i < e.e_phnum; i++) {
		wprot[i] = 0;
		int searched = best && search_rank(&ph[i]) == best;
		extra[i] = 0;
		if (patch_target(&ph[i], flags, searched) && out->nopen < LDSO_MAX_OPEN) {
			int k = (int)out->nopen++;
			out->open[k].prot = prot_of(&ph[i]);
			out->open[k].off = down(ph[i].p_offset, pg);
			out->open[k].lo = down(ph[i].p_vaddr, pg);   /* + base below */
			out->open[k].len = up(ph[i].p_vaddr + ph[i].p_memsz, pg) - out->open[k].lo;
			out->open[k].patches = 0;
			out->open[k].search = (unsigned char)searched;
			out->open[k].writable = 0;
			/* Read-only data is mapped writable from the start:
			 * ldso_seal's one mprotect per patch. Not charged for
			 * commit (VM_ACCOUNT), which would let it merge with
			 * the read-only part of ld.so's data that follows it
			 * (RELRO) once sealed: one mapping where the kernel
			 * makes two. Code is made writable only for a patch
			 * (ldso_writable): perf and valgrind learn of it
			 * from its mmap, which must look as the kernel's. */
			if (!(ph[i].p_flags & PF_X)) {
				extra[i] = MAP_NORESERVE_;
				out->open[k].writable = 1;
				wprot[i] = PROT_WRITE_;
			}
		}
	}
	uintptr_t lo = down(first->p_vaddr, pg);
	uintptr_t span = up(last->p_vaddr + last->p_memsz, pg) - lo;
	long m = first->p_filesz
	         ? sys_mmap(0, span, prot_of(first) | wprot[first - ph],
	                    MAP_PRIVATE_ | extra[first - ph], (int)fd,
	                    down(first->p_offset, pg))
	         : sys_mmap(0, span, PROT_NONE_, MAP_PRIVATE_ | MAP_ANONYMOUS_, -1, 0);
	if (sys_failed(m))
		fail(path, m);
	uintptr_t base = (uintptr_t)m - lo;
	uintptr_t covered = down(first->p_vaddr, pg);
	for (const Phdr *p = first; p <= last; p++) {
		if (p->p_type != PT_LOAD)
			continue;
		uintptr_t from = down(p->p_vaddr, pg);
		if (from > covered)  /* a hole between segments: no access */
			sys_mprotect((void *)(base + covered), from - covered, PROT_NONE_);
		map_segment(path, (int)fd, p, base, pg, p == first && p->p_filesz,
		            prot_of(p) | wprot[p - ph], extra[p - ph]);
		covered = up(p->p_vaddr + p->p_memsz, pg);
	}
	sys_close((int)fd);
	for (unsigned k = 0; k < out->nopen; k++)
		out->open[k].lo += base;
	if (out->rodata_hi) {
		out->rodata_lo += base;
		out->rodata_hi += base;
	}

	out->base = base;
	out->entry = base + e.e_entry;
	out->phnum = e.e_phnum;
	out->path = path;
	out->pagesz = pg;
	out->phdr = 0;
	if (first->p_offset == 0 && e.e_phoff + phsize <= first->p_filesz)
		out->phdr = base + first->p_vaddr + e.e_phoff;
}

int ldso_writable(struct ldso *ld, uintptr_t at, uintptr_t len, unsigned patch)
{
	for (unsigned k = 0; k < ld->nopen; k++) {
		if (at < ld->open[k].lo || at - ld->open[k].lo > ld->open[k].len ||
		    len > ld->open[k].lo + ld->open[k].len - at)
			continue;
		/* Writable (a private mapping: the pages written are copied)
		 * for all its patches at once. The whole segment, not
		 * one page: that would split the mapping in three, and
		 * /proc/self/maps would no longer look as when the kernel maps
		 * ld.so (unwinders name frames from it). */
		if (!ld->open[k].writable) {
			if (sys_mprotect((void *)ld->open[k].lo, ld->open[k].len,
			                 PROT_READ_ | PROT_WRITE_) < 0)
				return -1;
			ld->open[k].writable = 1;
		}
		ld->open[k].patches |= patch;
		return (int)k;
	}
	return -1;
}

unsigned ldso_seal(struct ldso *ld)
{
	unsigned lost = 0;
	for (unsigned k = 0; k < ld->nopen; k++) {
		if (!ld->open[k].writable)
			continue;
		if (sys_mprotect((void *)ld->open[k].lo, ld->open[k].len, ld->open[k].prot) >= 0)
			continue;
		/* Memory-deny-write-execute (prctl PR_SET_MDWE, systemd's
		 * MemoryDenyWriteExecute=): what was writable may not become
		 * executable. A new mapping of the file is allowed. */
		long fd = sys_open(ld->path), m = -1;
		if (fd >= 0) {
			m = sys_mmap((void *)ld->open[k].lo, ld->open[k].len, ld->open[k].prot,
			             MAP_PRIVATE_ | MAP_FIXED_ |
			             (ld->open[k].prot & PROT_EXEC_ ? 0 : MAP_NORESERVE_),
			             (int)fd, ld->open[k].off);
			sys_close((int)fd);
		}
		if (fd < 0 || sys_failed(m))
			die(ld->path, "cannot make its code executable again");
		lost |= ld->open[k].patches;
	}
	ld->nopen = 0;
	if (lost & LDSO_PATCH_DEBUG)
		say(LOG_DEBUG, "ld.so's _dl_debug_state not patched: code may not be"
		    " made executable again (memory-deny-write-execute)", (char *)0);
	/* A patch in two segments is gone if either was lost. */
	ld->patched &= ~lost;
	return ld->patched;
}
