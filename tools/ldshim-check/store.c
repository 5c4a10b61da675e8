/* Candidates from a Nix store.
 *
 * The store is read once, lazily: its directory listing (names that are
 * not store names, and regular files such as .drv, are dropped without a
 * system call), then one faccessat of <entry>/lib and <entry>/lib64 for
 * each entry left, which keeps the directories that exist. A file name is
 * then looked for with one faccessat in each of those directories, and
 * the answer kept. Measured on a generated store (bench/store.sh): asking
 * every entry for the name directly costs as much as the directory pass
 * for the first name, and as much again for every further name; reading
 * every library directory once to index all names costs about three
 * directory passes.
 *
 * A file found is judged by the ELF reader (so a broken or hostile file
 * is only skipped): it must be of the checked file's class and machine,
 * and define every version the file needs of it; or, if it defines no
 * versions at all, be one that ld.so binds those symbols from with only a
 * warning, by the rule the check uses too (unversioned.h). */
#define _GNU_SOURCE
#include "store.h"
#include "elfobj.h"
#include "json.h"
#include "unversioned.h"
#include "util.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- names and versions, as Nix reads them ---- */

#define HASH_LEN 32
#define NAME_MAX_LEN 211

/* Which bytes may appear where: 1 in the hash (Nix's base-32: no e, o,
 * u, t), 2 in the name. */
static unsigned char name_class(unsigned char c)
{
	static unsigned char cls[256];
	if (!cls['0']) {
		for (const char *p = "0123456789abcdfghijklmnpqrsvwxyz"; *p; p++)
			cls[(unsigned char)*p] |= 1;
		for (int c = 0; c < 256; c++)
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    (c && strchr("+-._?=", c)))
				cls[c] |= 2;
	}
	return cls[c];
}

int store_name_ok(const char *s)
{
	size_t i;
	for (i = 0; i < HASH_LEN; i++)
		if (!(name_class(s[i]) & 1))
			return 0;
	if (s[i++] != '-' || !s[i] || s[i] == '.')
		return 0;
	size_t start = i;
	for (; s[i]; i++)
		if (!(name_class(s[i]) & 2))
			return 0;
	return i - start <= NAME_MAX_LEN;
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

size_t drv_name_len(const char *s)
{
	size_t i;
	for (i = 0; s[i]; i++)
		if (s[i] == '-' && s[i + 1] && !is_alpha(s[i + 1]))
			return i;
	return i;
}

/* A version component: a run of digits, or a run of anything but digits
 * and the separators '.' and '-'. */
struct comp {
	const char *s;
	size_t len;
	int numeric;		/* digits that fit an int, as Nix's string2Int<int> */
	long value;
};

static struct comp next_comp(const char **pp)
{
	const char *p = *pp;
	while (*p == '.' || *p == '-')
		p++;
	struct comp c = { p, 0, 0, 0 };
	if (is_digit(*p)) {
		while (is_digit(p[c.len]))
			c.len++;
		/* Nix parses the digits as an int; more than fit is no number. */
		c.numeric = 1;
		for (size_t i = 0; i < c.len && c.numeric; i++) {
			c.value = c.value * 10 + (p[i] - '0');
			if (c.value > INT_MAX)
				c.numeric = 0;
		}
	} else {
		while (p[c.len] && !is_digit(p[c.len]) && p[c.len] != '.' && p[c.len] != '-')
			c.len++;
	}
	*pp = p + c.len;
	return c;
}

static int comp_is(const struct comp *c, const char *word)
{
	return c->len == strlen(word) && !memcmp(c->s, word, c->len);
}

/* Is component A older than B? Numbers by value; an absent component is
 * older than a number; "pre" is older than anything but "pre"; a word is
 * older than a number (2.3a < 2.3.1); words by their bytes. */
static int comp_lt(const struct comp *a, const struct comp *b)
{
	if (a->numeric && b->numeric)
		return a->value < b->value;
	if (a->len == 0 && b->numeric)
		return 1;
	if (comp_is(a, "pre") && !comp_is(b, "pre"))
		return 1;
	if (comp_is(b, "pre"))
		return 0;
	if (b->numeric)
		return 1;
	if (a->numeric)
		return 0;
	size_t n = a->len < b->len ? a->len : b->len;
	int d = memcmp(a->s, b->s, n);
	return d ? d < 0 : a->len < b->len;
}

int version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		struct comp x = next_comp(&a), y = next_comp(&b);
		if (comp_lt(&x, &y))
			return -1;
		if (comp_lt(&y, &x))
			return 1;
	}
	return 0;
}

/* ---- the store ---- */

static struct {
	char *dir;
	int fd;			/* -1: not opened yet, -2: none */
	int scanned;
	char **entries;		/* store names worth a look */
	size_t n_entries, cap_entries;
	char **libdirs;		/* "<entry>/lib", "<entry>/lib64" that exist */
	size_t n_libdirs, cap_libdirs;
	struct table found;	/* file name -> struct found */
} S = { .fd = -1 };

struct found {
	char **paths;		/* relative to the store */
	size_t n, cap;
};

int store_set(const char *dir, int explicit)
{
	free(S.dir);
	char cwd[PATH_MAX];
	/* Absolute, so the directories it names work from anywhere. */
	if (dir[0] != '/' && getcwd(cwd, sizeof cwd)) {
		S.dir = xmalloc(strlen(cwd) + strlen(dir) + 2);
		sprintf(S.dir, "%s/%s", cwd, dir);
	} else {
		S.dir = xstrdup(dir);
	}
	size_t l = strlen(S.dir);
	while (l > 1 && S.dir[l - 1] == '/')
		S.dir[--l] = 0;
	S.fd = open(S.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (S.fd < 0) {
		S.fd = -2;
		return explicit ? -1 : 0;
	}
	return 0;
}

int store_available(void)
{
	if (S.fd == -1)
		store_set("/nix/store", 0);
	return S.fd >= 0;
}

const char *store_dir(void)
{
	return S.dir ? S.dir : "/nix/store";
}

static void scan(void)
{
	if (S.scanned || !store_available())
		return;
	S.scanned = 1;
	int fd = dup(S.fd);
	DIR *d = fd >= 0 ? fdopendir(fd) : 0;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		/* A regular file (a .drv, a source tarball) has no lib/. */
		if (e->d_type == DT_REG || !store_name_ok(e->d_name))
			continue;
		size_t l = strlen(e->d_name);
		if (l > 4 && !strcmp(e->d_name + l - 4, ".drv"))
			continue;
		grow(&S.entries, &S.cap_entries, S.n_entries + 1, sizeof *S.entries);
		S.entries[S.n_entries++] = xstrdup(e->d_name);
	}
	closedir(d);
	char buf[PATH_MAX];
	for (size_t i = 0; i < S.n_entries; i++)
		for (int k = 0; k < 2; k++) {
			snprintf(buf, sizeof buf, "%s/%s", S.entries[i], k ? "lib64" : "lib");
			if (faccessat(S.fd, buf, F_OK, 0) == 0) {
				grow(&S.libdirs, &S.cap_libdirs, S.n_libdirs + 1, sizeof *S.libdirs);
				S.libdirs[S.n_libdirs++] = xstrdup(buf);
			}
		}
}

static const struct found *lookup(const char *name)
{
	int fresh;
	void **slot = table_slot(&S.found, name, &fresh);
	if (!fresh)
		return *slot;
	struct found *f = xcalloc(1, sizeof *f);
	*slot = f;
	/* A name that is no plain file name finds nothing. */
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return f;
	scan();
	char buf[PATH_MAX];
	for (size_t i = 0; i < S.n_libdirs; i++) {
		if (snprintf(buf, sizeof buf, "%s/%s", S.libdirs[i], name) >= (int)sizeof buf)
			continue;
		if (faccessat(S.fd, buf, F_OK, 0) == 0) {
			grow(&f->paths, &f->cap, f->n + 1, sizeof *f->paths);
			f->paths[f->n++] = xstrdup(buf);
		}
	}
	return f;
}

/* ---- judging and ranking ---- */

void want_add_version(struct want *w, const char *v)
{
	for (size_t i = 0; i < w->n_versions; i++)
		if (!strcmp(w->versions[i], v))
			return;
	grow(&w->versions, &w->cap_versions, w->n_versions + 1, sizeof *w->versions);
	w->versions[w->n_versions++] = xstrdup(v);
}

static void cands_free(struct want *w)
{
	for (size_t i = 0; i < w->n_cands; i++) {
		free(w->cands[i].path);
		free(w->cands[i].dir);
		free(w->cands[i].pname);
		free(w->cands[i].entry);
	}
	free(w->cands);
	w->cands = 0;
	w->n_cands = w->skipped = 0;
}

void want_add_scope(struct want *w, struct vscope *sc)
{
	grow(&w->scopes, &w->cap_scopes, w->n_scopes + 1, sizeof *w->scopes);
	w->scopes[w->n_scopes++] = *sc;
}

void want_free(struct want *w)
{
	cands_free(w);
	for (size_t i = 0; i < w->n_scopes; i++) {
		free(w->scopes[i].objs);
		free(w->scopes[i].uses);
	}
	free(w->scopes);
	for (size_t i = 0; i < w->n_versions; i++)
		free(w->versions[i]);
	free(w->versions);
	free(w->name);
}

static int defines(const struct elfobj *o, const char *v)
{
	for (size_t i = 0; i < o->n_verdefs; i++)
		if (!strcmp(o->verdefs[i], v))
			return 1;
	return 0;
}

/* Usable ones first, those ld.so warns about (no version information)
 * after the others; then those of the right architecture. */
static int rank_of(const struct cand *c)
{
	switch (c->kind) {
	case CAND_USABLE: return c->no_versions;
	case CAND_LACKS: case CAND_NO_VERSIONS: return 2;
	case CAND_OTHER_ARCH: break;
	}
	return 3;
}

static int by_rank(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (rank_of(x) != rank_of(y))
		return rank_of(x) < rank_of(y) ? -1 : 1;
	int d = version_cmp(y->version, x->version);
	if (d)
		return d;
	if ((d = strcmp(x->pname, y->pname)))
		return d;
	return strcmp(x->path, y->path);
}

/* A candidate O that defines no versions: ld.so only warns, then binds
 * each symbol of a version needed of it as unversioned_binding says, O
 * in the library's place in each file's scope. */
static void judge_unversioned(const struct want *w, const struct elfobj *o, struct cand *c)
{
	const struct elfobj **objs = 0;
	size_t cap = 0;
	for (size_t i = 0; i < w->n_scopes && c->kind == CAND_USABLE; i++) {
		const struct vscope *sc = &w->scopes[i];
		grow(&objs, &cap, sc->n, sizeof *objs);
		memcpy(objs, sc->objs, sc->n * sizeof *objs);
		objs[sc->slot] = o;
		for (size_t k = 0; k < sc->n_uses; k++) {
			c->no_versions = 1;
			const char *sym = 0;
			enum unversioned u = unversioned_binding(sc->uses[k].needer, sc->uses[k].v,
								 objs, sc->n, o, &sym);
			if (u != UNV_NONE) {
				c->kind = CAND_NO_VERSIONS;
				c->unv_fails = u;
				c->unv_sym = sym;
				break;
			}
		}
	}
	free(objs);
}

void store_candidates(struct want *w)
{
	cands_free(w);
	w->chosen = -1;
	if (!store_available())
		return;
	const struct found *f = lookup(w->name);
	char path[PATH_MAX];
	size_t cap = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (!path_join(path, sizeof path, S.dir, f->paths[i]))
			continue;
		struct elfobj *o = elfobj_get(path);
		/* Unreadable, dangling, not ELF, broken, not a library. */
		if (!o || o->error || o->type != ET_DYN) {
			w->skipped++;
			continue;
		}
		grow(&w->cands, &cap, w->n_cands + 1, sizeof *w->cands);
		struct cand *c = &w->cands[w->n_cands++];
		*c = (struct cand){ .path = xstrdup(path) };
		c->dir = xstrndup(path, strrchr(path, '/') - path);
		const char *entry = c->path + strlen(S.dir) + 1;
		c->entry = xstrndup(entry, strcspn(entry, "/"));
		const char *name = c->entry + HASH_LEN + 1;
		size_t nl = drv_name_len(name);
		c->pname = xstrndup(name, nl);
		c->version = name[nl] ? name + nl + 1 : "";
		/* Other architectures: the file named in the verdict's words. */
		if (o->cls != w->cls || o->machine != w->machine || o->data != w->data) {
			c->kind = CAND_OTHER_ARCH;
			snprintf(c->arch, sizeof c->arch, "ELF%d %s%s", o->cls == ELFCLASS64 ? 64 : 32,
				 elf_machine_name(o), o->data == ELFDATA2MSB ? " big-endian" : "");
			continue;
		}
		c->kind = CAND_USABLE;
		if (o->n_verdefs) {
			for (size_t k = 0; k < w->n_versions; k++)
				if (!defines(o, w->versions[k])) {
					c->kind = CAND_LACKS;
					c->lacks = w->versions[k];
					break;
				}
		} else {
			judge_unversioned(w, o, c);
		}
		if (c->kind == CAND_USABLE && w->ldso) {
			char ld[PATH_MAX];
			c->glibc = path_join(ld, sizeof ld, c->dir, w->ldso) && access(ld, F_OK) == 0;
		}
	}
	if (!w->n_cands)
		return;
	qsort(w->cands, w->n_cands, sizeof *w->cands, by_rank);
	if (w->cands[0].kind == CAND_USABLE)
		w->chosen = 0;
}

/* ---- what to do ---- */

static int add_unique(char ***v, size_t *n, size_t *cap, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return i;
	grow(v, cap, *n + 1, sizeof **v);
	(*v)[*n] = xstrdup(s);
	return (*n)++;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void fix_make(struct want *w, size_t n, struct fix *f)
{
	*f = (struct fix){ 0 };
	char **dirs = 0;
	size_t n_dirs = 0, cap_dirs = 0, cap_pkgs = 0;
	const struct cand *glibc = 0;
	const char *ldso = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i].chosen < 0)
			continue;	/* the check of the fix will say what is still missing */
		const struct cand *c = &w[i].cands[w[i].chosen];
		if (c->glibc) {
			/* Every glibc library from one glibc, the newest chosen. */
			if (!glibc || version_cmp(c->version, glibc->version) > 0)
				glibc = c, ldso = w[i].ldso;
			continue;
		}
		add_unique(&f->pkgs, &f->n_pkgs, &cap_pkgs, c->pname);
	}
	if (f->n_pkgs)
		qsort(f->pkgs, f->n_pkgs, sizeof *f->pkgs, by_str);
	f->pkg_dirs = xcalloc(f->n_pkgs, sizeof *f->pkg_dirs);
	f->pkg_files = xcalloc(f->n_pkgs, sizeof *f->pkg_files);
	if (glibc) {
		char ld[PATH_MAX];
		path_join(ld, sizeof ld, glibc->dir, ldso);
		f->ldso = xstrdup(ld);
		f->glibc_version = glibc->version;
		/* Its libc before any other, so ld.so and libc match. */
		add_unique(&dirs, &n_dirs, &cap_dirs, glibc->dir);
	}
	/* Directories in the order of the packages, a package's first. */
	for (size_t p = 0; p < f->n_pkgs; p++)
		for (size_t i = 0; i < n; i++) {
			if (w[i].chosen < 0)
				continue;
			const struct cand *c = &w[i].cands[w[i].chosen];
			if (c->glibc || strcmp(c->pname, f->pkgs[p]))
				continue;
			add_unique(&dirs, &n_dirs, &cap_dirs, c->dir);
			if (!f->pkg_dirs[p])
				f->pkg_dirs[p] = c->dir;
		}
	size_t len = 1;
	for (size_t i = 0; i < n_dirs; i++)
		len += strlen(dirs[i]) + 1;
	if (n_dirs) {
		f->path = xcalloc(1, len);
		for (size_t i = 0; i < n_dirs; i++) {
			if (i)
				strcat(f->path, ":");
			strcat(f->path, dirs[i]);
		}
	}
	for (size_t i = 0; i < n_dirs; i++)
		free(dirs[i]);
	free(dirs);
}

void fix_free(struct fix *f)
{
	for (size_t i = 0; i < f->n_pkgs; i++)
		free(f->pkgs[i]);
	free(f->pkgs);
	free(f->pkg_dirs);
	free(f->pkg_files);
	free(f->path);
	free(f->ldso);
	*f = (struct fix){ 0 };
}

/* ---- output ---- */

#define MAX_SHOWN 8

static const char *cand_verdict(const struct cand *c, char *buf, size_t size)
{
	switch (c->kind) {
	case CAND_USABLE: return c->no_versions ? "usable, no version information: ld.so warns" : "usable";
	case CAND_LACKS: snprintf(buf, size, "lacks %s", c->lacks); return buf;
	case CAND_NO_VERSIONS:
		snprintf(buf, size, c->unv_fails == UNV_ABORT ? "no version information: ld.so aborts binding %s"
			 : "no version information: nothing defines %s", c->unv_sym);
		return buf;
	case CAND_OTHER_ARCH: snprintf(buf, size, "wrong architecture: %s", c->arch); return buf;
	}
	return "?";
}

static int several_archs(const struct want *w, size_t n, size_t i)
{
	for (size_t j = 0; j < n; j++)
		if (j != i && !strcmp(w[j].name, w[i].name) &&
		    (w[j].cls != w[i].cls || w[j].machine != w[i].machine))
			return 1;
	return 0;
}

/* The line for configuration.nix. */
static char *line_of(const struct fix *f)
{
	static const char head[] = "programs.nix-ld.libraries = with pkgs; [", tail[] = " ];";
	size_t len = sizeof head + sizeof tail;
	for (size_t i = 0; i < f->n_pkgs; i++)
		len += 1 + strlen(f->pkgs[i]);
	char *s = xmalloc(len);
	strcpy(s, head);
	for (size_t i = 0; i < f->n_pkgs; i++) {
		strcat(s, " ");
		strcat(s, f->pkgs[i]);
	}
	strcat(s, tail);
	return s;
}

/* Package names known not to be the attribute to add (nixpkgs). */
static const char *const known_attrs[][3] = {
	{ "gcc", "stdenv.cc.cc.lib", ": pkgs.gcc is the compiler's wrapper, without libstdc++" },
	{ "libpng-apng", "libpng", "" },
};

static void print_env(const struct fix *f, const struct fix_env *e)
{
	if (f->ldso)
		printf("%s=%s ", e->ldso_var, f->ldso);
	printf("%s=%s%s%s", e->path_var, f->path, e->path_now && *e->path_now ? ":" : "",
	       e->path_now ? e->path_now : "");
}

void store_print_text(struct want *w, size_t n, const struct fix *f,
		      const struct fix_env *e, int indent, int tree)
{
	const char *ind = "                " + 16 - (indent < 16 ? indent : 16);
	for (size_t i = 0; i < n; i++) {
		printf("%scandidates for %s", ind, w[i].name);
		if (several_archs(w, n, i))
			printf(" (ELF%d %s)", w[i].cls == ELFCLASS64 ? 64 : 32,
			       elf_machine_name(&(struct elfobj){ .cls = w[i].cls, .machine = w[i].machine }));
		if (tree)
			printf(", needed by %u file%s", w[i].files, w[i].files == 1 ? "" : "s");
		for (size_t k = 0; k < w[i].n_versions; k++)
			printf("%s%s", k ? ", " : " (versions needed: ", w[i].versions[k]);
		printf("%s in %s:", w[i].n_versions ? ")" : "", store_dir());
		if (!w[i].n_cands) {
			printf(" none (nix-locate, of nix-index, searches all of nixpkgs)\n");
			if (w[i].skipped)
				printf("%s  %zu file%s of that name skipped: not ELF, broken or unreadable\n", ind,
				       w[i].skipped, w[i].skipped == 1 ? "" : "s");
			continue;
		}
		putchar('\n');
		char buf[128];
		int width = 0;
		for (size_t k = 0; k < w[i].n_cands && k < MAX_SHOWN; k++) {
			int l = strlen(cand_verdict(&w[i].cands[k], buf, sizeof buf));
			if (l > width)
				width = l;
		}
		for (size_t k = 0; k < w[i].n_cands && k < MAX_SHOWN; k++)
			printf("%s  %-*s  %s\n", ind, width, cand_verdict(&w[i].cands[k], buf, sizeof buf),
			       w[i].cands[k].path);
		if (w[i].n_cands > MAX_SHOWN)
			printf("%s  and %zu more (--json lists them all)\n", ind, w[i].n_cands - MAX_SHOWN);
		if (w[i].skipped)
			printf("%s  %zu more file%s of that name skipped: not ELF, broken or unreadable\n", ind,
			       w[i].skipped, w[i].skipped == 1 ? "" : "s");
	}
	if (!f->n_pkgs && !f->ldso)
		return;
	if (f->n_pkgs) {
		char *line = line_of(f);
		printf("%sto fix %s for good: %s\n", ind, tree ? "them" : "it", line);
		free(line);
		printf("%s  (package names, as in the store paths: usually, but not always, also the attribute; libX11 is xorg.libX11)\n", ind);
		for (size_t p = 0; p < f->n_pkgs; p++)
			for (size_t k = 0; k < sizeof known_attrs / sizeof *known_attrs; k++)
				if (!strcmp(f->pkgs[p], known_attrs[k][0]))
					printf("%s  (%s is %s%s)\n", ind, f->pkgs[p], known_attrs[k][1], known_attrs[k][2]);
		for (size_t p = 0; tree && p < f->n_pkgs; p++)
			printf("%s  %s: needed by %u file%s, %s\n", ind, f->pkgs[p], f->pkg_files[p],
			       f->pkg_files[p] == 1 ? "" : "s", f->pkg_dirs[p]);
	}
	if (f->ldso)
		printf("%sglibc %s has what is needed; glibc's libraries must come with its own ld.so, so NIX_LD changes too (programs.nix-ld.libraries cannot replace glibc)\n",
		       ind, f->glibc_version);
	printf("%sto start %s now: ", ind, tree ? "them" : "it");
	print_env(f, e);
	putchar('\n');
	if (tree)
		printf("%s  checked: with that, %u of %u file%s with problems would start\n", ind, e->fixed,
		       e->total, e->total == 1 ? "" : "s");
	else if (e->recheck && !strcmp(e->recheck, "ok"))
		printf("%s  checked: with that it would start\n", ind);
	else
		printf("%s  checked: with that, still: %s\n", ind, e->recheck ? e->recheck : "?");
}

static void jstrs(char *const *v, size_t n)
{
	putchar('[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", stdout);
		jstr(v[i]);
	}
	putchar(']');
}

void store_print_json(struct want *w, size_t n, const struct fix *f,
		      const struct fix_env *e, int tree)
{
	printf("{\"dir\": ");
	jstr(store_dir());
	printf(", \"libraries\": [");
	for (size_t i = 0; i < n; i++) {
		printf("%s\n       {\"name\": ", i ? "," : "");
		jstr(w[i].name);
		printf(", \"class\": %d, \"machine\": ", w[i].cls == ELFCLASS64 ? 64 : 32);
		jstr(elf_machine_name(&(struct elfobj){ .cls = w[i].cls, .machine = w[i].machine }));
		printf(", \"missing\": %s, \"versions\": ", w[i].missing ? "true" : "false");
		jstrs(w[i].versions, w[i].n_versions);
		if (tree)
			printf(", \"files\": %u", w[i].files);
		printf(", \"skipped\": %zu, \"chosen\": ", w[i].skipped);
		jstr(w[i].chosen >= 0 ? w[i].cands[w[i].chosen].path : 0);
		printf(", \"candidates\": [");
		for (size_t k = 0; k < w[i].n_cands; k++) {
			const struct cand *c = &w[i].cands[k];
			char buf[128];
			printf("%s\n         {\"path\": ", k ? "," : "");
			jstr(c->path);
			printf(", \"package\": ");
			jstr(c->pname);
			printf(", \"version\": ");
			jstr(c->version);
			printf(", \"verdict\": ");
			jstr(cand_verdict(c, buf, sizeof buf));
			printf(", \"usable\": %s, \"lacks\": ", c->kind == CAND_USABLE ? "true" : "false");
			jstr(c->kind == CAND_LACKS ? c->lacks : 0);
			printf(", \"architecture\": ");
			jstr(c->kind == CAND_OTHER_ARCH ? c->arch : 0);
			printf(", \"no_version_information\": %s, \"ld_so_fails\": ",
			       c->no_versions ? "true" : "false");
			jstr(c->kind != CAND_NO_VERSIONS ? 0 : c->unv_fails == UNV_ABORT ? "assertion" : "undefined symbol");
			printf(", \"symbol\": ");
			jstr(c->kind == CAND_NO_VERSIONS ? c->unv_sym : 0);
			printf(", \"glibc\": %s}", c->glibc ? "true" : "false");
		}
		printf("]}");
	}
	printf("],\n      \"suggested\": ");
	jstrs(f->pkgs, f->n_pkgs);
	if (tree) {
		printf(", \"packages\": [");
		for (size_t p = 0; p < f->n_pkgs; p++) {
			printf("%s{\"name\": ", p ? ", " : "");
			jstr(f->pkgs[p]);
			printf(", \"files\": %u, \"dir\": ", f->pkg_files[p]);
			jstr(f->pkg_dirs[p]);
			putchar('}');
		}
		putchar(']');
	}
	printf(", \"line\": ");
	char *line = f->n_pkgs ? line_of(f) : 0;
	jstr(line);
	free(line);
	printf(",\n      \"add_to_library_path\": ");
	jstr(f->path);
	printf(", \"library_path_variable\": ");
	jstr(e->path_var);
	printf(", \"nix_ld\": ");
	jstr(f->ldso);
	printf(", \"nix_ld_variable\": ");
	jstr(e->ldso_var);
	if (tree)
		printf(", \"files_fixed\": %u, \"files_with_problems\": %u}", e->fixed, e->total);
	else {
		printf(", \"with_fix\": ");
		jstr(f->path ? e->recheck : 0);
		putchar('}');
	}
}

/* ---- -r: one list for the whole tree ---- */

static struct {
	struct want *w;
	size_t n, cap;
	size_t **files;		/* per file: indices into w, ending with (size_t)-1 */
	size_t n_files, cap_files;
	int judged;
} T;

void store_tally(const struct want *w, size_t n)
{
	size_t *mine = xcalloc(n + 1, sizeof *mine), m = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < T.n && (strcmp(T.w[j].name, w[i].name) || T.w[j].cls != w[i].cls ||
				   T.w[j].machine != w[i].machine || T.w[j].data != w[i].data))
			j++;
		if (j == T.n) {
			grow(&T.w, &T.cap, T.n + 1, sizeof *T.w);
			T.w[T.n++] = (struct want){ .name = xstrdup(w[i].name), .cls = w[i].cls,
						    .data = w[i].data, .machine = w[i].machine,
						    .ldso = w[i].ldso, .chosen = -1 };
		}
		struct want *t = &T.w[j];
		t->missing |= w[i].missing;
		for (size_t k = 0; k < w[i].n_versions; k++)
			want_add_version(t, w[i].versions[k]);
		for (size_t k = 0; k < w[i].n_scopes; k++) {
			const struct vscope *f = &w[i].scopes[k];
			struct vscope sc = { xcalloc(f->n, sizeof *sc.objs), f->n, f->slot,
					     xcalloc(f->n_uses, sizeof *sc.uses), f->n_uses };
			memcpy(sc.objs, f->objs, f->n * sizeof *sc.objs);
			memcpy(sc.uses, f->uses, f->n_uses * sizeof *sc.uses);
			want_add_scope(t, &sc);
		}
		int dup = 0;
		for (size_t k = 0; k < m && !dup; k++)
			dup = mine[k] == j;
		if (!dup) {
			t->files++;
			mine[m++] = j;
		}
	}
	mine[m] = (size_t)-1;
	grow(&T.files, &T.cap_files, T.n_files + 1, sizeof *T.files);
	T.files[T.n_files++] = mine;
	T.judged = 0;
}

static struct want *sort_base;

static int by_files(const void *a, const void *b)
{
	const struct want *x = &sort_base[*(const size_t *)a], *y = &sort_base[*(const size_t *)b];
	if (x->files != y->files)
		return x->files < y->files ? 1 : -1;
	return strcmp(x->name, y->name);
}

struct want *store_tree(size_t *n)
{
	if (!T.judged) {
		/* Judged against every file's needs at once. */
		for (size_t i = 0; i < T.n; i++)
			store_candidates(&T.w[i]);
		/* Most files first; the files' lists follow the new order. */
		size_t *order = xcalloc(T.n, sizeof *order), *where = xcalloc(T.n, sizeof *where);
		for (size_t i = 0; i < T.n; i++)
			order[i] = i;
		sort_base = T.w;
		qsort(order, T.n, sizeof *order, by_files);
		struct want *sorted = xcalloc(T.n, sizeof *sorted);
		for (size_t i = 0; i < T.n; i++) {
			sorted[i] = T.w[order[i]];
			where[order[i]] = i;
		}
		for (size_t i = 0; i < T.n_files; i++)
			for (size_t *j = T.files[i]; *j != (size_t)-1; j++)
				*j = where[*j];
		free(T.w);
		T.w = sorted;
		T.cap = T.n;
		free(order);
		free(where);
		T.judged = 1;
	}
	*n = T.n;
	return T.w;
}

void store_tree_fix(struct fix *f)
{
	size_t n;
	struct want *w = store_tree(&n);
	fix_make(w, n, f);
	for (size_t p = 0; p < f->n_pkgs; p++)
		for (size_t i = 0; i < T.n_files; i++) {
			int needs = 0;
			for (size_t *j = T.files[i]; *j != (size_t)-1 && !needs; j++)
				needs = w[*j].chosen >= 0 && !w[*j].cands[w[*j].chosen].glibc &&
					!strcmp(w[*j].cands[w[*j].chosen].pname, f->pkgs[p]);
			f->pkg_files[p] += needs;
		}
}
