/* libpre.so: for --preload; says so before main runs. */
#include <unistd.h>
__attribute__((constructor)) static void preloaded(void)
{
	static const char msg[] = "preloaded\n";
	if (write(1, msg, sizeof msg - 1) < 0)
		_exit(3);
}
