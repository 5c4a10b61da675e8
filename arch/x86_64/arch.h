/* x86_64: what ldshim needs to know about the architecture.
 *
 * - ELF: ELFCLASS64, EM_X86_64, little endian.
 * - The standard interpreter path is /lib64/ld-linux-x86-64.so.2.
 * - Process entry: %rsp points at argc and is 16-byte aligned, %rdx holds a
 *   function for atexit (the kernel passes 0, ld.so passes _dl_fini), %rbp
 *   is zero so that unwinders stop at _start.
 */
#ifndef LDSHIM_ARCH_H
#define LDSHIM_ARCH_H

#include <stdint.h>
#include "elfdef.h"

#define ARCH_SYSTEM   "x86_64_linux"
#define ARCH_INTERP   "/lib64/ld-linux-x86-64.so.2"
#define ARCH_CLASS    ELFCLASS64
#define ARCH_MACHINE  EM_X86_64
#define ARCH_STACK_ALIGN 16
/* The flags its ld.so requires of a library cache entry (ldcache.h). */
#define ARCH_CACHE_FLAGS LDCACHE_FLAGS_X86_64

#define ElfW(type) Elf64_##type

/* Debuggers stop at the interpreter's _dl_debug_state; the real ld.so's is
 * a lone `ret` padded with NOPs to 16 bytes. Overwrite it with a jump to
 * ours: `jmp rel32` when in reach, else `jmp *0(%rip)` and the address.
 * Returns the bytes written, or 0 if the site does not look as expected. */
static inline int arch_patch_debug_state(unsigned char *at, uintptr_t target)
{
	static const unsigned char nop_bytes[] = { 0x66, 0x2e, 0x0f, 0x1f, 0x84,
		0x00, 0x40, 0x44, 0x80, 0x90, 0xcc };
	unsigned room = 16 - ((uintptr_t)at & 15);
	if (at[0] != 0xc3 || room < 5)
		return 0;
	for (unsigned i = 1; i < room; i++) {
		unsigned k = 0;
		while (k < sizeof nop_bytes && nop_bytes[k] != at[i])
			k++;
		if (k == sizeof nop_bytes)
			return 0;
	}
	intptr_t rel = (intptr_t)(target - ((uintptr_t)at + 5));
	if (rel == (int32_t)rel) {
		at[0] = 0xe9;
		for (int i = 0; i < 4; i++)
			at[1 + i] = (unsigned char)((uintptr_t)rel >> (8 * i));
		return 5;
	}
	if (room < 14)
		return 0;
	static const unsigned char abs_jmp[] = { 0xff, 0x25, 0, 0, 0, 0 };
	for (int i = 0; i < 6; i++)
		at[i] = abs_jmp[i];
	for (int i = 0; i < 8; i++)
		at[6 + i] = (unsigned char)(target >> (8 * i));
	return 14;
}

#endif
