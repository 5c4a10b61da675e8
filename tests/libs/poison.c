/* A poisoned libgreet.so.1 (same soname as greet.c): loading it at all is
 * the failure, so its constructor says so and aborts before any program
 * code could run. */
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void poison(void)
{
	static const char msg[] = "POISON: the injected libgreet.so.1 was loaded\n";
	(void)!write(1, msg, sizeof msg - 1);
	abort();
}

const char *greet_who(void)
{
	return "poison";
}
