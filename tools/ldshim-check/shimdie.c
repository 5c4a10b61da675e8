/* The shim's die, for the shim code compiled into the tool (shimdie.h). */
#include "shimdie.h"

#include <stdio.h>
#include <stdlib.h>

jmp_buf *shim_die_jmp;
char shim_die_why[512];

void check_shim_die(const char *what, const char *reason)
{
	snprintf(shim_die_why, sizeof shim_die_why, "%s: %s", what, reason);
	if (shim_die_jmp)
		longjmp(*shim_die_jmp, 1);
	fprintf(stderr, "ldshim-check: %s\n", shim_die_why);
	exit(2);
}
