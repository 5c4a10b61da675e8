/* ldshim-cache: builds the library cache (shim/ldcache.h) for a list of
 * directories, prints and checks one. See README.md. */
#ifndef LDSHIM_CACHE_TOOL_H
#define LDSHIM_CACHE_TOOL_H

#include <stddef.h>
#include <stdint.h>

#include "ldcache.h"

/* What differs per architecture: how its ld.so tells a library of its own
 * from another's, the flags it wants in the cache, and the subdirectories
 * its search of a directory probes before the directory itself. */
struct arch {
	const char *name;		/* --arch: "x86_64" */
	const char *print;		/* as ldconfig -p says it: "libc6,x86-64" */
	uint8_t elf_class;
	uint16_t machine;
	uint32_t riscv_float_abi;	/* e_flags & 6 it needs; riscv only */
	uint8_t abi_max;		/* EI_ABIVERSION under ELFOSABI_GNU stays below */
	uint32_t cache_flags;		/* LDCACHE_FLAGS_<arch> */
	int char_signed;		/* ld.so compares names as signed chars */
	const char *const *hwcaps_dirs;	/* NULL-terminated */
};

const struct arch *arch_by_name(const char *name);
const struct arch *arch_by_flags(uint32_t flags);
const struct arch *arch_host(void);

/* How the real ld.so's search of one directory treats a file there
 * (elf/dl-load.c open_verify). */
enum verdict {
	V_USABLE,	/* it loads it: an ET_DYN of its class and machine */
	V_OTHER,	/* it skips it and goes on: another class or machine */
	V_STOP,		/* it stops there with an error, or we cannot tell */
};
/* HDR: the first LEN bytes of the file. *WHY: the reason, for V_OTHER
 * and V_STOP. */
enum verdict elf_verdict(const struct arch *a, const unsigned char *hdr, size_t len,
			 const char **why);

/* glibc's _dl_cache_libcmp on the target: runs of digits compare as
 * numbers (in the wrapping int arithmetic ld.so does it in), other bytes
 * as the target's char. */
int libcmp(const char *a, const char *b, int char_signed);

/* One library of the cache: NAME (the key) at PATH (the value). */
struct lib {
	const char *name;
	const char *path;
	uint32_t dir;			/* index in the directory list */
};

/* A directory of the list: where it is read (scan), what is recorded
 * (rec: after --map), and its state when read. */
struct dir {
	const char *scan;
	const char *rec;
	struct ldcache_dir st;
	uint64_t dev;			/* st_dev, for the tool's own checks */
};

struct scan_stats {
	size_t shadowed;		/* names an earlier directory has */
	size_t other;			/* another class or machine */
	size_t dangling;		/* symlinks to nothing */
	size_t unusable;		/* not ELF and the like, shadowing nothing */
};

/* Read every directory; fill *LIBS (sorted as the cache wants). Problems
 * are printed; returns their number (0: the result is good). */
size_t scan_dirs(const struct arch *a, struct dir *dirs, size_t ndirs, int verbose,
		 struct lib **libs, size_t *nlibs, struct scan_stats *stats);

/* Sort LIBS as ld.so's binary search wants them; then prove that it
 * finds each. Returns the number of problems (printed). */
size_t sort_libs(const struct arch *a, struct lib *libs, size_t n);

/* The whole cache file in memory (malloc'ed); *SIZE its length. */
unsigned char *cache_image(const struct arch *a, const struct lib *libs, size_t nlibs,
			   const struct dir *dirs, size_t ndirs, const char *generator,
			   size_t *size);

/* A cache file, checked: every offset inside, every string terminated,
 * entries sorted, the record consistent. */
struct view {
	const unsigned char *p;
	size_t size;
	const struct ldcache_head *head;
	const struct ldcache_entry *entries;	/* head->nlibs of them */
	const char *generator;			/* not NUL-terminated */
	size_t generator_len;
	const struct ldcache_rec *rec;
	const struct ldcache_dir *dirs;		/* rec->ndirs */
	const char *dirlist;			/* "/a:/b", NUL-terminated */
	const struct arch *arch;
};
/* 0, or -1 with *WHY saying what is wrong. P must be 8-aligned. */
int view_parse(struct view *v, const unsigned char *p, size_t size, const char **why);
/* The key and value of entry I of a parsed view. */
const char *view_key(const struct view *v, size_t i);
const char *view_value(const struct view *v, size_t i);

#endif
