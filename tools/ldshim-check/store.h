/* Where to get a library: the store paths on this machine whose lib/ or
 * lib64/ holds a file of the name needed, which of them would do, and the
 * package to add. Store names are read as Nix reads them
 * (builtins.parseDrvName, builtins.compareVersions). */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

struct elfobj;
struct vneed;

/* Is NAME a store entry's name: 32 characters of Nix's base-32, '-', and
 * a name of [A-Za-z0-9+-._?=] not starting with '.'? */
int store_name_ok(const char *name);

/* builtins.parseDrvName on S: the length of the package name, which ends
 * before the first '-' not followed by a letter (the version is what
 * follows that '-'; there is none when the whole of S is the name). */
size_t drv_name_len(const char *s);

/* builtins.compareVersions: <0, 0, >0 as A is older, the same, newer. */
int version_cmp(const char *a, const char *b);

/* One store path holding the file. A candidate that defines no versions
 * while versions are needed of it is judged as ld.so would bind it
 * (unversioned.h, unversioned_binding): usable when ld.so only warns, else
 * CAND_NO_VERSIONS. */
enum cand_kind { CAND_USABLE, CAND_LACKS, CAND_NO_VERSIONS, CAND_OTHER_ARCH };

struct cand {
	char *path;		/* STORE/<hash>-<name>/lib/FILE */
	char *dir;		/* its directory: what goes into the library path */
	char *entry;		/* <hash>-<name> */
	char *pname;		/* the package name */
	const char *version;	/* the rest of the name after "<pname>-", or "" */
	enum cand_kind kind;
	const char *lacks;	/* CAND_LACKS: the first version needed it doesn't define */
	int no_versions;	/* defines no versions, some are needed: CAND_NO_VERSIONS, or
				 * CAND_USABLE where ld.so only warns */
	int unv_fails;		/* CAND_NO_VERSIONS: UNV_ABORT or UNV_UNDEFINED (unversioned.h) */
	const char *unv_sym;	/* and the symbol ld.so fails on */
	char arch[32];		/* CAND_OTHER_ARCH: "ELF32 i386" */
	int glibc;		/* its directory also holds the real ld.so: a glibc */
};

/* Where a candidate without version definitions is judged: one file's
 * global scope (its objects in load order), the library's place in it
 * (objs[slot]: the file found, or 0 where a missing one would have been
 * loaded), and what the objects need of it. */
struct vuse {
	const struct elfobj *needer;
	const struct vneed *v;
};
struct vscope {
	const struct elfobj **objs;
	size_t n, slot;
	struct vuse *uses;
	size_t n_uses;
};

/* A library a file needs from the store: a name that did not resolve, or
 * resolved to a file lacking versions the file needs. */
struct want {
	char *name;		/* libX11.so.6 */
	int missing;		/* not found at all (else it lacks versions) */
	char **versions;	/* the (non-weak) versions needed of it */
	size_t n_versions, cap_versions;
	unsigned char cls, data;	/* what a candidate must be: the file's own */
	uint16_t machine;
	const char *ldso;	/* the real ld.so's file name for that system */
	struct cand *cands;	/* ranked: usable first, then newest */
	size_t n_cands, skipped;	/* skipped: not ELF, unreadable, dangling */
	int chosen;		/* the first usable one, or -1 */
	unsigned files;		/* -r: how many files need it */
	struct vscope *scopes;	/* one for each file needing versions of it */
	size_t n_scopes, cap_scopes;
};

void want_add_version(struct want *w, const char *version);
/* Add SC to W's scopes; W owns its arrays from then on. */
void want_add_scope(struct want *w, struct vscope *sc);
void want_free(struct want *w);

/* The store to look in (default /nix/store). EXPLICIT: named by --store,
 * so its absence is an error rather than "no Nix here". Returns 0, or -1
 * with errno when an explicit store can't be opened. */
int store_set(const char *dir, int explicit);
/* Is there a store to look in? */
int store_available(void);
const char *store_dir(void);

/* Find, judge and rank W's candidates (again, if the versions changed). */
void store_candidates(struct want *w);

/* What to do about a list of wants. */
struct fix {
	char **pkgs;		/* package names for programs.nix-ld.libraries, sorted, once each */
	unsigned *pkg_files;	/* -r: how many files need each */
	char **pkg_dirs;
	size_t n_pkgs;
	char *path;		/* directories to put first in the Nix library path */
	char *ldso;		/* a newer glibc's ld.so for NIX_LD, or 0 */
	const char *glibc_version;
};
void fix_make(struct want *w, size_t n, struct fix *f);
void fix_free(struct fix *f);

/* How to tell the user: the variables in effect and the result of
 * checking again with the fix applied. */
struct fix_env {
	const char *path_var, *path_now;	/* NIX_LD_LIBRARY_PATH[_system] and its value */
	const char *ldso_var;			/* NIX_LD[_system] */
	const char *recheck;			/* "ok", or what would still be wrong */
	unsigned fixed, total;			/* -r: files that would start / with problems */
};

/* Text: the candidates of each want, then the fix, indented by INDENT.
 * TREE: counts of files are shown (-r summary). */
void store_print_text(struct want *w, size_t n, const struct fix *f,
		      const struct fix_env *e, int indent, int tree);
/* JSON: the value of a "store" member. */
void store_print_json(struct want *w, size_t n, const struct fix *f,
		      const struct fix_env *e, int tree);

/* -r: add one file's wants to the tree's list (each name once per file). */
void store_tally(const struct want *w, size_t n);
/* The tree's list, candidates judged against every file's needs, the
 * names most files need first. */
struct want *store_tree(size_t *n);
/* Its fix, with how many files need each package. */
void store_tree_fix(struct fix *f);

#endif
