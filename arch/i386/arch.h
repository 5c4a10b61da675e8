/* i386: what ldshim needs to know about the architecture.
 *
 * - ELF: ELFCLASS32, EM_386, little endian.
 * - The standard interpreter path is /lib/ld-linux.so.2.
 * - Process entry: %esp points at argc and is 16-byte aligned (the kernel
 *   and ld.so both align it; gcc's code assumes it), %edx holds a function
 *   for atexit (the kernel passes 0, ld.so passes _dl_fini), %ebp is zero
 *   so that unwinders stop at _start.
 * - No pc-relative data addressing: C code finds its data through a
 *   get_pc_thunk call, and the trampoline, which may not call, through the
 *   address it was entered at (see trampoline.S).
 */
#ifndef LDSHIM_ARCH_H
#define LDSHIM_ARCH_H

#include <stdint.h>
#include "elfdef.h"

#define ARCH_SYSTEM   "i686_linux"
#define ARCH_INTERP   "/lib/ld-linux.so.2"
#define ARCH_CLASS    ELFCLASS32
#define ARCH_MACHINE  EM_386
#define ARCH_STACK_ALIGN 16
/* The flags its ld.so requires of a library cache entry (ldcache.h). */
#define ARCH_CACHE_FLAGS LDCACHE_FLAGS_I386

#define ElfW(type) Elf32_##type

/* Debuggers stop at the interpreter's _dl_debug_state; the real ld.so's is
 * a lone `ret` padded with NOPs to the next 16-byte boundary. Overwrite it
 * with `jmp rel32`, which reaches anywhere in a 32-bit address space.
 * Returns the bytes written, or 0 if the site does not look as expected. */
static inline int arch_patch_debug_state(unsigned char *at, uintptr_t target)
{
	/* The bytes of the NOP forms gas and gcc pad i386 code with. */
	static const unsigned char pad[] = { 0x90, 0x8d, 0xb4, 0xb6, 0xbc, 0x26,
		0x27, 0x74, 0x76, 0x00, 0x89, 0xf6, 0x66, 0x2e, 0x0f, 0x1f, 0x84,
		0x40, 0x44, 0x80, 0xcc };
	unsigned room = 16 - ((uintptr_t)at & 15);
	if (at[0] != 0xc3 || room < 5)
		return 0;
	for (unsigned i = 1; i < room; i++) {
		unsigned k = 0;
		while (k < sizeof pad && pad[k] != at[i])
			k++;
		if (k == sizeof pad)
			return 0;
	}
	uint32_t rel = (uint32_t)(target - ((uintptr_t)at + 5));
	at[0] = 0xe9;
	for (int i = 0; i < 4; i++)
		at[1 + i] = (unsigned char)(rel >> (8 * i));
	return 5;
}

#endif
