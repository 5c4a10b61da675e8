/* needs-gone: needs libgone.so.1, which is nowhere to be found. */
#include <stdio.h>
int gone(void);
int main(void)
{
	printf("gone: %d\n", gone());
	return 0;
}
