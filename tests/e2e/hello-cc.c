/* Compiled and linked by gcc inside the simulated NixOS; the result is a
 * foreign program too, and runs there through ldshim. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	printf("compiled in NixOS: sqrt(2) = %.3f, LD_LIBRARY_PATH %s\n",
	       sqrt(2.0), getenv("LD_LIBRARY_PATH") ? "set" : "unset");
	return 0;
}
