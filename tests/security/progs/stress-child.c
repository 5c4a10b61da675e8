/* stress-child: a NixOS program (PT_INTERP the real ld.so, RUNPATH to its
 * own libwho). Exit 0 only if it got its own libwho, "good". */
#include <stdio.h>
#include <string.h>

const char *who(void);

int main(void)
{
	if (strcmp(who(), "good") != 0) {
		fprintf(stderr, "stress-child: got libwho \"%s\"\n", who());
		return 4;
	}
	return 0;
}
