/* The shim's two ends in arch/<arch>/start.S: where the kernel's jump
 * lands (ldshim_main, main.c) and the jump to the real ld.so. */
#ifndef LDSHIM_LDSHIM_H
#define LDSHIM_LDSHIM_H

#include <stdint.h>

/* Called by ldshim_start with the initial stack pointer. */
void ldshim_main(uintptr_t *sp) __attribute__((noreturn, used));

/* Jump to ld.so's entry with sp (arch/<arch>/start.S). */
void ldshim_enter(uintptr_t entry, uintptr_t *sp) __attribute__((noreturn));

#endif
