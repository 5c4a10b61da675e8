/* libFuzzer target: elf_check (shim/ldso.c) on an arbitrary "ld.so" file.
 * When it accepts a file, an independent re-check of what elf_map then
 * relies on must agree: a 64-bit x86_64 ET_DYN, program headers inside the
 * file, PT_LOADs in order, inside the file, of bounded span, the entry in
 * an executable one. Any disagreement aborts. */
#include <stdio.h>
#include "hosted.h"

typedef ElfW(Ehdr) Ehdr;
typedef ElfW(Phdr) Phdr;

static void bad(const char *what)
{
	fprintf(stderr, "elf_check accepted a file where %s\n", what);
	abort();
}

static void recheck(const uint8_t *file, size_t size, uint64_t pg)
{
	Ehdr e;
	memcpy(&e, file, sizeof e);
	if (memcmp(e.e_ident, "\177ELF", 4) || e.e_ident[EI_CLASS] != ARCH_CLASS ||
	    e.e_machine != ARCH_MACHINE || e.e_type != ET_DYN)
		bad("the ELF identity is wrong");
	if (e.e_phentsize != sizeof(Phdr) || e.e_phnum == 0 || e.e_phnum > 64)
		bad("the program header count or size is wrong");
	if (e.e_phoff > size || (size - e.e_phoff) / sizeof(Phdr) < e.e_phnum)
		bad("the program headers are outside the file");
	uint64_t prev_end = 0, lo = 0;
	int loads = 0, entry = 0;
	for (int i = 0; i < e.e_phnum; i++) {
		Phdr p;
		memcpy(&p, file + e.e_phoff + i * sizeof p, sizeof p);
		if (p.p_type != PT_LOAD)
			continue;
		if (p.p_filesz > p.p_memsz)
			bad("p_filesz > p_memsz");
		if (p.p_offset > size || p.p_filesz > size - p.p_offset)
			bad("a segment is outside the file");
		if ((p.p_offset % pg) != (p.p_vaddr % pg))
			bad("a segment is misaligned");
		if (p.p_vaddr > (1ull << 32) || p.p_memsz > (1ull << 32))
			bad("a segment is huge");
		uint64_t start = p.p_vaddr & ~(pg - 1);
		if (!loads)
			lo = start;
		else if (start < prev_end)
			bad("segments overlap");
		prev_end = (p.p_vaddr + p.p_memsz + pg - 1) & ~(pg - 1);
		if (prev_end - lo > (1ull << 31))
			bad("the span is huge");
		if ((p.p_flags & PF_X) && e.e_entry >= p.p_vaddr &&
		    e.e_entry < p.p_vaddr + p.p_memsz)
			entry = 1;
		loads++;
	}
	if (!loads)
		bad("there is no PT_LOAD");
	if (!entry)
		bad("the entry is outside every executable segment");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The page size the shim was given (AT_PAGESZ): 4, 16 or 64 KiB,
	 * chosen by the last padding byte of e_ident. */
	static const uintptr_t pages[4] = { 4096, 16384, 65536, 4096 };
	uintptr_t pg = size > 15 ? pages[data[15] & 3] : 4096;
	int short_file;
	const char *why = hosted_elf_check(data, size, pg, &short_file);
	if (short_file)
		return 0;
	if (why) {
		if (!*why)
			abort();  /* a reason must say something */
		return 0;
	}
	recheck(data, size, pg);
	return 0;
}
