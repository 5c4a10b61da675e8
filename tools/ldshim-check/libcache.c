/* The library cache ldshim would use for a start, worked out with the
 * shim's own code (see libcache.h). */
#define _GNU_SOURCE
#include "libcache.h"
#include "shimdie.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The shim's die() is check_shim_die (shimdie.h), which returns here. */
#define die check_shim_die
#include "arch.h"
#include "cache.h"
#include "cachehome.h"
#include "ldpatch.h"
#include "ldshim.h"
#include "ldso.h"
#include "log.h"
#include "mkcache.h"
#include "str.h"
#undef die
#include "ldshim-cache.h"

extern char **environ;

/* ---- the real ld.so, mapped as the shim maps it ---- */

struct ldso_info {
	struct ldso ld;
	char *map_why;		/* elf_map failed: the shim dies with this */
	char *find_why;		/* no cache path string */
};

static struct table ldsos;

static struct ldso_info *ldso_get(const char *path)
{
	int fresh;
	void **slot = table_slot(&ldsos, path, &fresh);
	if (!fresh)
		return *slot;
	struct ldso_info *li = xcalloc(1, sizeof *li);
	*slot = li;
	jmp_buf jb;
	shim_die_jmp = &jb;
	if (setjmp(jb)) {
		shim_die_jmp = 0;
		li->map_why = xstrdup(shim_die_why);
		return li;
	}
	/* Read-only data searchable, as when a cache may be used. */
	elf_map(&li->ld, xstrdup(path), (uintptr_t)sysconf(_SC_PAGESIZE), LDSO_MAP_RODATA);
	shim_die_jmp = 0;
	const char *why = ldso_find_cache_path(&li->ld);
	if (why)
		li->find_why = xstrdup(why);
	return li;
}

/* ---- the automatic cache ---- */

/* A directory of our own, for what the shim would do elsewhere. */
static char *scratch(void)
{
	const char *t = getenv("TMPDIR");
	char *d = xmalloc(PATH_MAX);
	snprintf(d, PATH_MAX, "%s/ldshim-check.XXXXXX", t && *t == '/' ? t : "/tmp");
	if (!mkdtemp(d)) {
		free(d);
		return 0;
	}
	return d;
}

static void scratch_done(char *d)
{
	rmdir(d);
	free(d);
}

/* The automatic cache's homes, judged by the shim's own rules
 * (cache_home_judge) without their side effects: the first home that may
 * be used, or would be made (its parent writable). Its cache's name, or
 * 0. *passed: a line per home passed over, as the shim logs it ("not in
 * HOME: why"). */
static char *auto_name(const char *rt, const char *path, long room, char **passed, int *makes)
{
	struct env_plan plan;
	memset(&plan, 0, sizeof plan);
	plan.runtime_dir = rt;
	plan.nix_path = path;
	plan.uid = (uint32_t)getuid();
	char lines[8 * PATH_MAX] = "";
	for (unsigned i = 0; i < CACHE_HOMES; i++) {
		const char *d;
		const char *why = cache_home_judge(i, &plan, room >= 0 ? (size_t)room : (size_t)-1,
						   &d, makes);
		char r[PATH_MAX + 128];
		if (!d)
			continue;
		if (!why && *makes) {
			/* mkdirat would fail as access does. */
			char parent[PATH_MAX];
			snprintf(parent, sizeof parent, "%s", d);
			*strrchr(parent, '/') = 0;
			if (access(parent, W_OK | X_OK) != 0) {
				snprintf(r, sizeof r, "%s: %s", d, strerror(errno));
				why = r;
			}
		}
		if (!why) {
			char leaf[CACHE_HOME_LEAF];
			cache_home_leaf(leaf, path);
			char *out = xmalloc(strlen(d) + sizeof leaf + 1);
			sprintf(out, "%s/%s", d, leaf);
			*passed = lines[0] ? xstrdup(lines) : 0;
			return out;
		}
		size_t l = strlen(lines);
		snprintf(lines + l, sizeof lines - l, "%snot in %s", l ? "\n" : "", why);
	}
	*makes = 0;
	*passed = lines[0] ? xstrdup(lines) : 0;
	return 0;
}

/* Would the shim's mkcache_write succeed for PATH? It is run, into a
 * scratch directory: NULL, or its reason. */
static char *would_write(const char *path)
{
	char *d = scratch();
	if (!d)
		return xstrdup("ldshim-check: no scratch directory to try it in");
	char f[PATH_MAX];
	snprintf(f, sizeof f, "%s/cache", d);
	const char *why = mkcache_write(f, path);
	unlink(f);
	scratch_done(d);
	return why ? xstrdup(why) : 0;
}

/* ---- the entries ld.so looks names up in ---- */

struct entries {
	unsigned char *buf;
	struct view v;
};

static const char *read_entries(const char *file, struct entries **out)
{
	*out = 0;
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return strerror(errno);
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return "not a regular file";
	}
	struct entries *e = xcalloc(1, sizeof *e);
	e->buf = xmalloc(st.st_size ? (size_t)st.st_size : 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, e->buf + got, (size_t)st.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	const char *why;
	if (view_parse(&e->v, e->buf, got, &why)) {
		free(e->buf);
		free(e);
		return why;
	}
	*out = e;
	return 0;
}

const char *lc_lookup(const struct lc_plan *p, const char *name)
{
	const struct entries *e = p->priv;
	if (!e || p->way != LC_CACHE)
		return 0;
	/* ld.so's binary search compares with _dl_cache_libcmp; view_parse
	 * proved the entries strictly ordered, so at most one matches. */
	for (size_t i = 0; i < e->v.head->nlibs; i++)
		if (!libcmp(name, view_key(&e->v, i), e->v.arch->char_signed))
			return view_value(&e->v, i);
	return 0;
}

/* ---- the plan ---- */

static struct table plans;

static void add_cand(struct lc_plan *p, const char *file, const char *src, const char *nix)
{
	for (size_t i = 0; i < p->n_cand; i++)
		if (!p->cand[i].why)
			return;		/* one serves: the shim looks no further */
	if (p->n_cand == sizeof p->cand / sizeof *p->cand)
		return;
	struct lc_cand *c = &p->cand[p->n_cand++];
	c->file = xstrdup(file);
	c->src = xstrdup(src);
	const char *why = ldcache_check(file, nix, 0, -1);
	c->why = why ? xstrdup(why) : 0;
}

static char *cat(const char *a, const char *b, const char *c, const char *d)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + strlen(d) + 1;
	char *s = xmalloc(n);
	snprintf(s, n, "%s%s%s%s", a, b, c, d);
	return s;
}

/* The first usable named cache, ld.so's string, the automatic cache:
 * shim/main.c's ldshim_pick_cache, ldshim_map_ldso and auto_cache. */
static void work_out(struct lc_plan *p, const char *nix, const char *rtld,
		     const struct settings_cache *named, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add_cand(p, named[i].file, named[i].src, nix);
	/* The shim stops at the first usable one: the others are not looked at. */
	const struct lc_cand *pick = 0;
	for (size_t i = 0; i < p->n_cand && !pick; i++)
		if (!p->cand[i].why) {
			pick = &p->cand[i];
			p->n_cand = i + 1;
		}

	p->room = -1;
	const char *rt = getenv("XDG_RUNTIME_DIR");
	if (rt && !*rt)
		rt = 0;
	struct ldso_info *li = rtld ? ldso_get(rtld) : 0;
	if (!rtld || li->map_why) {
		p->way = LC_UNKNOWN;
		p->way_why = rtld ? cat("ldshim could not map the real ld.so ", li->map_why, "", "") : "no real ld.so (NIX_LD) is set";
		return;
	}
	if (li->find_why) {
		p->no_cache = cat(rtld, ": ", li->find_why, "");
		goto last_resort;
	}
	p->room = (long)li->ld.cache_room;
	const char *why = 0;
	if (pick && (why = ldso_set_cache_path(&li->ld, pick->file))) {
		p->not_used = cat(rtld, ": ", why, "");
		pick = 0;
	}
	if (pick) {
		p->way = LC_CACHE;
		p->file = xstrdup(pick->file);
		p->src = pick->src;
		goto entries;
	}
	/* The automatic cache, in the first home that can have it
	 * (shim/cachehome.c). */
	char *name = auto_name(rt, nix, p->room, &p->homes_passed, &p->makes_dir);
	if (!name) {
		p->no_cache = xstrdup("no home takes the automatic cache");
		goto last_resort;
	}
	p->file = name;
	p->src = "the automatic cache";
	p->automatic = 1;
	if (!p->makes_dir && !(why = ldcache_check(name, nix, 0, getuid()))) {
		p->way = LC_CACHE;
		goto entries;
	}
	p->auto_why = xstrdup(p->makes_dir ? err_reason(-ENOENT) : why);
	char *ww = would_write(nix);
	if (ww) {
		p->no_cache = cat("automatic library cache ", name, " not written: ", ww);
		free(ww);
		goto last_resort;
	}
	p->way = LC_WRITE;
	return;
entries:;
	struct entries *e;
	p->entries_why = read_entries(p->file, &e);
	p->priv = e;
	return;
last_resort:
	p->way = LC_LAST_RESORT;
}

const struct lc_plan *lc_plan_get(const char *nix, const char *rtld, const char *system,
				  const struct settings_cache *named, size_t n)
{
	char *key = cat(nix, "\n", rtld ? rtld : "", "");
	for (size_t i = 0; i < n; i++) {
		char *k = cat(key, "\n", named[i].file, "\n");
		free(key);
		key = cat(k, named[i].src, "", "");
		free(k);
	}
	int fresh;
	void **slot = table_slot(&plans, key, &fresh);
	free(key);
	if (!fresh)
		return *slot;
	struct lc_plan *p = xcalloc(1, sizeof *p);
	*slot = p;
	p->room = -1;
	if (strcmp(system, ARCH_SYSTEM)) {
		p->way = LC_UNMODELLED;
		p->way_why = "ldshim-check models the " ARCH_SYSTEM " ldshim";
		return p;
	}
	work_out(p, nix, rtld, named, n);
	return p;
}
