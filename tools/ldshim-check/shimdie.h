/* The shim's code, compiled into the tool, calls die() where a start
 * cannot go on (elf_map: the real ld.so cannot be mapped). tool.mk
 * renames those calls to check_shim_die, defined here, below every file
 * that compiles shim code in: it returns to the caller that asked for it
 * rather than ending the tool. */
#ifndef SHIMDIE_H
#define SHIMDIE_H

#include <setjmp.h>

/* Where check_shim_die returns to (longjmp with 1), or 0: then it prints
 * the reason and exits 2. */
extern jmp_buf *shim_die_jmp;
/* The reason of the last call: "<what>: <reason>". */
extern char shim_die_why[512];

void check_shim_die(const char *what, const char *reason);

#endif
