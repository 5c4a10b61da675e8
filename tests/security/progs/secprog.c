/* secprog OUT: the setuid test program. Prints which libwho it got, its
 * AT_SECURE, real and effective uid, and writes environ to OUT (each entry
 * NUL-terminated, as given). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;
const char *who(void);

int main(int argc, char **argv)
{
	printf("who: %s, secure %lu, uid %d, euid %d\n", who(), getauxval(AT_SECURE),
	       (int)getuid(), (int)geteuid());
	if (argc < 2)
		return 0;
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	for (char **e = environ; *e; e++)
		if (write(fd, *e, strlen(*e) + 1) != (ssize_t)strlen(*e) + 1)
			return 2;
	return close(fd) ? 2 : 0;
}
