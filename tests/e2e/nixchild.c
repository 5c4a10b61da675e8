/* nixchild [--exec PROG ARG...]: the NixOS program of the mixed trees.
 * Built with the store's ld.so as interpreter and a RUNPATH to its own
 * store directory, where a good libgreet.so.1 is; a poisoned one of the
 * same soname sits on the injected path and aborts if loaded.
 *
 * It reports which libgreet it got and its whole environment:
 *     nixchild greet=good pid=N
 *     env NAME=VALUE          (one per entry, in order)
 *     end
 * appended in one write to the file $NIXCHILD_LOG if that is set (its
 * parent may be a compiler driver or git, whose output is not ours),
 * otherwise on stdout. With --exec it then becomes PROG, environment
 * unchanged (searched on PATH, as a compiler driver names "as"): NixOS
 * program -> foreign program, the next level down. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;
const char *greet_who(void);

int main(int argc, char **argv)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	fprintf(f, "nixchild greet=%s pid=%d\n", greet_who(), (int)getpid());
	for (char **e = environ; *e; e++)
		fprintf(f, "env %s\n", *e);
	fprintf(f, "end\n");
	fclose(f);
	const char *log = getenv("NIXCHILD_LOG");
	int fd = log ? open(log, O_WRONLY | O_CREAT | O_APPEND, 0644) : 1;
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len) {
		perror(log ? log : "stdout");
		return 2;
	}
	if (argc > 2 && strcmp(argv[1], "--exec") == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		return 127;
	}
	return 0;
}
