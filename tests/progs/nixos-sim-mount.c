/* nixos-sim-mount [--env-file FILE] [--nix-store DIR] LDSHIM CMD [ARGS...]:
 * the inside of tests/nixos-sim. With --env-file, CMD gets exactly the
 * NUL-separated entries of FILE as its environment (duplicates and
 * entries without '=' included), and FILE is removed. With --nix-store,
 * DIR is bound at /nix/store.
 * Linked statically, because once /lib64 is hidden no dynamically linked
 * program (mount(8) included) can start. Must run in a fresh private mount
 * namespace (unshare -m --propagation private). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static void must(int r, const char *what, const char *path)
{
	if (r != 0) {
		fprintf(stderr, "nixos-sim: %s %s: %s\n", what, path, strerror(errno));
		exit(126);
	}
}

static void hide(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		must(mount("nixos-sim", dir, "tmpfs", 0, "mode=755"), "hide", dir);
}

static void put_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	must(fd < 0, "create", path);
	close(fd);
}

/* The entries of a NUL-separated file, as an envp array. */
static char **read_env(const char *path)
{
	FILE *f = fopen(path, "r");
	must(!f, "read", path);
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);
	while ((n = fread(buf + len, 1, cap - len, f)) > 0)
		if ((len += n) == cap)
			buf = realloc(buf, cap *= 2);
	fclose(f);
	unlink(path);
	size_t count = 0;
	for (size_t i = 0; i < len; i++)
		count += buf[i] == 0;
	char **env = calloc(count + 1, sizeof *env);
	for (size_t i = 0, k = 0; i < len; k++) {
		env[k] = buf + i;
		i += strlen(buf + i) + 1;
	}
	return env;
}

int main(int argc, char **argv)
{
	char **env = environ;
	const char *store = NULL;
	int keep_run = 0;
	if (argc > 1 && strcmp(argv[1], "--keep-run") == 0) {
		keep_run = 1;
		argc--;
		argv++;
	}
	if (argc > 2 && strcmp(argv[1], "--env-file") == 0) {
		env = read_env(argv[2]);
		argc -= 2;
		argv += 2;
	}
	if (argc > 2 && strcmp(argv[1], "--nix-store") == 0) {
		store = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: nixos-sim-mount LDSHIM CMD [ARGS...]\n");
		return 2;
	}
	const char *interp = "/usr/lib64/ld-linux-x86-64.so.2";
	hide("/usr/lib64");
	put_file(interp);
	must(mount(argv[1], interp, NULL, MS_BIND, NULL), "bind ldshim at", interp);
	put_file("/usr/lib64/.empty");
	must(mount("/usr/lib64/.empty", "/etc/ld.so.cache", NULL, MS_BIND, NULL),
	     "hide", "/etc/ld.so.cache");
	hide("/usr/lib/x86_64-linux-gnu");
	hide("/usr/local/lib");
	if (store)
		must(mount(store, "/nix/store", NULL, MS_BIND, NULL), "bind the store at", "/nix/store");
	/* Where ldshim may keep its automatic caches (/run/user/<uid>,
	 * /run/ldshim, /dev/shm/ldshim-<uid>): fresh and empty, as after a
	 * boot, and nothing written there reaches the machine. */
	if (!keep_run) {
		must(mount("nixos-sim", "/run", "tmpfs", 0, "mode=755"), "hide", "/run");
		must(mount("nixos-sim", "/dev/shm", "tmpfs", 0, "mode=1777"), "hide", "/dev/shm");
	}
	execve(argv[2], argv + 2, env);
	fprintf(stderr, "nixos-sim: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
