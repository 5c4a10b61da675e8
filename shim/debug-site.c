/* The breakpoint site debuggers find in ldshim's file (debug.c says why).
 * Empty, but never merged or dropped. A file of its own, linked after all
 * the other C code, so that its symbol ends the span of the symbol
 * `ldshim` over that code (Makefile: profilers name samples in it). */
#include "debug.h"

void _dl_debug_state(void) __attribute__((used, noinline));
void _dl_debug_state(void)
{
	__asm__ volatile("");
}
