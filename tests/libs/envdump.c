/* envdump OUT: write environ to OUT, each entry NUL-terminated, exactly
 * as this program was given it. The child the spawn tests run. It may
 * also load libgreet (if linked with it) and say which one it got. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#ifdef WITH_GREET
const char *greet_who(void);
#endif

int main(int argc, char **argv)
{
#ifdef WITH_GREET
	printf("child greet: %s\n", greet_who());
	fflush(stdout);
#endif
	if (argc < 2)
		return 0;
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	for (char **e = environ; *e; e++)
		if (write(fd, *e, strlen(*e) + 1) < 0)
			return 2;
	close(fd);
	return 0;
}
