/* Generating a library cache (ldcache.h) for a list of directories: the
 * one implementation of its rules, compiled freestanding into the shim
 * (the automatic cache, mkcache.c) and hosted into ldshim-cache and
 * ldshim-check. The rules (tools/ldshim-cache/README.md): the cache
 * gives every name the library a search of the directories in order
 * (LD_LIBRARY_PATH=DIR1:DIR2:...) would give, or it is not written.
 *
 *   ldcache-target.c  the four systems, and which files each one's ld.so
 *                     loads, skips or stops at
 *   ldcache-scan.c    reading the directories: which name from where
 *   ldcache-order.c   ld.so's name comparison and the entries' order
 *   ldcache-image.c   the file's bytes
 *
 * No libc: system calls through sys.h, memory through membuf.h, and the
 * caller is told of problems through a function it gives (struct
 * ldcache_report), so the tool can say them all and the shim stop at the
 * first. No pointer in static data: the shim applies no relocations. */
#ifndef LDSHIM_LDCACHE_GEN_H
#define LDSHIM_LDCACHE_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "ldcache.h"
#include "membuf.h"

/* What differs per system: how its ld.so tells a library of its own from
 * another's, the flags it wants in the cache, and the subdirectories its
 * search of a directory probes before the directory itself. */
struct ldcache_target {
	char name[8];			/* --arch: "x86_64" */
	char print[20];			/* as ldconfig -p says it: "libc6,x86-64" */
	uint8_t elf_class;
	uint8_t abi_max;		/* EI_ABIVERSION under ELFOSABI_GNU stays below */
	uint8_t char_signed;		/* ld.so compares names as signed chars */
	uint16_t machine;
	uint32_t riscv_float_abi;	/* e_flags & 6 it needs; riscv only */
	uint32_t cache_flags;		/* LDCACHE_FLAGS_<arch> */
	char hwcaps[56];		/* "glibc-hwcaps\0tls\0...\0": names, then "" */
};

#define LDCACHE_TARGETS 4
extern const struct ldcache_target ldcache_targets[LDCACHE_TARGETS];
/* The target whose entries have these flags, or NULL. */
const struct ldcache_target *ldcache_target_by_flags(uint32_t flags);

/* How the target's ld.so, searching a directory, treats a file there
 * (glibc 2.36 elf/dl-load.c open_verify), from its first LEN bytes. */
enum ldcache_verdict {
	LDCACHE_USABLE,		/* it loads it: an ET_DYN of its class and machine */
	LDCACHE_OTHER,		/* it skips it and goes on: another class or machine */
	LDCACHE_STOP,		/* it stops there with an error */
};
/* *WHY: the reason, for OTHER and STOP. */
enum ldcache_verdict ldcache_elf_verdict(const struct ldcache_target *t, const unsigned char *hdr,
                                         size_t len, const char **why);

/* glibc's _dl_cache_libcmp on the target: runs of digits compare as
 * numbers (in the wrapping int arithmetic ld.so does it in), other bytes
 * as the target's char. */
int libcmp(const char *a, const char *b, int char_signed);

/* Why ld.so could not take a directory name (LEN bytes) as an element of
 * LD_LIBRARY_PATH as it is, or NULL. */
const char *ldcache_bad_dir_name(const char *dir, size_t len);
/* Whether a directory (LEN bytes) is inside a store path: its contents
 * never change (LDCACHE_DIR_FIXED). */
int ldcache_in_store(const char *dir, size_t len);

/* A directory of the list: where it is read, what is recorded (the list
 * and the libraries' paths: after ldshim-cache's --map), and its state
 * before it was read (the caller's statx: a change while it is read
 * leaves the cache out of date, never wrongly current). */
struct ldcache_src {
	const char *scan;
	size_t scan_len;
	const char *rec;
	size_t rec_len;
	struct ldcache_dir st;
};

/* What the caller is told. Problems: the cache is not written. */
enum ldcache_event {
	LDCACHE_DIR_UNREADABLE,	/* path (the directory read), why */
	LDCACHE_HWCAPS,		/* path: a subdirectory ld.so searches first */
	LDCACHE_CLASH,		/* path (why) stops the search, a cache would load path2 */
	LDCACHE_EQUAL_NAMES,	/* path and path2: libcmp cannot tell their names apart */
	LDCACHE_NOT_FOUND,	/* path: ld.so's binary search would miss its name */
	LDCACHE_TOO_BIG,	/* past 4 GiB */
	LDCACHE_NO_MEMORY,
	/* Said only when verbose: */
	LDCACHE_SKIPPED,	/* path (why): ld.so goes on */
	LDCACHE_LEFT_OUT,	/* path (why): stops the search, shadows nothing */
	LDCACHE_DIR_DONE,	/* path (the directory read): libs, shadowed of it */
};

struct ldcache_note {
	enum ldcache_event event;
	const char *path, *path2, *why;
	size_t libs, shadowed;
};

struct ldcache_report {
	/* Returns nonzero to stop at this problem. */
	int (*note)(void *ctx, const struct ldcache_note *n);
	void *ctx;
	int verbose;
	/* The words for a -errno value. */
	const char *(*reason)(long neg_errno);
};

struct ldcache_stats {
	size_t libs;
	size_t shadowed;	/* names an earlier directory has */
	size_t other;		/* another class or machine */
	size_t dangling;	/* symlinks to nothing */
	size_t unusable;	/* not ELF and the like, shadowing nothing */
};

/* A library of the cache: its name (an offset in the names) and the
 * directory (its index) that has it. */
struct ldcache_lib {
	uint32_t name;
	uint32_t dir;
};

/* The libraries found, in LIBS (struct ldcache_lib) and NAMES. */
struct ldcache_found {
	struct buf libs, names;
};

/* Read every directory into *F. Returns the number of problems
 * (reported); stopped early if the report asked. */
size_t ldcache_scan(const struct ldcache_target *t, const struct ldcache_src *dirs, size_t ndirs,
                    const struct ldcache_report *r, struct ldcache_found *f,
                    struct ldcache_stats *stats);
/* Sort the libraries as ld.so's binary search wants them; then prove
 * that it finds each. Returns the number of problems (reported). */
size_t ldcache_sort(const struct ldcache_target *t, const struct ldcache_src *dirs,
                    struct ldcache_found *f, const struct ldcache_report *r);
/* The whole file, appended to OUT. 0, or 1 (a problem, reported). */
size_t ldcache_image(const struct ldcache_target *t, const struct ldcache_found *f,
                     const struct ldcache_src *dirs, size_t ndirs, const char *generator,
                     const struct ldcache_report *r, struct buf *out);

/* All three: the cache for DIRS into OUT, or the number of problems.
 * STATS may be NULL. */
size_t ldcache_generate(const struct ldcache_target *t, const struct ldcache_src *dirs,
                        size_t ndirs, const char *generator, const struct ldcache_report *r,
                        struct buf *out, struct ldcache_stats *stats);

/* The path of a library: the directory's recorded name with trailing
 * slashes stripped (as ld.so strips them from LD_LIBRARY_PATH elements),
 * "/", the name. Into BUF (SIZE bytes, truncated); returns BUF. */
char *ldcache_path(const struct ldcache_src *d, const char *name, char *buf, size_t size);
/* The length of that path's directory part, its "/" included. */
size_t ldcache_prefix_len(const struct ldcache_src *d);

#endif
