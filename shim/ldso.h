/* Mapping the real ld.so the way the kernel maps a program interpreter. */
#ifndef LDSHIM_LDSO_H
#define LDSHIM_LDSO_H

#include <stdint.h>

/* What ldshim may change in its private mapping of ld.so, each verified
 * by the tests byte for byte: */
#define LDSO_PATCH_DEBUG 1u   /* _dl_debug_state jumps to the shim's (debug.c) */
#define LDSO_PATCH_CACHE 2u   /* the cache path string (ldpatch.c) */

/* elf_map flags: which read-only segments may be patched (until
 * ldso_seal): they are mapped as the kernel maps them, and made writable
 * by the first patch in them. */
#define LDSO_MAP_CODE   1u    /* executable segments (the debug hook) */
#define LDSO_MAP_RODATA 2u    /* where the cache path string is: read-only
                                 data, or code where the linker put both
                                 in one segment (aarch64, riscv64) */

#define LDSO_MAX_OPEN 4

struct ldso {
	uintptr_t base;           /* load bias: the value of AT_BASE */
	uintptr_t entry;          /* base + e_entry */
	uintptr_t phdr;           /* its program headers in memory, or 0 */
	uintptr_t phnum;
	const char *path;         /* the file it was mapped from */
	uintptr_t pagesz;
	unsigned patched;         /* LDSO_PATCH_* made so far */
	uintptr_t rodata_lo, rodata_hi;  /* where read-only data is, if known
	                                    (LDSO_MAP_RODATA), else 0 */
	unsigned ncache_site;     /* the cache path string (ldpatch.c) */
	unsigned char *cache_site[4];
	uintptr_t cache_room;
	unsigned nopen;
	struct {                  /* segments still writable, until ldso_seal */
		uintptr_t lo, len;    /* page-aligned */
		uint64_t off;         /* their file offset, to map them afresh */
		int prot;             /* the protection the kernel would give */
		unsigned patches;     /* LDSO_PATCH_* made in it */
		unsigned char search; /* where the cache path string may be */
		unsigned char writable;  /* mapped or made writable */
	} open[LDSO_MAX_OPEN];
};

/* Map `path` or die with "<path>: <reason>". `flags` name the segments
 * that may be patched until ldso_seal. */
void elf_map(struct ldso *out, const char *path, uintptr_t pagesz, unsigned flags);

/* Make [at, at+len) writable for `patch` (code: its whole segment, until
 * ldso_seal). The index of its segment, or -1 if it is not in one elf_map
 * was asked to prepare, or the kernel refuses. */
int ldso_writable(struct ldso *ld, uintptr_t at, uintptr_t len, unsigned patch);

/* Give every segment elf_map left writable its own protection. Where the
 * kernel refuses (memory-deny-write-execute: code that was writable may
 * not become executable), the segment is mapped afresh from the file,
 * unpatched. Returns the patches that remain (ld->patched). */
unsigned ldso_seal(struct ldso *ld);

/* The checks of elf_map on a header already in memory, for the tests and
 * the fuzzer: NULL if the ELF header and program headers (at phdrs, of
 * file size `size`) are acceptable, else the reason. */
const char *elf_check(const void *ehdr, const void *phdrs, uint64_t size,
                      uintptr_t pagesz);

#endif
