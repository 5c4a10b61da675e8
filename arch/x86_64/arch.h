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

#include "elfdef.h"

#define ARCH_SYSTEM   "x86_64_linux"
#define ARCH_INTERP   "/lib64/ld-linux-x86-64.so.2"
#define ARCH_CLASS    ELFCLASS64
#define ARCH_MACHINE  EM_X86_64
#define ARCH_STACK_ALIGN 16

#define ElfW(type) Elf64_##type

#endif
