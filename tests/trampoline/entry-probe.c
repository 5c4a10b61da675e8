/* entry-probe OUT: linked with libentrycapture.so.1 (whose constructor
 * writes the bytes at AT_ENTRY to OUT); from main, says whether
 * getauxval(AT_ENTRY) is now the program's own entry, _start. */
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>

extern char _start[];

int main(void)
{
	uintptr_t e = getauxval(AT_ENTRY);
	if (e == (uintptr_t)_start)
		puts("AT_ENTRY is _start");
	else
		printf("AT_ENTRY %#lx, _start %#lx\n", (unsigned long)e,
		       (unsigned long)(uintptr_t)_start);
	return 0;
}
