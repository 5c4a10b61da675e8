/* The library cache ldshim would use for a start, worked out with the
 * shim's own code (see libcache.h), and the static TLS surplus of the
 * start that gets none. */
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
	int tls_raised;		/* ldso_raise_static_tls worked */
	char *tls_why;
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
	/* The tunable: changed in this process's private mapping only. */
	why = ldso_raise_static_tls(&li->ld, LDSHIM_STATIC_TLS);
	li->tls_raised = !why;
	if (why)
		li->tls_why = xstrdup(why);
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
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s/ldshim", d);
	rmdir(p);
	rmdir(d);
	free(d);
}

/* ldcache_auto_name without its side effect: where $XDG_RUNTIME_DIR/ldshim
 * does not exist yet, the shim makes it; here the name is taken from the
 * same function run on a scratch directory, and *makes says so. */
static char *auto_name(const char *rt, const char *path, char **why, int *makes)
{
	const char *w;
	char sub[PATH_MAX];
	struct stat st;
	*makes = 0;
	*why = 0;
	int absent = rt && rt[0] == '/' && strlen(rt) + 32 < PATH_MAX &&
		     snprintf(sub, sizeof sub, "%s/ldshim", rt) > 0 && stat(sub, &st) != 0 &&
		     errno == ENOENT;
	if (!absent) {
		const char *n = ldcache_auto_name(rt, path, (uint32_t)getuid(), &w);
		if (!n)
			*why = xstrdup(w);
		return n ? xstrdup(n) : 0;
	}
	/* mkdirat(rt/ldshim) would fail as this does. */
	if (stat(rt, &st) != 0 || access(rt, W_OK | X_OK) != 0) {
		*why = xstrdup(err_reason(-errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		*why = xstrdup(err_reason(-ENOTDIR));
		return 0;
	}
	char *d = scratch();
	if (!d) {
		*why = xstrdup("ldshim-check: no scratch directory to work the name out in");
		return 0;
	}
	const char *n = ldcache_auto_name(d, path, (uint32_t)getuid(), &w);
	char *out = 0;
	if (n) {
		out = xmalloc(strlen(sub) + 18);
		sprintf(out, "%s/%s", sub, strrchr(n, '/') + 1);
		*makes = 1;
	} else {
		*why = xstrdup(w);
	}
	scratch_done(d);
	return out;
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

/* ---- glibc 2.36's static TLS surplus (elf/dl-tls.c) ---- */

#define LIBC_IE_TLS 144
#define OTHER_IE_TLS 144
#define DEFAULT_NNS 4
#define OPTIONAL_TLS 512
#define DL_NNS 16
/* x86_64: the TCB (struct pthread) is 64-byte aligned, above the blocks. */
#define TCB_ALIGNMENT 64

static uint64_t ie_surplus(uint64_t nns, uint64_t opt)
{
	return (nns - 1) * LIBC_IE_TLS + nns * OTHER_IE_TLS + opt;
}

/* glibc's _dl_strtoul: decimal, 0x hex, 0 octal, leading blanks and a
 * sign; it stops at the first other byte. */
static uint64_t dl_strtoul(const char *s, size_t len)
{
	size_t i = 0;
	int neg = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (i >= len || s[i] < '0' || s[i] > '9')
		return 0;
	unsigned base = 10;
	if (s[i] == '0') {
		base = 8;
		if (i + 1 < len && (s[i + 1] == 'x' || s[i + 1] == 'X'))
			base = 16, i += 2;
	}
	uint64_t v = 0;
	for (; i < len; i++) {
		unsigned d;
		char c = s[i];
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	return neg ? -v : v;
}

/* GLIBC_TUNABLES, every occurrence, as ld.so parses it: the last valid
 * value of a tunable wins; one outside its bounds is ignored. */
static void tunables(uint64_t *nns, uint64_t *opt, int *opt_set)
{
	for (char **e = environ; e && *e; e++) {
		if (strncmp(*e, "GLIBC_TUNABLES=", 15))
			continue;
		for (const char *p = *e + 15; *p;) {
			size_t n = strcspn(p, "=:");
			if (p[n] != '=') {
				p += n + (p[n] == ':');
				continue;
			}
			const char *v = p + n + 1;
			size_t vl = strcspn(v, ":");
			uint64_t x = dl_strtoul(v, vl);
			if (n == 14 && !strncmp(p, "glibc.rtld.nns", n) && x >= 1 && x <= DL_NNS)
				*nns = x;
			else if (n == 30 && !strncmp(p, "glibc.rtld.optional_static_tls", n))
				*opt = x, *opt_set = 1;
			p = v + vl + (v[vl] == ':');
		}
	}
}

/* How many audit modules the user's own LD_AUDIT adds (kept before
 * ldshim's): its ':'-separated names. */
static unsigned user_audits(void)
{
	unsigned n = 0;
	const char *a = getenv("LD_AUDIT");
	for (const char *p = a; p && *p;) {
		size_t l = strcspn(p, ":");
		n += l > 0;
		p += l + (p[l] == ':');
	}
	return n;
}

static void audit_surplus(struct lc_plan *p, const struct ldso_info *li)
{
	uint64_t nns = DEFAULT_NNS, opt = li && li->tls_raised ? LDSHIM_STATIC_TLS : OPTIONAL_TLS;
	int set = 0;
	tunables(&nns, &opt, &set);
	p->opt_tls_from = set ? "GLIBC_TUNABLES" : li && li->tls_raised ? "ldshim" :
			  "glibc's default: ldshim could not raise it";
	p->naudit = 1 + user_audits();
	p->nns = (unsigned)nns;
	p->opt_tls = opt;
	uint64_t legacy = 1664 - ie_surplus(DEFAULT_NNS, OPTIONAL_TLS);
	p->surplus = ie_surplus(nns + p->naudit, opt) + legacy;
}

static uint64_t roundup(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* _dl_determine_tlsoffset for the executable alone (init_tls runs before
 * the libraries are loaded when there is an audit module), then
 * _dl_try_allocate_static_tls for each library as it is relocated
 * (TLS_TCB_AT_TP, x86_64). */
void lc_tls_predict(const struct lc_plan *p, const struct lc_tls *exe, const struct lc_tls *libs,
		    size_t n, uint64_t *need, uint64_t *room, long *fails)
{
	uint64_t max_align = TCB_ALIGNMENT, offset = 0;
	if (exe && exe->memsz) {
		uint64_t a = exe->align ? exe->align : 1;
		uint64_t firstbyte = -(exe->vaddr & (a - 1)) & (a - 1);
		offset = roundup(exe->memsz - firstbyte, a) + firstbyte;
		if (a > max_align)
			max_align = a;
	}
	uint64_t top = roundup(offset + p->surplus, max_align);
	uint64_t used = offset;
	*room = top - offset;
	*need = 0;
	*fails = -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t a = libs[i].align ? libs[i].align : 1;
		uint64_t fbo = libs[i].vaddr & (a - 1);
		uint64_t blsize = libs[i].memsz + fbo;
		*need += libs[i].memsz;
		if (*fails >= 0)
			continue;
		uint64_t free_ = top - used;
		if (a > max_align || free_ < blsize) {
			*fails = (long)i;
			continue;
		}
		uint64_t k = (free_ - blsize) / a;
		used += free_ - k * a - fbo;
	}
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
	if (!pick && !rt) {
		p->no_cache = xstrdup("none named, and no XDG_RUNTIME_DIR for an automatic one");
		goto audit;
	}
	if (li->find_why) {
		p->no_cache = cat(rtld, ": ", li->find_why, "");
		goto audit;
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
	/* The automatic cache: whether ld.so has room for its name first,
	 * as the shim decides (shim/main.c auto_cache). */
	size_t len = rt ? strlen(rt) + sizeof "/ldshim/" - 1 + 16 : 0;
	if (len > li->ld.cache_room) {
		char b[160];
		snprintf(b, sizeof b, "its name would be %zu bytes, ld.so has room for %lu", len,
			 (unsigned long)li->ld.cache_room);
		p->no_cache = cat("no automatic library cache: ", b, "", "");
		goto audit;
	}
	char *aw;
	char *name = auto_name(rt, nix, &aw, &p->makes_dir);
	if (!name) {
		p->no_cache = cat("no automatic library cache: ", aw, "", "");
		goto audit;
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
		p->no_cache = cat("no automatic library cache: ", ww, "", "");
		free(ww);
		goto audit;
	}
	p->way = LC_WRITE;
	return;
entries:;
	struct entries *e;
	p->entries_why = read_entries(p->file, &e);
	p->priv = e;
	return;
audit:
	p->way = LC_AUDIT;
	audit_surplus(p, li);
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
