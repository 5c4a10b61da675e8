/* Reading the directories: which names go into the cache, and which
 * directory each comes from. The rule is the real ld.so's search of
 * LD_LIBRARY_PATH=DIR1:DIR2:...: for a name, the first directory whose
 * file it loads wins; a file it skips (another class or machine, a
 * symlink to nothing) lets the search go on; a file it stops at with an
 * error (not ELF, an executable...) ends the search there. A cache cannot
 * say "stop here", so a name that stops the search in one directory and
 * is a library in a later one is an error: the cache would load a library
 * that LD_LIBRARY_PATH never would. */
#define _GNU_SOURCE
#include "ldshim-cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("ldshim-cache: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

/* A name seen so far: a library (ref >= 0: its index in libs), or a
 * file that stops ld.so's search (ref < 0: stops[-1 - ref]). */
struct seen {
	const char *name;
	long ref;
};

struct table {
	struct seen *slots;	/* name == 0: empty */
	size_t cap, len;
};

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct seen *slot(const struct table *t, const char *name)
{
	size_t i = hash(name) & (t->cap - 1);
	while (t->slots[i].name && strcmp(t->slots[i].name, name))
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

static struct seen *lookup(const struct table *t, const char *name)
{
	struct seen *s = t->cap ? slot(t, name) : 0;
	return s && s->name ? s : 0;
}

static void add(struct table *t, const char *name, long ref)
{
	if (2 * (t->len + 1) > t->cap) {
		struct table n = { 0, t->cap ? 2 * t->cap : 1024, t->len };
		n.slots = xrealloc(0, n.cap * sizeof *n.slots);
		memset(n.slots, 0, n.cap * sizeof *n.slots);
		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i].name)
				*slot(&n, t->slots[i].name) = t->slots[i];
		free(t->slots);
		*t = n;
	}
	*slot(t, name) = (struct seen){ name, ref };
	t->len++;
}

/* What the scan makes of one directory entry. */
enum kind { K_USABLE, K_OTHER, K_GONE, K_STOP };

static enum kind classify(const struct arch *a, int dfd, const struct dirent *e, const char **why)
{
	struct stat st;
	switch (e->d_type) {
	case DT_REG:
		break;
	case DT_DIR:
		*why = "a directory";	/* ld.so opens it, then fails to read */
		return K_STOP;
	case DT_LNK: case DT_UNKNOWN:
		/* Follow it before opening anything: never open a device. */
		if (fstatat(dfd, e->d_name, &st, 0) != 0) {
			if (errno == ENOENT)
				return K_GONE;	/* a symlink to nothing: ld.so goes on */
			*why = strerror(errno);	/* a loop: ld.so's path search ends */
			return K_STOP;
		}
		if (S_ISREG(st.st_mode))
			break;
		*why = S_ISDIR(st.st_mode) ? "a directory" : "not a regular file";
		return K_STOP;
	default:
		*why = "not a regular file";
		return K_STOP;
	}
	/* O_NONBLOCK: should it have become a FIFO since, do not hang. */
	int fd = openat(dfd, e->d_name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return K_GONE;
		/* Unreadable: a user who can read it loads it, one who cannot
		 * goes on. A cache cannot be both. */
		*why = strerror(errno);
		return K_STOP;
	}
	unsigned char hdr[64];
	ssize_t n = pread(fd, hdr, sizeof hdr, 0);
	enum kind k = K_STOP;
	if (n < 0)
		*why = strerror(errno);
	else
		switch (elf_verdict(a, hdr, (size_t)n, why)) {
		case V_USABLE: k = K_USABLE; break;
		case V_OTHER: k = K_OTHER; break;
		case V_STOP: k = K_STOP; break;
		}
	close(fd);
	return k;
}

static int is_hwcaps_dir(const struct arch *a, int dfd, const struct dirent *e)
{
	for (const char *const *h = a->hwcaps_dirs; *h; h++) {
		if (strcmp(e->d_name, *h))
			continue;
		struct stat st;
		return e->d_type == DT_DIR ||
		       ((e->d_type == DT_LNK || e->d_type == DT_UNKNOWN) &&
			fstatat(dfd, e->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode));
	}
	return 0;
}

/* The prefix of every path from directory D: its recorded name with
 * trailing slashes stripped, as ld.so strips them from LD_LIBRARY_PATH
 * elements, and one "/". */
static char *prefix_of(const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	char *p = xrealloc(0, n + 2);
	memcpy(p, dir, n);
	if (p[n - 1] != '/')
		p[n++] = '/';
	p[n] = 0;
	return p;
}

/* A file that stops ld.so's search there. */
struct stop {
	const char *path;
	const char *why;
	int clashed;
};

struct state {
	const struct arch *a;
	int verbose;
	struct table names;
	struct lib *libs;
	size_t nlibs, cap;
	struct stop *stops;
	size_t nstops, capstops;
	struct scan_stats *stats;
};

static char *path_of(const char *prefix, const char *name, const char **base)
{
	size_t plen = strlen(prefix), nlen = strlen(name);
	char *path = xrealloc(0, plen + nlen + 1);
	memcpy(path, prefix, plen);
	memcpy(path + plen, name, nlen + 1);
	*base = path + plen;
	return path;
}

static size_t scan_one(struct state *s, const struct dir *d, uint32_t di)
{
	size_t problems = 0;
	char *prefix = prefix_of(d->rec);
	int dfd = open(d->scan, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dp = dfd < 0 ? 0 : fdopendir(dfd);
	if (!dp) {
		fprintf(stderr, "ldshim-cache: %s: %s\n", d->scan, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		free(prefix);
		return 1;
	}
	size_t before = s->nlibs, shadowed = s->stats->shadowed;
	struct dirent *e;
	for (errno = 0; (e = readdir(dp)); errno = 0) {
		const char *name = e->d_name, *why = 0, *base;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (is_hwcaps_dir(s->a, dfd, e)) {
			fprintf(stderr, "ldshim-cache: %s%s: glibc-hwcaps/legacy hwcaps subdirectories "
				"are not supported: a cache would not choose between them as ld.so's "
				"search does\n", prefix, name);
			problems++;
			continue;
		}
		struct seen *seen = lookup(&s->names, name);
		if (seen && seen->ref >= 0) {
			s->stats->shadowed++;
			continue;
		}
		enum kind k = classify(s->a, dfd, e, &why);
		if (k == K_OTHER || k == K_GONE) {
			*(k == K_OTHER ? &s->stats->other : &s->stats->dangling) += 1;
			if (s->verbose)
				printf("  skipped %s%s: %s; ld.so goes on\n", prefix, name,
				       k == K_OTHER ? why : "a symlink to nothing");
			continue;
		}
		if (seen) {
			/* An earlier file stops the search at this name. */
			struct stop *st = &s->stops[-1 - seen->ref];
			if (k == K_USABLE) {
				fprintf(stderr, "ldshim-cache: name clash: %s (%s) stops ld.so's search "
					"of the path, but a cache would load %s%s\n",
					st->path, st->why, prefix, name);
				st->clashed = 1;
				problems++;
			}
			continue;
		}
		char *path = path_of(prefix, name, &base);
		if (k == K_USABLE) {
			if (s->nlibs == s->cap) {
				s->cap = s->cap ? 2 * s->cap : 256;
				s->libs = xrealloc(s->libs, s->cap * sizeof *s->libs);
			}
			s->libs[s->nlibs] = (struct lib){ base, path, di };
			add(&s->names, base, (long)s->nlibs++);
		} else {
			if (s->nstops == s->capstops) {
				s->capstops = s->capstops ? 2 * s->capstops : 64;
				s->stops = xrealloc(s->stops, s->capstops * sizeof *s->stops);
			}
			s->stops[s->nstops] = (struct stop){ path, why, 0 };
			add(&s->names, base, -1 - (long)s->nstops++);
		}
	}
	if (errno) {
		fprintf(stderr, "ldshim-cache: %s: %s\n", d->scan, strerror(errno));
		problems++;
	}
	closedir(dp);
	if (s->verbose)
		printf("%s: %zu libraries, %zu names shadowed by earlier directories\n",
		       d->scan, s->nlibs - before, s->stats->shadowed - shadowed);
	free(prefix);
	return problems;
}

size_t scan_dirs(const struct arch *a, struct dir *dirs, size_t ndirs, int verbose,
		 struct lib **libs, size_t *nlibs, struct scan_stats *stats)
{
	struct state s = { .a = a, .verbose = verbose, .stats = stats };
	size_t problems = 0;
	for (size_t i = 0; i < ndirs; i++)
		problems += scan_one(&s, &dirs[i], (uint32_t)i);
	/* A file that stops the search but shadows nothing is left out: a
	 * cache cannot say "fail here", and what ld.so then does (go on to
	 * its default directories, on NixOS its own glibc's lib/) loads no
	 * library of the path. */
	for (size_t i = 0; i < s.nstops; i++) {
		if (s.stops[i].clashed)
			continue;
		stats->unusable++;
		if (verbose)
			printf("  skipped %s: %s; shadows nothing\n", s.stops[i].path, s.stops[i].why);
	}
	free(s.names.slots);
	*libs = s.libs;
	*nlibs = s.nlibs;
	return problems;
}
