/* The library of the tools' program: found only through the Nix library
 * path, with a constructor (ld.so calls it before the program's entry, so a
 * debugger stopped there sees ld.so's own frames) and a hot loop of its
 * own for the profiler. */
#include <stdio.h>

int tool_lib_ready;

__attribute__((constructor, noinline)) void tool_lib_ctor(void)
{
	tool_lib_ready = 1;
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) unsigned long tool_lib_spin(unsigned long n)
{
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < n; i++)
		x += i * 2654435761u;
	return x;
}
