/* envfile OUT: write environ to OUT, each entry followed by a NUL, exactly
 * as this program got it; exit 0. The program the security tests run
 * through ldshim. With a second argument it also prints "started". */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc > 2)
		puts("started");
	if (argc < 2)
		return 0;
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	for (char **e = environ; *e; e++)
		if (write(fd, *e, strlen(*e) + 1) != (ssize_t)strlen(*e) + 1) {
			perror(argv[1]);
			return 2;
		}
	return close(fd) ? 2 : 0;
}
