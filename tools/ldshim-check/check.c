/* Load a file the way the real ld.so would behind ldshim — breadth-first
 * over DT_NEEDED, each name searched in ld.so's order — then check the
 * versions each loaded object needs against what its providers define.
 *
 * Search order for a name needed by object R (glibc's _dl_map_object),
 * with the Nix library path where ldshim puts it:
 *   1. DT_RPATH of R and of the objects that loaded it, up to the main
 *      program (only while R has no DT_RUNPATH; an object's RPATH counts
 *      only if it has no RUNPATH itself)
 *   2. LD_LIBRARY_PATH            (override mode: then the Nix library path)
 *   3. DT_RUNPATH of R
 *   4. the Nix library path       (fallback mode, ldshim's default: where
 *                                  the system's default directories would be)
 *                                  — through the library cache ldshim points
 *                                  ld.so at, when there is one (libcache.c):
 *                                  the file its entry names
 *   5. the real ld.so's own directory (a Nix glibc's only default directory)
 * NixOS has no ld.so.cache of its own. A file of the wrong class or machine
 * is skipped; one that is not ELF at all stops the search, as in ld.so. */
#define _GNU_SOURCE
#include "check.h"
#include "json.h"
#include "libcache.h"
#include "settings.h"
#include "store.h"
#include "unversioned.h"
#include "util.h"

#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The systems ldshim serves. */
struct sys {
	const char *arch;	/* --arch name */
	uint16_t machine;
	unsigned char cls;
	const char *system;	/* suffix of NIX_LD_<system> */
	const char *interp;
	const char *platform;	/* $PLATFORM (AT_PLATFORM); 0: the kernel gives none */
};
static const struct sys systems[] = {
	{ "x86_64", EM_X86_64, ELFCLASS64, "x86_64_linux", "/lib64/ld-linux-x86-64.so.2", "x86_64" },
	{ "i686", EM_386, ELFCLASS32, "i686_linux", "/lib/ld-linux.so.2", "i686" },
	{ "aarch64", EM_AARCH64, ELFCLASS64, "aarch64_linux", "/lib/ld-linux-aarch64.so.1", "aarch64" },
	{ "riscv64", EM_RISCV, ELFCLASS64, "riscv64_linux", "/lib/ld-linux-riscv64-lp64d.so.1", 0 },
};
#define N_SYSTEMS (sizeof systems / sizeof *systems)

#if defined(__x86_64__)
#define HOST_ARCH "x86_64"
#elif defined(__i386__)
#define HOST_ARCH "i686"
#elif defined(__aarch64__)
#define HOST_ARCH "aarch64"
#elif defined(__riscv)
#define HOST_ARCH "riscv64"
#else
#define HOST_ARCH "unknown"
#endif

static const struct sys *sys_of(const struct elfobj *o)
{
	for (size_t i = 0; i < N_SYSTEMS; i++)
		if (systems[i].machine == o->machine && systems[i].cls == o->cls &&
		    o->data == ELFDATA2LSB)
			return &systems[i];
	return 0;
}

/* Can a machine of system ARCH run O? x86_64 runs i686 too. */
static int runs_on(const char *arch, const struct sys *s)
{
	if (!s)
		return 0;
	if (!strcmp(arch, s->arch))
		return 1;
	return !strcmp(arch, "x86_64") && !strcmp(s->arch, "i686");
}

int check_arch_known(const char *arch)
{
	for (size_t i = 0; i < N_SYSTEMS; i++)
		if (!strcmp(arch, systems[i].arch))
			return 1;
	return 0;
}

/* ---- search paths ---- */

struct dirs {
	char **v;
	size_t n, cap;
};

static void dirs_free(struct dirs *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i]);
	free(d->v);
	*d = (struct dirs){ 0 };
}

static void dirs_add(struct dirs *d, char *s)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->v[i], s)) {
			free(s);
			return;
		}
	grow(&d->v, &d->cap, d->n + 1, sizeof *d->v);
	d->v[d->n++] = s;
}

/* Expand $ORIGIN, $LIB, $PLATFORM (or ${...}) in S; 0 when one has no
 * value, as ld.so then drops the element. $LIB is "lib": a Nix glibc is
 * built with its libraries in lib/. */
static char *expand(const char *s, size_t len, const char *origin, const struct sys *sys)
{
	static const char *const names[] = { "ORIGIN", "LIB", "PLATFORM" };
	char *out = xmalloc(PATH_MAX);
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		const char *val = 0;
		size_t skip = 0;
		if (s[i] == '$') {
			for (int k = 0; k < 3 && !skip; k++) {
				size_t nl = strlen(names[k]);
				const char *p = s + i + 1;
				size_t left = len - i - 1;
				int brace = left && *p == '{';
				if (brace)
					p++, left--;
				if (left < nl + brace || strncmp(p, names[k], nl))
					continue;
				if (brace ? p[nl] != '}' :
				    (nl < left && (p[nl] == '_' || (p[nl] >= 'A' && p[nl] <= 'Z') ||
						   (p[nl] >= 'a' && p[nl] <= 'z') || (p[nl] >= '0' && p[nl] <= '9'))))
					continue;
				skip = 1 + brace + nl + brace;
				val = k == 0 ? origin : k == 1 ? "lib" : sys ? sys->platform : 0;
				if (!val) {
					free(out);
					return 0;
				}
			}
		}
		size_t vl;
		if (skip) {
			vl = strlen(val);
		} else {
			val = s + i;
			vl = skip = 1;
		}
		if (o + vl + 1 > PATH_MAX) {
			free(out);
			return 0;
		}
		memcpy(out + o, val, vl);
		o += vl;
		i += skip;
	}
	out[o] = 0;
	return out;
}

/* Split a path list (':' or ';' separated, as ld.so does for
 * LD_LIBRARY_PATH) into D, expanding each element; an empty element is
 * the current directory. */
static void split(struct dirs *d, const char *list, const char *origin, const struct sys *sys)
{
	if (!list)
		return;
	for (const char *p = list;;) {
		size_t n = strcspn(p, ":;");
		char *e = n ? expand(p, n, origin, sys) : xstrdup(".");
		if (e) {
			/* "dir/" and "dir" are one directory. */
			size_t l = strlen(e);
			while (l > 1 && e[l - 1] == '/')
				e[--l] = 0;
			dirs_add(d, e);
		}
		if (!p[n])
			break;
		p += n + 1;
	}
}

/* split() without the empty elements (each "." there). */
static void split_elems(struct dirs *d, const char *list, const char *origin,
			const struct sys *sys)
{
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ":");
		if (n) {
			char *one = xstrndup(p, n);
			split(d, one, origin, sys);
			free(one);
		}
		p += n + (p[n] == ':');
	}
}

/* ---- one check ---- */

struct lmap {			/* a loaded object */
	struct elfobj *o;
	char *path;		/* where it was found */
	const char *name;	/* the name it was needed by */
	int parent;		/* the object that needed it first; -1: the file checked */
	int rtld;		/* the real ld.so, loaded with the program */
	char *origin;
	struct dirs rpath, runpath;
	int have_dirs;
};

struct lib {			/* a line of the library list */
	const char *name;
	int parent;		/* the object needing it */
	int map;		/* the object it resolved to, or -1 */
	const char *why;	/* -1: "not found" or why the file found is unusable */
	char *bad_path;
	const char *via_cache;	/* found through this library cache's entry */
	size_t slot;		/* map < 0: where in the load order it would have been */
};

struct vmiss {			/* a version not defined by its provider */
	int needer, provider;
	const struct vneed *v;
	const char *newest;	/* newest version of its family the provider defines */
	enum unversioned unversioned;	/* UNV_NONE: the provider defines versions, not this one */
	const char *sym;	/* UNV_ABORT, UNV_UNDEFINED: the symbol ld.so fails on */
};

struct run {
	const struct config *c;
	const struct sys *sys;
	struct lmap *maps;
	size_t n_maps, cap_maps;
	struct lib *libs;
	size_t n_libs, cap_libs;
	struct vmiss *vm;
	size_t n_vm, cap_vm;
	const struct elfobj **scope;	/* the maps' objects, in load order (scope_of) */
	struct dirs ldlp, nix, rtld_dir;
	const char *rtld_path;
	int rtld_found;
	struct settings *set;	/* ld.so, Nix library path, mode, caches: the shim's reading */
	const char *nix_value;	/* the Nix library path without a section's directories */
	char nix_var[64], ldso_var[64];	/* the variables that set them */
	struct want *wants;	/* what to get from the store (store.c) */
	size_t n_wants, cap_wants;
	struct fix fix;
	char *recheck;		/* the verdict with the fix applied */
	const struct lc_plan *lc;	/* the library cache (fallback mode), or 0 */
};

static char *dirname_of(const char *path)
{
	char buf[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (path[0] != '/') {
		/* ld.so makes a relative name absolute with the current directory. */
		if (!getcwd(buf, sizeof buf))
			return xstrdup(".");
		size_t l = strlen(buf);
		if (slash)
			snprintf(buf + l, sizeof buf - l, "/%.*s", (int)(slash - path), path);
		return xstrdup(buf);
	}
	return slash == path ? xstrdup("/") : xstrndup(path, slash - path);
}

/* The name of the variable BASE_<system>, else BASE, that is in effect. */
static void env_name_sys(char *buf, size_t size, const char *base, const struct sys *s)
{
	snprintf(buf, size, "%s_%s", base, s->system);
	const char *v = getenv(buf);
	if (!v || !*v)
		snprintf(buf, size, "%s", base);
}

static void setup_paths(struct run *r)
{
	const struct sys *s = r->sys;
	const struct elfobj *o = r->maps[0].o;
	const char *origin = r->maps[0].origin;
	const struct settings_opts so = { r->c->library_path, r->c->ldso, r->c->mode, r->c->cache };
	r->set = settings_get(r->maps[0].path, o->interp != 0, s->system, &so);
	split(&r->ldlp, getenv("LD_LIBRARY_PATH"), origin, s);
	const char *nix = r->set->nix_path;
	split(r->set->override ? &r->ldlp : &r->nix, nix, origin, s);
	r->nix_value = r->set->global_path;
	env_name_sys(r->nix_var, sizeof r->nix_var, "NIX_LD_LIBRARY_PATH", s);
	env_name_sys(r->ldso_var, sizeof r->ldso_var, "NIX_LD", s);
	r->rtld_path = r->set->ldso;
	if (r->rtld_path) {
		char real[PATH_MAX];
		const char *p = realpath(r->rtld_path, real) ? real : r->rtld_path;
		dirs_add(&r->rtld_dir, dirname_of(p));
	}
	/* Fallback mode with a Nix path (a non-empty element) is where ldshim
	 * looks for a library cache; for a file it starts, or a library. */
	const char *i = o->interp;
	if (!r->set->override && nix && nix[strspn(nix, ":")] &&
	    (!i || !strcmp(i, s->interp)))
		r->lc = lc_plan_get(nix, r->rtld_path, s->system, r->set->cache, r->set->n_cache);
	/* The last resort, for a program ldshim starts: ld.so's library
	 * path is the user's, then the program's own RUNPATH, then the Nix
	 * path, each without its empty elements (shim/env.c). */
	if (r->lc && r->lc->way == LC_LAST_RESORT && i) {
		split_elems(&r->ldlp, r->maps[0].o->runpath, origin, s);
		split_elems(&r->ldlp, nix, origin, s);
		dirs_free(&r->nix);
	}
}

static int add_map(struct run *r, struct elfobj *o, const char *path, const char *name, int parent)
{
	grow(&r->maps, &r->cap_maps, r->n_maps + 1, sizeof *r->maps);
	struct lmap *m = &r->maps[r->n_maps];
	*m = (struct lmap){ .o = o, .path = xstrdup(path), .name = name, .parent = parent };
	m->origin = dirname_of(path);
	return r->n_maps++;
}

static void add_lib(struct run *r, const char *name, int parent, int map, const char *why, const char *bad,
		    const char *via_cache)
{
	grow(&r->libs, &r->cap_libs, r->n_libs + 1, sizeof *r->libs);
	r->libs[r->n_libs++] = (struct lib){ name, parent, map, why, bad ? xstrdup(bad) : 0, via_cache,
					     map < 0 ? r->n_maps : (size_t)map };
}

static int name_matches(const struct lmap *m, const char *name)
{
	return (m->name && !strcmp(m->name, name)) ||
	       (m->o->soname && !strcmp(m->o->soname, name)) || !strcmp(m->path, name);
}

static int loaded(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->n_maps; i++)
		if (name_matches(&r->maps[i], name))
			return i;
	return -1;
}

enum found { NONE, FOUND, BAD };

struct probe {
	struct elfobj *o;
	char path[PATH_MAX];
	int other_class;
	const char *via_cache;
};

static enum found try_path(struct run *r, struct probe *p)
{
	struct elfobj *o = elfobj_get(p->path);
	if (!o || o->io_error)
		return NONE;
	if (o->error)
		return p->o = o, BAD;
	const struct elfobj *main = r->maps[0].o;
	if (o->cls != main->cls || o->machine != main->machine || o->data != main->data) {
		p->other_class = 1;
		return NONE;
	}
	p->o = o;
	return FOUND;
}

static enum found try_dirs(struct run *r, const struct dirs *d, const char *name, struct probe *p)
{
	for (size_t i = 0; i < d->n; i++) {
		if (!path_join(p->path, sizeof p->path, d->v[i], name))
			continue;
		enum found f = try_path(r, p);
		if (f != NONE)
			return f;
	}
	return NONE;
}

static void map_dirs(struct run *r, int i)
{
	struct lmap *m = &r->maps[i];
	if (m->have_dirs)
		return;
	m->have_dirs = 1;
	if (m->o->runpath)
		split(&m->runpath, m->o->runpath, m->origin, r->sys);
	else
		split(&m->rpath, m->o->rpath, m->origin, r->sys);
}

static enum found search(struct run *r, const char *name, int req, struct probe *p)
{
	enum found f;
	if (strchr(name, '/')) {
		char *e = expand(name, strlen(name), r->maps[req].origin, r->sys);
		if (!e || strlen(e) >= sizeof p->path) {
			free(e);
			return NONE;
		}
		strcpy(p->path, e);
		free(e);
		return try_path(r, p);
	}
	map_dirs(r, req);
	if (!r->maps[req].o->runpath)
		for (int l = req; l >= 0; l = r->maps[l].parent) {
			map_dirs(r, l);
			if ((f = try_dirs(r, &r->maps[l].rpath, name, p)) != NONE)
				return f;
		}
	if ((f = try_dirs(r, &r->ldlp, name, p)) != NONE)
		return f;
	if ((f = try_dirs(r, &r->maps[req].runpath, name, p)) != NONE)
		return f;
	if (r->lc && r->lc->way == LC_CACHE && r->lc->priv) {
		/* ld.so's cache step: the file its entry names, if any; a
		 * file gone or of another class, and it goes on. */
		const char *file = lc_lookup(r->lc, name);
		if (file && strlen(file) < sizeof p->path) {
			strcpy(p->path, file);
			if ((f = try_path(r, p)) != NONE) {
				p->via_cache = r->lc->file;
				return f;
			}
		}
	} else if ((f = try_dirs(r, &r->nix, name, p)) != NONE) {
		return f;
	}
	return try_dirs(r, &r->rtld_dir, name, p);
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s && s[1] ? s + 1 : p;
}

static int interp_served(const struct run *r)
{
	const char *i = r->maps[0].o->interp;
	return i && !strcmp(i, r->sys->interp);
}

static void load_all(struct run *r)
{
	/* The real ld.so is loaded with the program (or with the program
	 * that loads a library) and answers to its soname. */
	const struct elfobj *main = r->maps[0].o;
	if ((!main->interp || interp_served(r)) && r->rtld_path) {
		struct probe p = { 0 };
		snprintf(p.path, sizeof p.path, "%s", r->rtld_path);
		if (try_path(r, &p) == FOUND && p.o != main) {
			int i = add_map(r, p.o, p.path, base(r->sys->interp), 0);
			r->maps[i].rtld = 1;
			r->rtld_found = 1;
		}
	}
	for (size_t i = 0; i < r->n_maps; i++) {
		if (r->maps[i].rtld)
			continue;
		for (size_t k = 0; k < r->maps[i].o->n_needed; k++) {
			const char *name = r->maps[i].o->needed[k];
			if (loaded(r, name) >= 0)
				continue;
			int dup = 0;
			for (size_t j = 0; j < r->n_libs && !dup; j++)
				dup = r->libs[j].map < 0 && !strcmp(r->libs[j].name, name);
			if (dup)
				continue;
			struct probe p = { 0 };
			enum found f = search(r, name, i, &p);
			if (f == FOUND) {
				int m = -1;
				for (size_t j = 0; j < r->n_maps && m < 0; j++)
					if (r->maps[j].o == p.o)
						m = j;
				if (m < 0)
					m = add_map(r, p.o, p.path, name, i);
				add_lib(r, name, i, m, 0, 0, p.via_cache);
			} else if (f == BAD) {
				add_lib(r, name, i, -1, p.o->error, p.path, p.via_cache);
			} else {
				add_lib(r, name, i, -1, p.other_class ? "not found (only of another ELF class or machine)" : "not found", 0, 0);
			}
		}
	}
}

/* "GLIBC_2.36" -> length of "GLIBC_"; 0 if the name has no numeric tail. */
static size_t family_len(const char *v)
{
	const char *u = strrchr(v, '_');
	return u && u[1] >= '0' && u[1] <= '9' ? (size_t)(u - v + 1) : 0;
}

static const char *newest_of(const struct elfobj *o, const char *fam, size_t fl)
{
	const char *best = 0;
	for (size_t i = 0; i < o->n_verdefs; i++) {
		const char *d = o->verdefs[i];
		if (family_len(d) == fl && !strncmp(d, fam, fl) &&
		    (!best || strverscmp(d + fl, best + fl) > 0))
			best = d;
	}
	return best;
}

/* The global scope of R: its objects in load order. */
static const struct elfobj *const *scope_of(struct run *r)
{
	if (!r->scope) {
		r->scope = xcalloc(r->n_maps ? r->n_maps : 1, sizeof *r->scope);
		for (size_t m = 0; m < r->n_maps; m++)
			r->scope[m] = r->maps[m].o;
	}
	return r->scope;
}

static int unversioned_need(struct run *r, int needer, int provider, const struct vneed *v)
{
	const char *sym = 0;
	enum unversioned u = unversioned_binding(r->maps[needer].o, v, scope_of(r), r->n_maps,
						 r->maps[provider].o, &sym);
	if (u == UNV_NONE)
		return 0;
	grow(&r->vm, &r->cap_vm, r->n_vm + 1, sizeof *r->vm);
	r->vm[r->n_vm++] = (struct vmiss){ needer, provider, v, 0, u, sym };
	return 1;
}

/* A missing version ld.so lets pass: a weak need of a versioned library. */
static int harmless(const struct vmiss *m)
{
	return m->v->weak && m->unversioned == UNV_NONE;
}

static void check_versions(struct run *r)
{
	for (size_t i = 0; i < r->n_maps; i++) {
		const struct elfobj *o = r->maps[i].o;
		for (size_t k = 0; k < o->n_vneeds; k++) {
			const struct vneed *v = &o->vneeds[k];
			int p = loaded(r, v->file);
			if (p < 0)
				continue;	/* missing: reported */
			if (!r->maps[p].o->n_verdefs) {
				unversioned_need(r, i, p, v);
				continue;
			}
			const struct elfobj *po = r->maps[p].o;
			size_t d = 0;
			while (d < po->n_verdefs && strcmp(po->verdefs[d], v->name))
				d++;
			if (d < po->n_verdefs)
				continue;
			size_t fl = family_len(v->name);
			grow(&r->vm, &r->cap_vm, r->n_vm + 1, sizeof *r->vm);
			r->vm[r->n_vm++] = (struct vmiss){ i, p, v, fl ? newest_of(po, v->name, fl) : 0, UNV_NONE, 0 };
		}
	}
}


static const char *map_label(const struct run *r, int i)
{
	return i <= 0 ? base(r->maps[0].name) : r->maps[i].name;
}

/* ---- verdict ---- */

struct verdict {
	char text[1024];
	size_t len;
};

static void vput(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vput(struct verdict *v, const char *fmt, ...)
{
	va_list ap;
	if (v->len && v->len < sizeof v->text - 2) {
		memcpy(v->text + v->len, "; ", 3);
		v->len += 2;
	}
	va_start(ap, fmt);
	if (v->len < sizeof v->text) {
		int n = vsnprintf(v->text + v->len, sizeof v->text - v->len, fmt, ap);
		v->len += n > 0 ? (size_t)n : 0;
		if (v->len >= sizeof v->text)
			v->len = sizeof v->text - 1;
	}
	va_end(ap);
}

static int interp_problem(const struct run *r)
{
	const char *i = r->maps[0].o->interp;
	return i && !interp_served(r) && strncmp(i, "/nix/store/", 11);
}

/* Version problems, one per family (per provider, but glibc as one):
 * the highest version needed, and the newest there is. */
static int make_verdict(const struct run *r, struct verdict *v)
{
	if (interp_problem(r))
		vput(v, "interpreter not served by ldshim: %s", r->maps[0].o->interp);
	int any = 0;
	for (size_t i = 0; i < r->n_libs; i++)
		if (r->libs[i].map < 0 && !r->libs[i].bad_path) {
			if (!any++)
				vput(v, "missing libraries: %s", r->libs[i].name);
			else if (v->len < sizeof v->text - 1)
				v->len += snprintf(v->text + v->len, sizeof v->text - v->len, ", %s", r->libs[i].name);
			if (v->len >= sizeof v->text)
				v->len = sizeof v->text - 1;
		}
	for (size_t i = 0; i < r->n_libs; i++)
		if (r->libs[i].bad_path)
			vput(v, "unusable library: %s: %s", r->libs[i].bad_path, r->libs[i].why);
	for (size_t i = 0; i < r->n_vm; i++) {
		const struct vmiss *m = &r->vm[i];
		if (harmless(m))
			continue;
		size_t fl = family_len(m->v->name);
		int glibc = fl == 6 && !strncmp(m->v->name, "GLIBC_", 6);
		/* Report a family once, at its first entry, with its maximum. */
		int seen = 0;
		const char *need = m->v->name;
		for (size_t j = 0; j < r->n_vm; j++) {
			const struct vmiss *n = &r->vm[j];
			if (harmless(n) || family_len(n->v->name) != fl || strncmp(n->v->name, need, fl) ||
			    (!glibc && (n->provider != m->provider || !fl)) ||
			    (!fl && strcmp(n->v->name, m->v->name)))
				continue;
			if (j < i) {
				seen = 1;
				break;
			}
			if (fl && strverscmp(n->v->name + fl, need + fl) > 0)
				need = n->v->name;
		}
		if (seen)
			continue;
		const char *have = m->newest;
		if (glibc)
			for (size_t j = 0; j < r->n_maps; j++) {
				const char *h = newest_of(r->maps[j].o, "GLIBC_", 6);
				if (h && (!have || strverscmp(h + 6, have + 6) > 0))
					have = h;
			}
		const char *who = glibc && !m->unversioned ? "glibc" : map_label(r, m->provider);
		if (m->unversioned)
			vput(v, "%s has no version information: needs %s", who, need);
		else if (have)
			vput(v, "%s too old: needs %s, have %s", who, need, have + fl);
		else
			vput(v, "%s lacks version %s", who, need);
	}
	if (!v->len) {
		vput(v, "ok");
		return 0;
	}
	return 1;
}

/* ---- output ---- */

static const char *status_name[] = {
	[ST_OK] = "ok", [ST_PROBLEMS] = "problems", [ST_NOT_DYNAMIC] = "not-dynamic",
	[ST_WRONG_ARCH] = "wrong-architecture", [ST_NOT_ELF] = "not-elf",
	[ST_BAD] = "bad", [ST_IO] = "error", [ST_SKIP] = "skipped",
};

static const char *type_name(const struct elfobj *o)
{
	if (o->type == ET_EXEC || o->interp)
		return "executable";
	return o->type == ET_DYN ? "shared library" : "object";
}

#define MAX_SYMS 8

/* The settings and where each came from, in `ldshim --config`'s words:
 * where a configuration file is there (read or not), and at -v. */
static void print_settings_text(const struct run *r)
{
	const struct settings *s = r->set;
	if (!s || (!s->file_present && !r->c->verbose))
		return;
	printf("  system file: %s\n  user file: %s\n", s->files[0], s->files[1]);
	for (size_t i = 0; i < s->n_sections; i++)
		printf("  matching section: %s\n", s->sections[i]);
	printf("  mode = %s (%s)\n", s->override ? "override" : "fallback", s->mode_from);
	printf("  ld.so = %s (%s)\n", s->ldso ? s->ldso : "(none)", s->ldso_from);
	printf("  library-path = %s (%s)\n", s->nix_path ? s->nix_path : "(none)", s->nix_path_from);
	if (!s->n_cache)
		printf("  library-cache = (none named)\n");
	for (size_t i = 0; i < s->n_cache; i++)
		printf("  library-cache = %s (%s)\n", s->cache[i].file, s->cache[i].src);
}

/* Which library cache the start gets, and why not the others. */
static void print_cache_text(const struct run *r)
{
	const struct lc_plan *p = r->lc;
	if (!p)
		return;
	if (p->way == LC_UNMODELLED) {
		printf("  library cache: not worked out (%s)\n", p->way_why);
		return;
	}
	for (size_t i = 0; i < p->n_cand; i++)
		if (p->cand[i].why)
			printf("  library cache %s (%s) not used: %s\n", p->cand[i].file, p->cand[i].src, p->cand[i].why);
		else if (p->not_used)
			printf("  library cache %s (%s) not used: %s\n", p->cand[i].file, p->cand[i].src, p->not_used);
	/* The automatic cache's homes passed over, as the shim says it. */
	for (const char *h = p->homes_passed; h && *h;) {
		size_t n = strcspn(h, "\n");
		printf("  automatic library cache: %.*s\n", (int)n, h);
		h += n + (h[n] == '\n');
	}
	switch (p->way) {
	case LC_CACHE:
		printf("  library cache: %s (%s) serves the Nix library path\n", p->file, p->src);
		if (p->entries_why)
			printf("    (its entries cannot be read here: %s; the Nix path's directories are"
			       " searched instead)\n", p->entries_why);
		break;
	case LC_WRITE:
		printf("  library cache: ldshim would write the automatic cache %s and use it (now: %s%s)\n",
		       p->file, p->auto_why, p->makes_dir ? "; its directory is made too" : "");
		break;
	case LC_LAST_RESORT:
		printf("  library cache: none (%s): the last resort, ld.so gets a library path"
		       " (LD_LIBRARY_PATH, the program's RUNPATH, the Nix path)\n", p->no_cache);
		break;
	case LC_UNKNOWN:
		printf("  library cache: not worked out: %s\n", p->way_why);
		break;
	default:
		break;
	}
}

static void print_text(const struct run *r, const char *path, const struct elfobj *o,
		       const char *verdict, int details)
{
	printf("%s: %s\n", path, verdict);
	if (!details || !o || o->error)
		return;
	printf("  ELF%d %s %s", o->cls == ELFCLASS64 ? 64 : 32, elf_machine_name(o), type_name(o));
	if (o->interp)
		printf(", interpreter %s (%s)", o->interp,
		       r && interp_served(r) ? "ldshim serves it" :
		       !strncmp(o->interp, "/nix/store/", 11) ? "a Nix store path" : "not served by ldshim");
	putchar('\n');
	if (!r)
		return;
	print_settings_text(r);
	print_cache_text(r);
	for (size_t i = 0; i < r->n_libs; i++) {
		const struct lib *l = &r->libs[i];
		if (l->map >= 0 && l->via_cache)
			printf("  %s => %s (library cache %s)\n", l->name, r->maps[l->map].path, l->via_cache);
		else if (l->map >= 0)
			printf("  %s => %s\n", l->name, r->maps[l->map].path);
		else if (l->bad_path)
			printf("  %s => %s: %s (needed by %s)\n", l->name, l->bad_path, l->why, map_label(r, l->parent));
		else
			printf("  %s => %s (needed by %s)\n", l->name, l->why, map_label(r, l->parent));
	}
	for (size_t i = 0; i < r->n_maps; i++)
		if (r->maps[i].rtld)
			printf("  %s => %s (real ld.so)\n", r->maps[i].name, r->maps[i].path);
	if (interp_served(r) && !r->rtld_found)
		printf("  real ld.so: %s%s%s%s\n", r->rtld_path ? r->rtld_path : "NIX_LD not set",
		       r->rtld_path ? ": not found (" : "", r->rtld_path ? r->set->ldso_from : "",
		       r->rtld_path ? ")" : "");
	for (size_t i = 0; i < r->n_vm; i++) {
		const struct vmiss *m = &r->vm[i];
		const char *syms[MAX_SYMS];
		size_t n = elfobj_symbols_of_version(r->maps[m->needer].o, m->v->index, syms, MAX_SYMS);
		char why[256];
		if (m->unversioned == UNV_ABORT)
			snprintf(why, sizeof why, "no version information: ld.so aborts binding %s", m->sym);
		else if (m->unversioned == UNV_UNDEFINED)
			snprintf(why, sizeof why, "no version information, and nothing defines %s: undefined symbol", m->sym);
		else
			snprintf(why, sizeof why, "%s%s", m->newest ? "newest " : "no version of its family",
				 m->newest ? m->newest : "");
		printf("  %s%s not found in %s (%s), needed by %s", m->v->weak ? "weak version " : "",
		       m->v->name, r->maps[m->provider].path, why, map_label(r, m->needer));
		for (size_t k = 0; k < n && k < MAX_SYMS; k++)
			printf("%s%s", k ? ", " : " for ", syms[k]);
		if (n > MAX_SYMS)
			printf(" and %zu more", n - MAX_SYMS);
		putchar('\n');
	}
}

static const char *const way_name[] = {
	[LC_CACHE] = "cache", [LC_WRITE] = "write-automatic-cache", [LC_LAST_RESORT] = "last-resort",
	[LC_UNKNOWN] = "unknown", [LC_UNMODELLED] = "not-modelled",
};

/* ", settings" of a file's object: what print_settings_text says. */
static void print_settings_json(const struct run *r)
{
	const struct settings *s = r->set;
	if (!s)
		return;
	printf(",\n     \"settings\": {\"system_file\": ");
	jstr(s->files[0]);
	printf(", \"user_file\": ");
	jstr(s->files[1]);
	printf(", \"matching_sections\": [");
	for (size_t i = 0; i < s->n_sections; i++) {
		printf("%s", i ? ", " : "");
		jstr(s->sections[i]);
	}
	printf("], \"mode\": \"%s\", \"mode_from\": ", s->override ? "override" : "fallback");
	jstr(s->mode_from);
	printf(", \"ldso\": ");
	jstr(s->ldso);
	printf(", \"ldso_from\": ");
	jstr(s->ldso_from);
	printf(", \"library_path\": ");
	jstr(s->nix_path);
	printf(", \"library_path_from\": ");
	jstr(s->nix_path_from);
	printf(", \"library_caches\": [");
	for (size_t i = 0; i < s->n_cache; i++) {
		printf("%s{\"file\": ", i ? ", " : "");
		jstr(s->cache[i].file);
		printf(", \"source\": ");
		jstr(s->cache[i].src);
		putchar('}');
	}
	printf("], \"configuration_read\": %s}", s->modelled ? "true" : "false");
}

/* ", library_cache" and ", static_tls" of a file's object. */
static void print_cache_json(const struct run *r)
{
	const struct lc_plan *p = r->lc;
	if (!p)
		return;
	printf(",\n     \"library_cache\": {\"way\": \"%s\", \"file\": ", way_name[p->way]);
	jstr(p->file);
	printf(", \"source\": ");
	jstr(p->src);
	printf(", \"automatic\": %s, \"serves\": %s, \"why\": ", p->automatic ? "true" : "false",
	       p->way == LC_CACHE ? "true" : "false");
	jstr(p->way == LC_LAST_RESORT ? p->no_cache : p->way == LC_WRITE ? p->auto_why : p->way_why);
	printf(", \"ldso_room\": ");
	if (p->room >= 0)
		printf("%ld", p->room);
	else
		fputs("null", stdout);
	printf(", \"homes_passed\": [");
	for (const char *h = p->homes_passed, *sep = ""; h && *h; sep = ", ") {
		size_t n = strcspn(h, "\n");
		char *one = xstrndup(h, n);
		printf("%s", sep);
		jstr(one);
		free(one);
		h += n + (h[n] == '\n');
	}
	printf("]");
	printf(", \"entries_error\": ");
	jstr(p->entries_why);
	printf(", \"candidates\": [");
	for (size_t i = 0; i < p->n_cand; i++) {
		const struct lc_cand *c = &p->cand[i];
		printf("%s{\"file\": ", i ? ", " : "");
		jstr(c->file);
		printf(", \"source\": ");
		jstr(c->src);
		printf(", \"usable\": %s, \"why\": ", c->why ? "false" : "true");
		jstr(c->why ? c->why : p->not_used);
		putchar('}');
	}
	printf("]}");
}

static void fix_env_of(const struct run *r, struct fix_env *e)
{
	*e = (struct fix_env){ r->nix_var, r->nix_value, r->ldso_var, r->recheck, 0, 0 };
}

static void print_json(const struct run *r, const char *path, const struct elfobj *o,
		       const char *verdict, enum status st, int first)
{
	printf("%s\n    {\"file\": ", first ? "" : ",");
	jstr(path);
	printf(", \"status\": \"%s\", \"verdict\": ", status_name[st]);
	jstr(verdict);
	if (o && !o->error) {
		printf(", \"class\": %d, \"machine\": ", o->cls == ELFCLASS64 ? 64 : 32);
		jstr(elf_machine_name(o));
		printf(", \"type\": \"%s\", \"interpreter\": ", type_name(o));
		jstr(o->interp);
		printf(", \"interpreter_served\": %s", r && interp_served(r) ? "true" : "false");
	}
	if (r) {
		printf(",\n     \"libraries\": [");
		for (size_t i = 0; i < r->n_libs; i++) {
			const struct lib *l = &r->libs[i];
			printf("%s\n       {\"name\": ", i ? "," : "");
			jstr(l->name);
			printf(", \"path\": ");
			jstr(l->map >= 0 ? r->maps[l->map].path : l->bad_path);
			printf(", \"found\": %s, \"needed_by\": ", l->map >= 0 ? "true" : "false");
			jstr(map_label(r, l->parent));
			if (l->via_cache) {
				printf(", \"library_cache\": ");
				jstr(l->via_cache);
			}
			if (l->map < 0) {
				printf(", \"error\": ");
				jstr(l->why);
			}
			putchar('}');
		}
		putchar(']');
		print_settings_json(r);
		print_cache_json(r);
		printf(",\n     \"real_ldso\": ");
		const char *rt = 0;
		for (size_t i = 0; i < r->n_maps; i++)
			if (r->maps[i].rtld)
				rt = r->maps[i].path;
		jstr(rt);
		printf(",\n     \"missing_versions\": [");
		for (size_t i = 0; i < r->n_vm; i++) {
			const struct vmiss *m = &r->vm[i];
			const char *syms[64];
			size_t n = elfobj_symbols_of_version(r->maps[m->needer].o, m->v->index, syms, 64);
			printf("%s\n       {\"version\": ", i ? "," : "");
			jstr(m->v->name);
			printf(", \"library\": ");
			jstr(map_label(r, m->provider));
			printf(", \"path\": ");
			jstr(r->maps[m->provider].path);
			printf(", \"newest\": ");
			jstr(m->newest);
			printf(", \"needed_by\": ");
			jstr(map_label(r, m->needer));
			printf(", \"weak\": %s", m->v->weak ? "true" : "false");
			if (m->unversioned) {
				printf(", \"no_version_information\": true, \"ld_so_fails\": \"%s\", \"symbol\": ",
				       m->unversioned == UNV_ABORT ? "assertion" : "undefined symbol");
				jstr(m->sym);
			}
			printf(", \"symbols\": [");
			for (size_t k = 0; k < n && k < 64; k++) {
				if (k)
					fputs(", ", stdout);
				jstr(syms[k]);
			}
			printf("]}");
		}
		putchar(']');
		if (r->n_wants) {
			struct fix_env e;
			fix_env_of(r, &e);
			printf(",\n     \"store\": ");
			store_print_json(r->wants, r->n_wants, &r->fix, &e, 0);
		}
	}
	putchar('}');
}

/* ---- the -r summary ---- */

static struct table missing_libs, missing_versions;

static void count(struct table *t, const char *key)
{
	int fresh;
	void **slot = table_slot(t, key, &fresh);
	*slot = (void *)((uintptr_t)*slot + 1);
}

static void tally(const struct run *r)
{
	for (size_t i = 0; i < r->n_libs; i++)
		if (r->libs[i].map < 0)
			count(&missing_libs, r->libs[i].name);	/* listed once per file */
	for (size_t i = 0; i < r->n_vm; i++) {
		int dup = harmless(&r->vm[i]);
		for (size_t j = 0; j < i && !dup; j++)
			dup = !strcmp(r->vm[j].v->name, r->vm[i].v->name);
		if (!dup)
			count(&missing_versions, r->vm[i].v->name);
	}
}

struct kv {
	const char *k;
	uintptr_t n;
};

static int by_count(const void *a, const void *b)
{
	const struct kv *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->k, y->k);
}

static void print_table(const struct config *c, const struct table *t, const char *title, const char *jname)
{
	struct kv *v = xcalloc(t->len, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < t->cap; i++)
		if (t->keys && t->keys[i])
			v[n++] = (struct kv){ t->keys[i], (uintptr_t)t->vals[i] };
	qsort(v, n, sizeof *v, by_count);
	if (c->json) {
		printf(", \"%s\": {", jname);
		for (size_t i = 0; i < n; i++) {
			printf("%s", i ? ", " : "");
			jstr(v[i].k);
			printf(": %lu", (unsigned long)v[i].n);
		}
		putchar('}');
	} else if (n) {
		printf("%s:\n", title);
		for (size_t i = 0; i < n; i++)
			printf("  %s blocks %lu file%s\n", v[i].k, (unsigned long)v[i].n, v[i].n == 1 ? "" : "s");
	}
	free(v);
}

static void summary_store(const struct config *c);

void summary_print(const struct config *c, const unsigned counts[])
{
	unsigned total = 0;
	for (int s = ST_OK; s < ST_SKIP; s++)
		total += counts[s];
	unsigned errors = counts[ST_NOT_ELF] + counts[ST_BAD] + counts[ST_IO];
	if (c->json) {
		printf(",\n  \"summary\": {\"files\": %u, \"ok\": %u, \"problems\": %u, \"not_dynamic\": %u, "
		       "\"wrong_architecture\": %u, \"errors\": %u, \"skipped\": %u",
		       total, counts[ST_OK], counts[ST_PROBLEMS], counts[ST_NOT_DYNAMIC],
		       counts[ST_WRONG_ARCH], errors, counts[ST_SKIP]);
		print_table(c, &missing_libs, 0, "missing_libraries");
		print_table(c, &missing_versions, 0, "missing_versions");
		summary_store(c);
		putchar('}');
		return;
	}
	printf("summary: %u ELF file%s: %u ok, %u with problems, %u not dynamic, %u wrong architecture, %u unreadable\n",
	       total, total == 1 ? "" : "s", counts[ST_OK], counts[ST_PROBLEMS], counts[ST_NOT_DYNAMIC],
	       counts[ST_WRONG_ARCH], errors);
	print_table(c, &missing_libs, "missing libraries", 0);
	print_table(c, &missing_versions, "missing versions", 0);
	summary_store(c);
}

/* ---- the check ---- */

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->n_maps; i++) {
		free(r->maps[i].path);
		free(r->maps[i].origin);
		dirs_free(&r->maps[i].rpath);
		dirs_free(&r->maps[i].runpath);
	}
	for (size_t i = 0; i < r->n_libs; i++)
		free(r->libs[i].bad_path);
	free(r->maps);
	free(r->libs);
	free(r->vm);
	free(r->scope);
	dirs_free(&r->ldlp);
	dirs_free(&r->nix);
	dirs_free(&r->rtld_dir);
	for (size_t i = 0; i < r->n_wants; i++)
		want_free(&r->wants[i]);
	free(r->wants);
	fix_free(&r->fix);
	free(r->recheck);
	settings_free(r->set);
}

/* Load the file as ld.so would and check its versions: the verdict. */
static enum status analyze(struct run *r, const char *path, struct elfobj *o, struct verdict *v)
{
	r->sys = sys_of(o);
	char real[PATH_MAX];
	/* The program's $ORIGIN is where the kernel found it, links
	 * resolved; a library's is the directory it was named in. */
	int exe = o->interp != 0;
	add_map(r, o, exe && realpath(path, real) ? real : path, path, -1);
	setup_paths(r);
	load_all(r);
	check_versions(r);
	return make_verdict(r, v) ? ST_PROBLEMS : ST_OK;
}

/* ---- where to get what is missing: the store ---- */

static void add_want(struct run *r, const char *name, int missing)
{
	for (size_t i = 0; i < r->n_wants; i++)
		if (!strcmp(r->wants[i].name, name)) {
			r->wants[i].missing |= missing;
			return;
		}
	const struct elfobj *o = r->maps[0].o;
	grow(&r->wants, &r->cap_wants, r->n_wants + 1, sizeof *r->wants);
	r->wants[r->n_wants++] = (struct want){ .name = xstrdup(name), .missing = missing,
		.cls = o->cls, .data = o->data, .machine = o->machine,
		.ldso = base(r->sys->interp), .chosen = -1 };
}

/* The scope a candidate for W is judged in when it defines no versions
 * (store.c, by unversioned_binding): the file's objects in load order,
 * W's library at its place (where it would have been loaded, if missing),
 * and every version (weak or not) an object needs of it. */
static void add_scope(struct run *r, struct want *w, int p)
{
	struct vscope sc = { 0 };
	size_t cap = 0;
	for (size_t m = 0; m < r->n_maps; m++)
		for (size_t k = 0; k < r->maps[m].o->n_vneeds; k++) {
			const struct vneed *v = &r->maps[m].o->vneeds[k];
			if (p >= 0 ? name_matches(&r->maps[p], v->file) : !strcmp(v->file, w->name)) {
				grow(&sc.uses, &cap, sc.n_uses + 1, sizeof *sc.uses);
				sc.uses[sc.n_uses++] = (struct vuse){ r->maps[m].o, v };
			}
		}
	if (!sc.n_uses)
		return;
	sc.slot = p;
	if (p < 0) {
		sc.slot = r->n_maps;
		for (size_t i = 0; i < r->n_libs; i++)
			if (r->libs[i].map < 0 && !strcmp(r->libs[i].name, w->name)) {
				sc.slot = r->libs[i].slot;
				break;
			}
	}
	sc.n = r->n_maps + (p < 0);
	sc.objs = xcalloc(sc.n, sizeof *sc.objs);
	for (size_t m = 0, j = 0; j < sc.n; j++)
		sc.objs[j] = p < 0 && j == sc.slot ? 0 : r->maps[m++].o;
	want_add_scope(w, &sc);
}

/* Every library not found, and every one lacking a version, with all the
 * versions the loaded objects need of it. */
static void gather_wants(struct run *r)
{
	for (size_t i = 0; i < r->n_libs; i++)
		if (r->libs[i].map < 0 && !r->libs[i].bad_path)
			add_want(r, r->libs[i].name, 1);
	for (size_t i = 0; i < r->n_vm; i++)
		if (!harmless(&r->vm[i]))
			add_want(r, r->maps[r->vm[i].provider].name, 0);
	for (size_t i = 0; i < r->n_wants; i++) {
		struct want *w = &r->wants[i];
		int p = loaded(r, w->name);
		for (size_t m = 0; m < r->n_maps; m++)
			for (size_t k = 0; k < r->maps[m].o->n_vneeds; k++) {
				const struct vneed *v = &r->maps[m].o->vneeds[k];
				if (!v->weak && (p >= 0 ? name_matches(&r->maps[p], v->file) : !strcmp(v->file, w->name)))
					want_add_version(w, v->name);
			}
		add_scope(r, w, p);
	}
}

/* PATH checked again with FIX applied: its new verdict. */
static enum status recheck(const struct config *c, const char *path, const char *nix_now,
			   const struct fix *fix, struct verdict *v)
{
	struct config c2 = *c;
	size_t n = strlen(fix->path) + (nix_now ? strlen(nix_now) : 0) + 2;
	char *lp = xmalloc(n);
	snprintf(lp, n, "%s%s%s", fix->path, nix_now && *nix_now ? ":" : "", nix_now ? nix_now : "");
	c2.library_path = lp;
	if (fix->ldso)
		c2.ldso = fix->ldso;
	struct run run = { .c = &c2 };
	enum status st = analyze(&run, path, elfobj_get(path), v);
	run_free(&run);
	free(lp);
	return st;
}

/* Files with problems under -r, to check again with the tree's fix. */
static char **problem_files;
static size_t n_problem_files, cap_problem_files;
static const char *tree_nix_value;
static char tree_nix_var[64], tree_ldso_var[64];

static void suggest(struct run *r, const char *path, int in_tree, int shown)
{
	if (in_tree) {
		grow(&problem_files, &cap_problem_files, n_problem_files + 1, sizeof *problem_files);
		problem_files[n_problem_files++] = xstrdup(path);
		if (!tree_nix_value && r->nix_value)
			tree_nix_value = xstrdup(r->nix_value);
		if (!tree_nix_var[0]) {
			memcpy(tree_nix_var, r->nix_var, sizeof tree_nix_var);
			memcpy(tree_ldso_var, r->ldso_var, sizeof tree_ldso_var);
		}
	}
	if (!store_available())
		return;
	gather_wants(r);
	if (!r->n_wants)
		return;
	if (in_tree)
		store_tally(r->wants, r->n_wants);
	if (!shown)
		return;
	for (size_t i = 0; i < r->n_wants; i++)
		store_candidates(&r->wants[i]);
	fix_make(r->wants, r->n_wants, &r->fix);
	if (r->fix.path) {
		struct verdict v = { .len = 0 };
		recheck(r->c, path, r->nix_value, &r->fix, &v);
		r->recheck = xstrdup(v.text);
	}
}

static void summary_store(const struct config *c)
{
	size_t n;
	struct want *w = store_tree(&n);
	if (!n)
		return;
	struct fix f;
	store_tree_fix(&f);
	struct fix_env e = { tree_nix_var, tree_nix_value, tree_ldso_var, 0, 0, n_problem_files };
	for (size_t i = 0; f.path && i < n_problem_files; i++) {
		struct verdict v = { .len = 0 };
		e.fixed += recheck(c, problem_files[i], tree_nix_value, &f, &v) == ST_OK;
	}
	if (c->json) {
		printf(", \"store\": ");
		store_print_json(w, n, &f, &e, 1);
	} else {
		store_print_text(w, n, &f, &e, 0, 1);
	}
	fix_free(&f);
}

enum status check_file(const struct config *c, const char *path, int in_tree, int first)
{
	struct elfobj *o = elfobj_get(path);
	struct verdict v = { .len = 0 };
	enum status st;
	struct run run = { .c = c }, *r = 0;

	if (!o) {
		vput(&v, "error: %s", strerror(errno));
		st = ST_IO;
	} else if (o->error) {
		st = o->io_error ? ST_IO : !strcmp(o->error, "not an ELF file") ? ST_NOT_ELF : ST_BAD;
		if (in_tree && st == ST_NOT_ELF)
			return ST_SKIP;
		vput(&v, "%s%s", st == ST_BAD ? "bad ELF file: " : st == ST_IO ? "error: " : "", o->error);
	} else if (o->type != ET_EXEC && o->type != ET_DYN) {
		if (in_tree)
			return ST_SKIP;
		vput(&v, "not dynamic (%s)", o->type == ET_REL ? "relocatable object" : "not loadable");
		st = ST_NOT_DYNAMIC;
	} else if (!runs_on(c->arch ? c->arch : HOST_ARCH, sys_of(o))) {
		vput(&v, "wrong architecture: ELF%d %s%s, this system is %s", o->cls == ELFCLASS64 ? 64 : 32,
		     elf_machine_name(o), o->data == ELFDATA2MSB ? " big-endian" : "",
		     c->arch ? c->arch : HOST_ARCH);
		st = ST_WRONG_ARCH;
	} else if (!o->dynamic) {
		vput(&v, "not dynamic");
		st = ST_NOT_DYNAMIC;
	} else {
		r = &run;
		st = analyze(r, path, o, &v);
		tally(r);
	}
	int details = !c->quiet && (c->verbose || !in_tree || st == ST_PROBLEMS);
	if (st == ST_PROBLEMS)
		suggest(r, path, in_tree, c->json || (details && (c->verbose || !in_tree)));
	if (c->json) {
		print_json(r, path, o, v.text, st, first);
	} else {
		print_text(r, path, o, v.text, details);
		if (r && r->n_wants && details && (c->verbose || !in_tree)) {
			struct fix_env e;
			fix_env_of(r, &e);
			store_print_text(r->wants, r->n_wants, &r->fix, &e, 2, 0);
		}
	}
	if (r)
		run_free(r);
	return st;
}
