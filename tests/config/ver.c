/* Prints the version of libver.so.1 it was started with. NAME makes each
 * program a different file, with its own build-id. */
#include <stdio.h>
const char *libver(void);
__attribute__((used)) static const char name[] = NAME;
int main(void)
{
	printf("libver %s\n", libver());
	return 0;
}
