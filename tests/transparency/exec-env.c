/* exec-env FILE CMD [ARGS...]: execve CMD with exactly the NUL-separated
 * entries of FILE as its environment (duplicates, empty entries and
 * entries without '=' included; an empty FILE is the empty environment).
 * The direct-run twin of nixos-sim --env-file; FILE is left in place. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: exec-env FILE CMD [ARGS...]\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		fprintf(stderr, "exec-env: %s: %s\n", argv[1], strerror(errno));
		return 126;
	}
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0)
		if ((len += n) == cap)
			buf = realloc(buf, cap *= 2);
	fclose(f);
	if (!buf)
		return 126;
	size_t count = 0;
	for (size_t i = 0; i < len; i++)
		count += buf[i] == 0;
	char **env = calloc(count + 1, sizeof *env);
	for (size_t i = 0, k = 0; i < len && k < count; k++) {
		env[k] = buf + i;
		i += strlen(buf + i) + 1;
	}
	execve(argv[2], argv + 2, env);
	fprintf(stderr, "exec-env: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
