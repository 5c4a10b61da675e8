#include "ldso.h"
#include "arch.h"
#include "log.h"
#include "sys.h"

typedef ElfW(Ehdr) Ehdr;
typedef ElfW(Phdr) Phdr;

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

/* Map one PT_LOAD at bias `base`: file pages, the zeroed tail of the last
 * file page, and anonymous pages for the rest of p_memsz. */
static void map_segment(const char *path, int fd, const Phdr *p,
                        uintptr_t base, uintptr_t pg, int premapped)
{
	uintptr_t start = down(base + p->p_vaddr, pg);
	uintptr_t file_end = base + p->p_vaddr + p->p_filesz;
	uintptr_t mem_end = base + p->p_vaddr + p->p_memsz;
	uintptr_t file_pages_end = up(file_end, pg);
	int prot = prot_of(p);
	int zero = p->p_memsz > p->p_filesz && (file_end & (pg - 1));
	long r;

	if (p->p_filesz && !premapped) {
		r = sys_mmap((void *)start, file_pages_end - start,
		             prot | (zero ? PROT_WRITE_ : 0),
		             MAP_PRIVATE_ | MAP_FIXED_, fd, down(p->p_offset, pg));
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

void elf_map(struct ldso *out, const char *path, uintptr_t pg)
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

	/* The first PT_LOAD is mapped over the whole span, which reserves the
	 * address range; the others replace their part of it (MAP_FIXED). */
	const Phdr *first = 0, *last = 0;
	for (int i = 0; i < e.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			if (!first)
				first = &ph[i];
			last = &ph[i];
		}
	uintptr_t lo = down(first->p_vaddr, pg);
	uintptr_t span = up(last->p_vaddr + last->p_memsz, pg) - lo;
	long m = first->p_filesz
	         ? sys_mmap(0, span, prot_of(first), MAP_PRIVATE_, (int)fd,
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
		map_segment(path, (int)fd, p, base, pg, p == first && p->p_filesz);
		covered = up(p->p_vaddr + p->p_memsz, pg);
	}
	sys_close((int)fd);

	out->base = base;
	out->entry = base + e.e_entry;
	out->phnum = e.e_phnum;
	out->path = path;
	out->phdr = 0;
	if (first->p_offset == 0 && e.e_phoff + phsize <= first->p_filesz)
		out->phdr = base + first->p_vaddr + e.e_phoff;
}
