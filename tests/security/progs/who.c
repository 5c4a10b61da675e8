/* libwho.so.1: built good (WHO="good") and poisoned (-DMARKER=path: its
 * constructor leaves MARKER behind, the proof that it was loaded). */
#ifdef MARKER
#include <fcntl.h>
#include <unistd.h>
__attribute__((constructor)) static void poison(void)
{
	int fd = open(MARKER, O_WRONLY | O_CREAT | O_APPEND, 0666);
	(void)!write(fd, "poisoned libwho ran\n", 20);
	close(fd);
}
#endif
#ifndef WHO
#define WHO "poison"
#endif
const char *who(void)
{
	return WHO;
}
