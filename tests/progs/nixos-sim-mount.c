/* nixos-sim-mount [OPTION...] LDSHIM CMD [ARGS...]: the inside of
 * tests/nixos-sim. Options, in this order of effect:
 *   --env-file FILE        CMD gets exactly the NUL-separated entries of
 *                          FILE as its environment (duplicates and entries
 *                          without '=' included); FILE is removed
 *   --nix-store DIR        DIR is bound at /nix/store
 *   --bind SRC DST         SRC bound at DST (before the system's libraries
 *                          are hidden, so SRC may be one of them)
 *   --keep-run             /run and /dev/shm as they are (the caller set
 *                          them up); otherwise each is a fresh tmpfs, as
 *                          after a boot, where ldshim may keep its
 *                          automatic caches (/run/user/<uid>, /run/ldshim,
 *                          /dev/shm/ldshim-<uid>) and nothing written
 *                          there reaches the machine
 *   --current-system DIR   /run/current-system a link to DIR, as NixOS has
 *                          it (in the fresh /run: not with --keep-run)
 *   --tmpfs DIR            a fresh, world-writable (1777) tmpfs at DIR
 *   --read-only DIR        DIR made read-only (after the above)
 *   --user UID             CMD runs as UID (group UID too, no
 *                          supplementary groups), in no capability
 * Linked statically, because once /lib64 is hidden no dynamically linked
 * program (mount(8) included) can start. Must run in a fresh private mount
 * namespace (unshare -m --propagation private). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
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

/* /run and /dev/shm as after a boot: nothing of the machine's shows
 * through, nothing written there reaches it. With DIR, /run has
 * current-system naming it, as on NixOS. */
static void fresh_run(const char *dir)
{
	must(mount("nixos-sim", "/run", "tmpfs", 0, "mode=755"), "hide", "/run");
	must(mount("nixos-sim", "/dev/shm", "tmpfs", 0, "mode=1777"), "hide", "/dev/shm");
	if (dir)
		must(symlink(dir, "/run/current-system"), "link", "/run/current-system");
}

static void read_only(const char *dir)
{
	must(mount(dir, dir, NULL, MS_BIND, NULL), "bind", dir);
	must(mount(NULL, dir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL), "make read-only", dir);
}

static void become(const char *uid_s)
{
	uid_t uid = (uid_t)strtoul(uid_s, NULL, 10);
	must(setgroups(0, NULL), "setgroups for", uid_s);
	must(setgid(uid), "setgid", uid_s);
	must(setuid(uid), "setuid", uid_s);
}

#define MAXOPT 16
struct opts {
	char **env;
	const char *store, *system, *user;
	int keep_run;
	const char *bind[MAXOPT][2], *tmpfs[MAXOPT], *ro[MAXOPT];
	int nbind, ntmpfs, nro;
};

/* The options before LDSHIM; returns the index of LDSHIM. */
static int parse(int argc, char **argv, struct opts *o)
{
	int i = 1;
	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		const char *opt = argv[i], *val = argv[i + 1];
		if (strcmp(opt, "--keep-run") == 0) {
			o->keep_run = 1;
			i--;	/* no value */
		} else if (strcmp(opt, "--env-file") == 0)
			o->env = read_env(val);
		else if (strcmp(opt, "--nix-store") == 0)
			o->store = val;
		else if (strcmp(opt, "--current-system") == 0)
			o->system = val;
		else if (strcmp(opt, "--user") == 0)
			o->user = val;
		else if (strcmp(opt, "--tmpfs") == 0 && o->ntmpfs < MAXOPT)
			o->tmpfs[o->ntmpfs++] = val;
		else if (strcmp(opt, "--read-only") == 0 && o->nro < MAXOPT)
			o->ro[o->nro++] = val;
		else if (strcmp(opt, "--bind") == 0 && o->nbind < MAXOPT && i + 2 < argc) {
			o->bind[o->nbind][0] = val;
			o->bind[o->nbind++][1] = argv[++i + 1];
		} else {
			fprintf(stderr, "nixos-sim: bad option %s\n", opt);
			exit(2);
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	struct opts o = { .env = environ };
	int k = parse(argc, argv, &o);
	if (argc - k < 2) {
		fprintf(stderr, "usage: nixos-sim-mount [OPTION...] LDSHIM CMD [ARGS...]\n");
		return 2;
	}
	if (o.store)
		must(mount(o.store, "/nix/store", NULL, MS_BIND, NULL), "bind the store at", "/nix/store");
	for (int i = 0; i < o.nbind; i++)
		must(mount(o.bind[i][0], o.bind[i][1], NULL, MS_BIND, NULL), "bind at", o.bind[i][1]);
	const char *interp = "/usr/lib64/ld-linux-x86-64.so.2";
	hide("/usr/lib64");
	put_file(interp);
	must(mount(argv[k], interp, NULL, MS_BIND, NULL), "bind ldshim at", interp);
	put_file("/usr/lib64/.empty");
	must(mount("/usr/lib64/.empty", "/etc/ld.so.cache", NULL, MS_BIND, NULL),
	     "hide", "/etc/ld.so.cache");
	hide("/usr/lib/x86_64-linux-gnu");
	hide("/usr/local/lib");
	if (o.keep_run && o.system) {
		fprintf(stderr, "nixos-sim: --current-system needs a fresh /run, not --keep-run\n");
		return 2;
	}
	if (!o.keep_run)
		fresh_run(o.system);
	for (int i = 0; i < o.ntmpfs; i++)
		must(mount("nixos-sim", o.tmpfs[i], "tmpfs", 0, "mode=1777"), "mount a tmpfs at", o.tmpfs[i]);
	for (int i = 0; i < o.nro; i++)
		read_only(o.ro[i]);
	if (o.user)
		become(o.user);
	execve(argv[k + 1], argv + k + 1, o.env);
	fprintf(stderr, "nixos-sim: %s: %s\n", argv[k + 1], strerror(errno));
	return 127;
}
