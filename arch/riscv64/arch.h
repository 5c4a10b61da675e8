/* riscv64: what ldshim needs to know about the architecture.
 *
 * - ELF: ELFCLASS64, EM_RISCV, little endian (lp64d, the Debian ABI).
 * - The standard interpreter path is /lib/ld-linux-riscv64-lp64d.so.1.
 * - Process entry: sp points at argc and is 16-byte aligned, a0 holds a
 *   function for atexit (the kernel passes 0, ld.so passes _dl_fini), ra
 *   and s0/fp are zero so that unwinders stop at _start, and gp is left as
 *   ld.so set it (the program's _start loads its own).
 */
#ifndef LDSHIM_ARCH_H
#define LDSHIM_ARCH_H

#include <stdint.h>
#include "elfdef.h"

#define ARCH_SYSTEM   "riscv64_linux"
#define ARCH_INTERP   "/lib/ld-linux-riscv64-lp64d.so.1"
#define ARCH_CLASS    ELFCLASS64
#define ARCH_MACHINE  EM_RISCV
#define ARCH_STACK_ALIGN 16
/* The flags its ld.so requires of a library cache entry (ldcache.h). */
#define ARCH_CACHE_FLAGS LDCACHE_FLAGS_RISCV64

#define ElfW(type) Elf64_##type

/* Debuggers stop at the interpreter's _dl_debug_state. The real ld.so's is
 * a 2-byte compressed `ret` with the next function right after it: the
 * only jump that fits, c.j, reaches +-2 KiB, never the shim. So it is left
 * alone (returns 0: not patched), and a debugger does not hear of library
 * loads through ldshim on riscv64. */
static inline int arch_patch_debug_state(unsigned char *at, uintptr_t target)
{
	(void)at;
	(void)target;
	return 0;
}

#endif
