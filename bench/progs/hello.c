/* The hello-world workload: the least a C program does. */
#include <stdio.h>
int main(void)
{
	puts("hello");
	return 0;
}
