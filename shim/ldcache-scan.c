/* Reading the directories: which names go into the cache, and which
 * directory each comes from. The rule is the real ld.so's search of
 * LD_LIBRARY_PATH=DIR1:DIR2:...: for a name, the first directory whose
 * file it loads wins; a file it skips (another class or machine, a
 * symlink to nothing) lets the search go on; a file it stops at with an
 * error (not ELF, an executable...) ends the search there. A cache cannot
 * say "stop here", so a name that stops the search in one directory and
 * is a library in a later one is a problem: the cache would load a
 * library that LD_LIBRARY_PATH never would. A name already found is not
 * looked at again: one openat, one pread, one close per name (and a
 * statx first for a symlink, so that nothing but a regular file is ever
 * opened). */
#include "ldcache-gen.h"
#include "str.h"
#include "sys.h"

#define O_DIRECTORY_ ARCH_O_DIRECTORY
#define O_NOCTTY_    0400
#define DT_UNKNOWN_  0
#define DT_DIR_      4
#define DT_REG_      8
#define DT_LNK_      10
#define ENOENT_      2
#define ENOTDIR_     20
#define ENAMETOOLONG_ 36
#define PATH_MAX_    4096

const char *ldcache_bad_dir_name(const char *dir, size_t len)
{
	if (!len || dir[0] != '/')
		return "not an absolute path (ld.so would search it from the current directory)";
	for (size_t i = 0; i < len; i++)
		if (dir[i] == ':' || dir[i] == ';')
			return "contains ':' or ';', which split LD_LIBRARY_PATH";
	for (size_t i = 0; i < len; i++)
		if (dir[i] == '$')
			return "contains '$', which ld.so expands in LD_LIBRARY_PATH ($ORIGIN, $LIB, $PLATFORM)";
	return 0;
}

int ldcache_in_store(const char *dir, size_t len)
{
	static const char store[] = "/nix/store/";
	size_t n = sizeof store - 1;
	for (size_t i = 0; i < n; i++)
		if (i >= len || dir[i] != store[i])
			return 0;
	return len > n && dir[n] != '/';
}

/* The recorded name without trailing slashes ("/" stays). */
static size_t stripped(const struct ldcache_src *d)
{
	size_t n = d->rec_len;
	while (n > 1 && d->rec[n - 1] == '/')
		n--;
	return n;
}

size_t ldcache_prefix_len(const struct ldcache_src *d)
{
	size_t n = stripped(d);
	return n + (d->rec[n - 1] != '/');
}

char *ldcache_path(const struct ldcache_src *d, const char *name, char *buf, size_t size)
{
	size_t n = stripped(d), len = str_len(name), at = 0;
	for (size_t i = 0; i < n && at + 1 < size; i++)
		buf[at++] = d->rec[i];
	if (d->rec[n - 1] != '/' && at + 1 < size)
		buf[at++] = '/';
	for (size_t i = 0; i < len && at + 1 < size; i++)
		buf[at++] = name[i];
	buf[at] = 0;
	return buf;
}

/* A name seen so far: a library (ref >= 0: its index in the libraries),
 * or a file that stops ld.so's search (ref < 0: stops[-1 - ref]). */
struct seen {
	uint32_t name;		/* offset in the names + 1; 0: a free slot */
	int32_t ref;
};

/* A file that stops ld.so's search there. */
struct stop {
	uint32_t name, dir;
	const char *why;
	uint32_t clashed;
};

struct scan {
	const struct ldcache_target *t;
	const struct ldcache_src *dirs;
	const struct ldcache_report *r;
	struct ldcache_found *f;
	struct ldcache_stats *stats;
	struct buf table, stops;	/* struct seen (a power of two), struct stop */
	size_t used, problems;
	int stop;			/* the report asked to stop */
};

static char path1[PATH_MAX_ + 256], path2[PATH_MAX_ + 256];

static void note(struct scan *s, enum ldcache_event ev, const char *path, const char *path2_,
                 const char *why)
{
	struct ldcache_note n = { ev, path, path2_, why, 0, 0 };
	if (ev < LDCACHE_SKIPPED) {
		s->problems++;
		s->stop |= s->r->note(s->r->ctx, &n);
	} else if (s->r->verbose) {
		s->r->note(s->r->ctx, &n);
	}
}

static const char *path_of(const struct scan *s, uint32_t dir, const char *name, char *buf)
{
	return ldcache_path(&s->dirs[dir], name, buf, sizeof path1);
}

/* ---- the names seen: open addressing over the names' bytes ---- */

static uint32_t hash(const char *p)
{
	uint32_t h = 2166136261u;
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

static struct seen *slot(const struct buf *table, const char *names, const char *name)
{
	struct seen *t = (struct seen *)table->base;
	size_t mask = table->len / sizeof *t - 1;
	size_t i = hash(name) & mask;
	while (t[i].name && !str_eq(names + t[i].name - 1, name))
		i = (i + 1) & mask;
	return &t[i];
}

static struct seen *lookup(const struct scan *s, const char *name)
{
	if (!s->table.len)
		return 0;
	struct seen *e = slot(&s->table, s->f->names.base, name);
	return e->name ? e : 0;
}

/* Half full at most: twice the slots, each name placed again. */
static int grow(struct scan *s)
{
	size_t cap = s->table.len / sizeof(struct seen);
	struct buf n = { 0, 0, 0 };
	size_t bytes = (cap ? 2 * cap : 1024) * sizeof(struct seen);
	if (buf_need(&n, bytes))
		return -1;
	n.len = bytes;		/* a new mapping: all zero, all free */
	const struct seen *old = (const struct seen *)s->table.base;
	for (size_t i = 0; i < cap; i++)
		if (old[i].name)
			*slot(&n, s->f->names.base, s->f->names.base + old[i].name - 1) = old[i];
	buf_free(&s->table);
	s->table = n;
	return 0;
}

/* NAME into the names and the table, as REF: its offset, or -1. */
static long add(struct scan *s, const char *name, int32_t ref)
{
	size_t off = s->f->names.len;
	if ((2 * (s->used + 1) > s->table.len / sizeof(struct seen) && grow(s)) ||
	    off >= 0xffffffffu || buf_put(&s->f->names, name, str_len(name) + 1))
		return -1;
	*slot(&s->table, s->f->names.base, name) = (struct seen){ (uint32_t)off + 1, ref };
	s->used++;
	return (long)off;
}

/* ---- one directory entry ---- */

enum kind { K_USABLE, K_OTHER, K_GONE, K_STOP };

static enum kind verdict_kind(enum ldcache_verdict v)
{
	return v == LDCACHE_USABLE ? K_USABLE : v == LDCACHE_OTHER ? K_OTHER : K_STOP;
}

/* What ld.so makes of the file NAME of directory DFD, whose d_type is
 * TYPE; *WHY for K_OTHER and K_STOP. */
static enum kind classify(const struct scan *s, int dfd, const char *name, unsigned type,
                          const char **why)
{
	struct statx_ st;
	switch (type) {
	case DT_REG_:
		break;
	case DT_DIR_:
		*why = "a directory";	/* ld.so opens it, then fails to read */
		return K_STOP;
	case DT_LNK_: case DT_UNKNOWN_: {
		/* Follow it before opening anything: never open a device. */
		long e = arch_syscall6(NR_statx, dfd, (long)name, 0, STATX_TYPE_, (long)&st, 0);
		if (e == -ENOENT_)
			return K_GONE;		/* a symlink to nothing: ld.so goes on */
		if (e < 0) {
			*why = s->r->reason(e);	/* a loop: ld.so's path search ends */
			return K_STOP;
		}
		if ((st.mode & S_IFMT_) == S_IFREG_)
			break;
		*why = (st.mode & S_IFMT_) == S_IFDIR_ ? "a directory" : "not a regular file";
		return K_STOP;
	}
	default:
		*why = "not a regular file";
		return K_STOP;
	}
	/* O_NONBLOCK: should it have become a FIFO since, do not hang. */
	long fd = arch_syscall6(NR_openat, dfd, (long)name,
	                        O_RDONLY_ | O_CLOEXEC_ | O_NONBLOCK_ | O_NOCTTY_ | ARCH_O_FLAGS,
	                        0, 0, 0);
	if (fd == -ENOENT_)
		return K_GONE;
	if (fd < 0) {
		/* Unreadable: a user who can read it loads it, one who cannot
		 * goes on. A cache cannot be both. */
		*why = s->r->reason(fd);
		return K_STOP;
	}
	unsigned char hdr[64];
	long n = sys_pread((int)fd, hdr, sizeof hdr, 0);
	sys_close((int)fd);
	if (n < 0) {
		*why = s->r->reason(n);
		return K_STOP;
	}
	return verdict_kind(ldcache_elf_verdict(s->t, hdr, (size_t)n, why));
}

/* A subdirectory (or a symlink to one) ld.so searches before this one. */
static int hwcaps_dir(const struct scan *s, int dfd, const char *name, unsigned type)
{
	for (const char *h = s->t->hwcaps; *h; h += str_len(h) + 1) {
		if (!str_eq(name, h))
			continue;
		struct statx_ st;
		return type == DT_DIR_ ||
		       ((type == DT_LNK_ || type == DT_UNKNOWN_) &&
		        arch_syscall6(NR_statx, dfd, (long)name, 0, STATX_TYPE_, (long)&st, 0) >= 0 &&
		        (st.mode & S_IFMT_) == S_IFDIR_);
	}
	return 0;
}

static void add_lib(struct scan *s, const char *name, uint32_t dir)
{
	size_t n = s->f->libs.len / sizeof(struct ldcache_lib);
	long off = n < 0x7fffffff ? add(s, name, (int32_t)n) : -1;
	struct ldcache_lib l = { (uint32_t)off, dir };
	if (off < 0 || buf_put(&s->f->libs, &l, sizeof l))
		note(s, LDCACHE_NO_MEMORY, 0, 0, 0);
}

static void add_stop(struct scan *s, const char *name, uint32_t dir, const char *why)
{
	size_t n = s->stops.len / sizeof(struct stop);
	long off = n < 0x7fffffff ? add(s, name, -1 - (int32_t)n) : -1;
	struct stop st = { (uint32_t)off, dir, why, 0 };
	if (off < 0 || buf_put(&s->stops, &st, sizeof st))
		note(s, LDCACHE_NO_MEMORY, 0, 0, 0);
}

static void entry(struct scan *s, int dfd, uint32_t dir, const char *name, unsigned type)
{
	const char *why = 0;
	if (hwcaps_dir(s, dfd, name, type)) {
		note(s, LDCACHE_HWCAPS, path_of(s, dir, name, path1), 0, 0);
		return;
	}
	struct seen *seen = lookup(s, name);
	if (seen && seen->ref >= 0) {
		s->stats->shadowed++;
		return;
	}
	enum kind k = classify(s, dfd, name, type, &why);
	if (k == K_OTHER || k == K_GONE) {
		*(k == K_OTHER ? &s->stats->other : &s->stats->dangling) += 1;
		if (s->r->verbose)
			note(s, LDCACHE_SKIPPED, path_of(s, dir, name, path1), 0,
			     k == K_OTHER ? why : "a symlink to nothing");
		return;
	}
	if (seen) {
		/* An earlier file stops the search at this name. */
		struct stop *st = (struct stop *)s->stops.base + (-1 - seen->ref);
		if (k == K_USABLE) {
			st->clashed = 1;
			note(s, LDCACHE_CLASH, path_of(s, st->dir, s->f->names.base + st->name, path1),
			     path_of(s, dir, name, path2), st->why);
		}
		return;
	}
	if (k == K_USABLE)
		add_lib(s, name, dir);
	else
		add_stop(s, name, dir, why);
}

struct dirent64_ {
	uint64_t ino;
	int64_t off;
	uint16_t reclen;
	uint8_t type;
	char name[];
};

static char dents[32768];

static void scan_dir(struct scan *s, uint32_t dir)
{
	static char dname[PATH_MAX_];
	const struct ldcache_src *d = &s->dirs[dir];
	if (d->scan_len >= sizeof dname) {
		*mem_put(dname, d->scan, sizeof dname - 1) = 0;
		note(s, LDCACHE_DIR_UNREADABLE, dname, 0, s->r->reason(-ENAMETOOLONG_));
		return;
	}
	*mem_put(dname, d->scan, d->scan_len) = 0;
	long dfd = arch_syscall6(NR_openat, AT_FDCWD_, (long)dname,
	                         O_RDONLY_ | O_DIRECTORY_ | O_CLOEXEC_, 0, 0, 0);
	if (dfd == -ENOENT_ || dfd == -ENOTDIR_)
		return;		/* not there: ld.so finds nothing in it either */
	if (dfd < 0) {
		note(s, LDCACHE_DIR_UNREADABLE, dname, 0, s->r->reason(dfd));
		return;
	}
	size_t libs = s->f->libs.len, shadowed = s->stats->shadowed;
	long got;
	while (!s->stop && (got = arch_syscall6(NR_getdents64, dfd, (long)dents, sizeof dents,
	                                        0, 0, 0)) != 0) {
		if (got < 0) {
			note(s, LDCACHE_DIR_UNREADABLE, dname, 0, s->r->reason(got));
			break;
		}
		for (long off = 0; off < got && !s->stop;) {
			const struct dirent64_ *e = (const void *)(dents + off);
			const char *nm = e->name;
			off += e->reclen;
			if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
				continue;
			entry(s, (int)dfd, dir, nm, e->type);
		}
	}
	sys_close((int)dfd);
	if (s->r->verbose) {
		struct ldcache_note n = { LDCACHE_DIR_DONE, dname, 0, 0,
			(s->f->libs.len - libs) / sizeof(struct ldcache_lib), s->stats->shadowed - shadowed };
		s->r->note(s->r->ctx, &n);
	}
}

size_t ldcache_scan(const struct ldcache_target *t, const struct ldcache_src *dirs, size_t ndirs,
                    const struct ldcache_report *r, struct ldcache_found *f,
                    struct ldcache_stats *stats)
{
	struct scan s = { t, dirs, r, f, stats, { 0, 0, 0 }, { 0, 0, 0 }, 0, 0, 0 };
	for (size_t i = 0; i < ndirs && !s.stop; i++)
		scan_dir(&s, (uint32_t)i);
	/* A file that stops the search but shadows nothing is left out: a
	 * cache cannot say "fail here", and what ld.so then does (go on to
	 * its default directories, on NixOS its own glibc's lib/) loads no
	 * library of the path. */
	const struct stop *st = (const struct stop *)s.stops.base;
	for (size_t i = 0; !s.stop && i < s.stops.len / sizeof *st; i++) {
		if (st[i].clashed)
			continue;
		stats->unusable++;
		if (r->verbose)
			note(&s, LDCACHE_LEFT_OUT, path_of(&s, st[i].dir, f->names.base + st[i].name, path1),
			     0, st[i].why);
	}
	stats->libs = f->libs.len / sizeof(struct ldcache_lib);
	buf_free(&s.table);
	buf_free(&s.stops);
	return s.problems;
}
