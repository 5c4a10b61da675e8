/* aarch64: what ldshim needs to know about the architecture.
 *
 * - ELF: ELFCLASS64, EM_AARCH64, little endian.
 * - The standard interpreter path is /lib/ld-linux-aarch64.so.1.
 * - Process entry: sp points at argc and is 16-byte aligned, x0 holds a
 *   function for atexit (the kernel passes 0, ld.so passes _dl_fini), x29
 *   (frame pointer) and x30 (link register) are zero so that unwinders
 *   stop at _start.
 */
#ifndef LDSHIM_ARCH_H
#define LDSHIM_ARCH_H

#include <stdint.h>
#include "elfdef.h"

#define ARCH_SYSTEM   "aarch64_linux"
#define ARCH_INTERP   "/lib/ld-linux-aarch64.so.1"
#define ARCH_CLASS    ELFCLASS64
#define ARCH_MACHINE  EM_AARCH64
#define ARCH_STACK_ALIGN 16
/* The flags its ld.so requires of a library cache entry (ldcache.h). */
#define ARCH_CACHE_FLAGS LDCACHE_FLAGS_AARCH64

#define ElfW(type) Elf64_##type

/* Debuggers stop at the interpreter's _dl_debug_state; the real ld.so's is
 * a lone `ret` with the next function right after it, so only one
 * instruction fits: `b target`, which reaches +-128 MiB (ld.so is mapped
 * next to the shim in practice). The page is written through the data
 * cache: clean it to the point of unification and drop the stale
 * instruction cache line before anything runs it.
 * Returns the bytes written, or 0 if the site does not look as expected. */
static inline int arch_patch_debug_state(unsigned char *at, uintptr_t target)
{
	uint32_t *insn = (uint32_t *)at;
	intptr_t rel = (intptr_t)(target - (uintptr_t)at);
	if (((uintptr_t)at & 3) || *insn != 0xd65f03c0u)  /* ret */
		return 0;
	if ((rel & 3) || rel < -(1L << 27) || rel >= (1L << 27))
		return 0;
	*insn = 0x14000000u | (uint32_t)((rel >> 2) & 0x3ffffff);
	__asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb"
	                 : : "r"(at) : "memory");
	return 4;
}

#endif
