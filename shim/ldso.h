/* Mapping the real ld.so the way the kernel maps a program interpreter. */
#ifndef LDSHIM_LDSO_H
#define LDSHIM_LDSO_H

#include <stdint.h>

struct ldso {
	uintptr_t base;           /* load bias: the value of AT_BASE */
	uintptr_t entry;          /* base + e_entry */
	uintptr_t phdr;           /* its program headers in memory, or 0 */
	uintptr_t phnum;
	const char *path;         /* the file it was mapped from */
};

/* Map `path` or die with "<path>: <reason>". */
void elf_map(struct ldso *out, const char *path, uintptr_t pagesz);

/* The checks of elf_map on a header already in memory, for the tests and
 * the fuzzer: NULL if the ELF header and program headers (at phdrs, of
 * file size `size`) are acceptable, else the reason. */
const char *elf_check(const void *ehdr, const void *phdrs, uint64_t size,
                      uintptr_t pagesz);

#endif
