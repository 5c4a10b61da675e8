#include <stdio.h>

int bigtls_touch(void);

int main(void)
{
	printf("bigtls %d\n", bigtls_touch());
	return 0;
}
