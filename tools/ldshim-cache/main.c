/* ldshim-cache: build, print and check the library cache ldshim points
 * the real ld.so at. See README.md. */
#define _GNU_SOURCE
#include "ldshim-cache.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef LDSHIM_CACHE_VERSION
#define LDSHIM_CACHE_VERSION "unknown"
#endif
#define GENERATOR "ldshim-cache " LDSHIM_CACHE_VERSION

static const char usage[] =
	"usage: ldshim-cache -o FILE [--arch ARCH] [--map FROM=TO]... [-v] DIR...\n"
	"       ldshim-cache --print FILE\n"
	"       ldshim-cache --check FILE [DIR...]\n"
	"Write the library cache for the directories DIR... (searched in that\n"
	"order, as LD_LIBRARY_PATH=DIR1:DIR2:... would be), print one, or check\n"
	"that one is current (and built for exactly DIR...).\n"
	"  -o, --output FILE    the cache to write (atomically, mode 0644)\n"
	"      --arch ARCH      x86_64, i386, aarch64 or riscv64 (default: this machine)\n"
	"      --map FROM=TO    read a DIR under FROM but record it (and its\n"
	"                       libraries' paths) under TO\n"
	"  -v, --verbose        say what is skipped and why\n"
	"      --print FILE     list its libraries (name => path) and directories\n"
	"      --check FILE     exit 0 if FILE is current, else 1 with the reason\n"
	"Exit status: 0 done, 1 bad input or a cache that is not current, 2 usage.\n";

static void die(const char *what, const char *reason)
{
	fprintf(stderr, "ldshim-cache: %s: %s\n", what, reason);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("memory", strerror(ENOMEM));
	return p;
}

static const char *bad_dir_name(const char *dir)
{
	return ldcache_bad_dir_name(dir, strlen(dir));
}

/* The length of PATH without trailing slashes ("/" stays). */
static size_t strip_len(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	return n;
}

/* Is PATH DIR or inside it? */
static int under(const char *path, const char *dir)
{
	size_t n = strip_len(dir);
	if (n == 1)
		return path[0] == '/';
	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == 0);
}

static int in_store(const char *path)
{
	return ldcache_in_store(path, strlen(path));
}

static const struct ldcache_target *target_by_name(const char *name)
{
	for (size_t i = 0; i < LDCACHE_TARGETS; i++)
		if (!strcmp(ldcache_targets[i].name, name))
			return &ldcache_targets[i];
	return 0;
}

static const struct ldcache_target *host_target(void)
{
#if defined __x86_64__
	return target_by_name("x86_64");
#elif defined __i386__
	return target_by_name("i386");
#elif defined __aarch64__
	return target_by_name("aarch64");
#elif defined __riscv && __riscv_xlen == 64
	return target_by_name("riscv64");
#else
	return 0;
#endif
}

struct map {
	const char *from, *to;
};

/* DIR as recorded: TO + the rest of DIR for the first --map whose FROM
 * holds it, else DIR. *MAPPED: whether a map applied. */
static char *recorded(const char *dir, const struct map *maps, size_t nmaps, int *mapped)
{
	*mapped = 0;
	for (size_t i = 0; i < nmaps; i++) {
		if (!under(dir, maps[i].from))
			continue;
		size_t fl = strip_len(maps[i].from), tl = strip_len(maps[i].to);
		const char *rest = fl == 1 ? dir : dir + fl;	/* "" or "/..." */
		if (tl == 1)
			tl = 0;					/* TO is "/" */
		char *r = xmalloc(tl + strlen(rest) + 2);
		memcpy(r, maps[i].to, tl);
		strcpy(r + tl, *rest || tl ? rest : "/");
		*mapped = 1;
		return r;
	}
	return strdup(dir);
}

/* Read all of FILE, into an 8-aligned buffer. */
static unsigned char *slurp(const char *file, size_t *size)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		die(file, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die(file, "not a regular file");
	if ((uint64_t)st.st_size > UINT32_MAX)
		die(file, "too big for a cache");
	unsigned char *p = xmalloc((size_t)st.st_size);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, p + got, (size_t)st.st_size - got);
		if (n < 0)
			die(file, strerror(errno));
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*size = got;
	return p;
}

static void load(struct view *v, const char *file)
{
	size_t size;
	unsigned char *p = slurp(file, &size);
	const char *why;
	if (view_parse(v, p, size, &why)) {
		fprintf(stderr, "ldshim-cache: %s: not a valid ldshim cache: %s\n", file, why);
		exit(1);
	}
}

/* The I-th directory of the view's list, in BUF. */
static const char *list_dir(const struct view *v, uint32_t i, char *buf, size_t size)
{
	const char *p = v->dirlist;
	for (; i; i--)
		p = strchr(p, ':') + 1;
	size_t n = strcspn(p, ":");
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = 0;
	return buf;
}

/* The state of recorded directory I now: 0 as recorded, else why not. */
static const char *dir_state(const struct view *v, uint32_t i, const char *dir)
{
	const struct ldcache_dir *d = &v->dirs[i];
	if (d->flags & LDCACHE_DIR_FIXED)
		return 0;
	struct statx sx;
	if (statx(AT_FDCWD, dir, 0, STATX_INO | STATX_MTIME, &sx) != 0)
		return strerror(errno);
	if (sx.stx_ino != d->ino || sx.stx_mtime.tv_sec != d->mtime_sec ||
	    sx.stx_mtime.tv_nsec != d->mtime_nsec)
		return "changed since the cache was built";
	return 0;
}

static const char *syserr(long neg_errno)
{
	return strerror((int)-neg_errno);
}

/* A problem on stderr; at -v, what was left out and why on stdout. */
static int tell(void *ctx, const struct ldcache_note *n)
{
	(void)ctx;
	switch (n->event) {
	case LDCACHE_DIR_UNREADABLE:
		fprintf(stderr, "ldshim-cache: %s: %s\n", n->path, n->why);
		break;
	case LDCACHE_HWCAPS:
		fprintf(stderr, "ldshim-cache: %s: glibc-hwcaps/legacy hwcaps subdirectories are not "
			"supported: a cache would not choose between them as ld.so's search does\n", n->path);
		break;
	case LDCACHE_CLASH:
		fprintf(stderr, "ldshim-cache: name clash: %s (%s) stops ld.so's search of the path, "
			"but a cache would load %s\n", n->path, n->why, n->path2);
		break;
	case LDCACHE_EQUAL_NAMES:
		fprintf(stderr, "ldshim-cache: %s and %s: ld.so's cache cannot tell these names apart "
			"(digit runs compare as numbers)\n", n->path, n->path2);
		break;
	case LDCACHE_NOT_FOUND:
		fprintf(stderr, "ldshim-cache: %s: ld.so's search of the cache would not find this name "
			"(a digit run too long for its arithmetic?)\n", n->path);
		break;
	case LDCACHE_TOO_BIG:
		fputs("ldshim-cache: too many libraries: the cache would pass 4 GiB\n", stderr);
		break;
	case LDCACHE_NO_MEMORY:
		fputs("ldshim-cache: out of memory\n", stderr);
		break;
	case LDCACHE_SKIPPED:
		printf("  skipped %s: %s; ld.so goes on\n", n->path, n->why);
		break;
	case LDCACHE_LEFT_OUT:
		printf("  skipped %s: %s; shadows nothing\n", n->path, n->why);
		break;
	case LDCACHE_DIR_DONE:
		printf("%s: %zu libraries, %zu names shadowed by earlier directories\n", n->path,
		       n->libs, n->shadowed);
		break;
	}
	return 0;
}

static int print(const char *file)
{
	struct view v;
	load(&v, file);
	printf("%u libs found in cache `%s'\n", v.head->nlibs, file);
	for (uint32_t i = 0; i < v.head->nlibs; i++)
		printf("\t%s (%s) => %s\n", view_key(&v, i), v.arch->print, view_value(&v, i));
	if (v.generator)
		printf("Cache generated by: %.*s\n", (int)v.generator_len, v.generator);
	printf("Built for (%s): %s\n", v.arch->name, v.dirlist);
	for (uint32_t i = 0; i < v.rec->ndirs; i++) {
		char buf[4096];
		const char *dir = list_dir(&v, i, buf, sizeof buf);
		const struct ldcache_dir *d = &v.dirs[i];
		const char *state = dir_state(&v, i, dir);
		printf("\t%s: ino %llu, mtime %lld.%09u: %s%s\n", dir, (unsigned long long)d->ino,
		       (long long)d->mtime_sec, d->mtime_nsec,
		       d->flags & LDCACHE_DIR_FIXED ? "fixed (a /nix/store path, not checked)" :
		       state ? "out of date: " : "current", state ? state : "");
	}
	return fflush(stdout) ? 1 : 0;
}

static int check(const char *file, char **dirs, int ndirs)
{
	struct view v;
	load(&v, file);
	if (ndirs) {
		size_t len = 0;
		for (int i = 0; i < ndirs; i++)
			len += strlen(dirs[i]) + 1;
		char *want = xmalloc(len), *p = want;
		for (int i = 0; i < ndirs; i++)
			p += sprintf(p, "%s%s", i ? ":" : "", dirs[i]);
		if (strcmp(want, v.dirlist)) {
			fprintf(stderr, "ldshim-cache: %s: built for %s, not %s\n", file, v.dirlist, want);
			return 1;
		}
	}
	for (uint32_t i = 0; i < v.rec->ndirs; i++) {
		char buf[4096];
		const char *dir = list_dir(&v, i, buf, sizeof buf);
		const char *state = dir_state(&v, i, dir);
		if (state) {
			fprintf(stderr, "ldshim-cache: %s: out of date: %s: %s\n", file, dir, state);
			return 1;
		}
	}
	printf("%s: current\n", file);
	return 0;
}

/* Write the image to FILE atomically: a temporary file beside it, then
 * rename, so that a reader (ld.so) sees the old file or the new one. */
static void write_file(const char *file, const char *p, size_t size)
{
	size_t n = strlen(file);
	char *tmp = xmalloc(n + 8);
	memcpy(tmp, file, n);
	memcpy(tmp + n, ".XXXXXX", 8);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		die(file, strerror(errno));
	const char *err = 0;
	size_t done = 0;
	while (!err && done < size) {
		ssize_t w = write(fd, p + done, size - done);
		if (w < 0)
			err = strerror(errno);
		done += w > 0 ? (size_t)w : 0;
	}
	if (!err && (fchmod(fd, 0644) != 0 || fsync(fd) != 0))
		err = strerror(errno);
	if (close(fd) != 0 && !err)
		err = strerror(errno);
	if (!err && rename(tmp, file) != 0)
		err = strerror(errno);
	if (err) {
		unlink(tmp);
		die(file, err);
	}
	free(tmp);
}

/* Would writing FILE change one of the directories, and so make the
 * cache out of date the moment it is written? */
static void refuse_output_in(const char *file, const struct ldcache_src *dirs, const dev_t *devs,
			     size_t ndirs)
{
	char *copy = strdup(file);
	struct stat st;
	if (copy && stat(dirname(copy), &st) == 0)
		for (size_t i = 0; i < ndirs; i++)
			if (!(dirs[i].st.flags & LDCACHE_DIR_FIXED) && st.st_ino == dirs[i].st.ino &&
			    st.st_dev == devs[i])
				die(file, "is in one of the directories: writing it would make the "
				    "cache out of date at once");
	free(copy);
}

int main(int argc, char **argv)
{
	enum { O_ARCH = 256, O_MAP, O_PRINT, O_CHECK };
	static const struct option opts[] = {
		{ "output", required_argument, 0, 'o' },
		{ "arch", required_argument, 0, O_ARCH },
		{ "map", required_argument, 0, O_MAP },
		{ "verbose", no_argument, 0, 'v' },
		{ "print", required_argument, 0, O_PRINT },
		{ "check", required_argument, 0, O_CHECK },
		{ "help", no_argument, 0, 'h' },
		{ 0 },
	};
	const char *out = 0, *print_file = 0, *check_file = 0;
	const struct ldcache_target *a = host_target();
	struct map *maps = xmalloc((size_t)argc * sizeof *maps);
	size_t nmaps = 0;
	int verbose = 0, opt;
	while ((opt = getopt_long(argc, argv, "o:vh", opts, 0)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'v': verbose = 1; break;
		case O_PRINT: print_file = optarg; break;
		case O_CHECK: check_file = optarg; break;
		case O_ARCH:
			if (!(a = target_by_name(optarg))) {
				fprintf(stderr, "ldshim-cache: --arch %s: expected x86_64, i386, aarch64 or riscv64\n", optarg);
				return 2;
			}
			break;
		case O_MAP: {
			char *eq = strchr(optarg, '=');
			if (!eq || optarg[0] != '/' || eq[1] != '/') {
				fprintf(stderr, "ldshim-cache: --map %s: expected FROM=TO, both absolute\n", optarg);
				return 2;
			}
			*eq = 0;
			maps[nmaps].from = optarg;
			maps[nmaps++].to = eq + 1;
			break;
		}
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!!out + !!print_file + !!check_file != 1) {
		fprintf(stderr, "ldshim-cache: %s\n%s", out || print_file || check_file ?
			"-o, --print and --check go alone" : "-o FILE missing", usage);
		return 2;
	}
	if (print_file) {
		if (optind != argc) {
			fprintf(stderr, "ldshim-cache: --print takes no directories\n%s", usage);
			return 2;
		}
		return print(print_file);
	}
	if (check_file)
		return check(check_file, argv + optind, argc - optind);
	if (optind == argc) {
		fprintf(stderr, "ldshim-cache: no directory given\n%s", usage);
		return 2;
	}
	if (!a)
		die("--arch", "this machine is none of x86_64, i386, aarch64, riscv64: say which");

	size_t ndirs = (size_t)(argc - optind);
	struct ldcache_src *dirs = xmalloc(ndirs * sizeof *dirs);
	dev_t *devs = xmalloc(ndirs * sizeof *devs);
	for (size_t i = 0; i < ndirs; i++) {
		const char *dir = argv[optind + i], *why;
		int mapped;
		if ((why = bad_dir_name(dir)))
			die(dir, why);
		struct ldcache_src *d = &dirs[i];
		d->scan = dir;
		d->scan_len = strlen(dir);
		d->rec = recorded(dir, maps, nmaps, &mapped);
		d->rec_len = strlen(d->rec);
		if ((why = bad_dir_name(d->rec))) {
			fprintf(stderr, "ldshim-cache: %s (--map'ed to %s): %s\n", dir, d->rec, why);
			return 1;
		}
		/* Before the scan: a change while it runs leaves the cache out
		 * of date, never wrongly current. */
		struct statx sx;
		if (statx(AT_FDCWD, dir, 0, STATX_INO | STATX_MTIME | STATX_TYPE, &sx) != 0)
			die(dir, strerror(errno));
		if (!S_ISDIR(sx.stx_mode))
			die(dir, "not a directory");
		d->st = (struct ldcache_dir){
			.mtime_sec = sx.stx_mtime.tv_sec, .mtime_nsec = sx.stx_mtime.tv_nsec,
			.ino = sx.stx_ino,
			.flags = in_store(d->rec) || (mapped && in_store(dir)) ?
				 LDCACHE_DIR_FIXED : 0,
		};
		devs[i] = makedev(sx.stx_dev_major, sx.stx_dev_minor);
	}
	refuse_output_in(out, dirs, devs, ndirs);

	struct ldcache_stats stats = { 0 };
	struct ldcache_report report = { tell, 0, verbose, syserr };
	struct buf image = { 0 };
	if (ldcache_generate(a, dirs, ndirs, GENERATOR, &report, &image, &stats)) {
		fprintf(stderr, "ldshim-cache: %s: not written\n", out);
		return 1;
	}
	size_t size = image.len, nlibs = stats.libs;
	write_file(out, image.base, size);
	if (verbose) {
		printf("%s: %zu libraries for %s from %zu directories (%zu bytes); skipped: "
		       "%zu shadowed, %zu of another class or machine, %zu symlinks to nothing, "
		       "%zu not loadable\n", out, nlibs, a->name, ndirs, size, stats.shadowed,
		       stats.other, stats.dangling, stats.unusable);
		if (!nlibs)
			printf("%s: no libraries found: the cache has 0 entries\n", out);
	}
	return 0;
}
