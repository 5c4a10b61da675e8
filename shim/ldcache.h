/* The library cache: glibc's ld.so.cache format ("glibc-ld.so.cache1.1",
 * new format only), as ldshim-cache writes it and the shim checks it
 * before it points the real ld.so at it.
 *
 * A cache serves the Nix library path from where ld.so's own search looks
 * last: after DT_RPATH, LD_LIBRARY_PATH and DT_RUNPATH, before the default
 * directories. ld.so reads it by the path compiled into it (a string in
 * its read-only data); the shim changes that string in its private
 * mapping of ld.so, and nothing enters the environment.
 *
 * The file, in this order (all little endian):
 *
 *   struct ldcache_head                     48 bytes, glibc's header
 *   struct ldcache_entry[nlibs]             24 bytes each, sorted (below)
 *   strings                                 "name\0", "/dir/name\0", ...
 *   (pad to 4) struct ldcache_ext + 2 struct ldcache_ext_section
 *   the generator string                    "ldshim-cache ...\0"
 *   (pad to 8) the record: struct ldcache_rec,
 *              struct ldcache_dir[ndirs], then the directory list
 *              "/a:/b:...\0", whose NUL is the last byte of the file
 *
 * String offsets (key, value) count from the start of the file. Entries
 * are sorted as ld.so's binary search wants: by name, descending in
 * _dl_cache_libcmp order (digit runs compare as numbers). A name appears
 * once: the first directory that has it, as a search of the directories
 * in order (LD_LIBRARY_PATH) would find it.
 *
 * The record is ldshim's own extension section (ld.so skips tags it does
 * not know): the directory list the cache was built for, and what each
 * directory looked like then, so that a cache that no longer describes
 * its directories is never used.
 *
 * Used by the shim (freestanding) and by hosted tools: plain fixed-size
 * types only. */
#ifndef LDSHIM_LDCACHE_H
#define LDSHIM_LDCACHE_H

#include <stdint.h>

#define LDCACHE_MAGIC      "glibc-ld.so.cache1.1"   /* magic + version, 20 bytes */
#define LDCACHE_MAGIC_LEN  20
#define LDCACHE_ENDIAN_LITTLE 2                     /* head.flags */

/* Entry flags: the ELF type (libc6) and the architecture's ABI bits, as
 * each ld.so requires them exactly (_DL_CACHE_DEFAULT_ID in glibc). */
#define LDCACHE_FLAGS_X86_64   0x0303
#define LDCACHE_FLAGS_I386     0x0003
#define LDCACHE_FLAGS_AARCH64  0x0a03
#define LDCACHE_FLAGS_RISCV64  0x1003               /* lp64d */

struct ldcache_head {
	char magic[LDCACHE_MAGIC_LEN];
	uint32_t nlibs;
	uint32_t len_strings;     /* bytes from the first string to the extension */
	uint8_t flags;            /* LDCACHE_ENDIAN_LITTLE */
	uint8_t pad[3];
	uint32_t extension_offset;
	uint32_t unused[3];
};

struct ldcache_entry {
	int32_t flags;            /* LDCACHE_FLAGS_<arch> */
	uint32_t key, value;      /* the name, the path of the file */
	uint32_t osversion;       /* 0 */
	uint64_t hwcap;           /* 0: no glibc-hwcaps subdirectory */
};

#define LDCACHE_EXT_MAGIC  0xeaa42174u  /* glibc's cache_extension_magic */
#define LDCACHE_TAG_GENERATOR 0u        /* glibc: a string ldconfig -p prints */
#define LDCACHE_TAG_LDSHIM 0x6c647331u  /* "1sdl": ours, unknown to glibc */

struct ldcache_ext {
	uint32_t magic;
	uint32_t count;
};

struct ldcache_ext_section {
	uint32_t tag, flags, offset, size;
};

#define LDCACHE_REC_MAGIC   0x6d696873u  /* "shim" */
#define LDCACHE_REC_VERSION 1u

struct ldcache_rec {
	uint32_t magic;
	uint32_t version;
	uint32_t ndirs;
	uint32_t path_len;        /* bytes of the directory list, its NUL included */
	uint64_t file_size;       /* of the whole cache file */
	uint32_t entry_flags;     /* LDCACHE_FLAGS_<arch> of every entry */
	uint32_t nlibs;           /* the same as the header's */
};

/* A directory as it was when the cache was built. */
#define LDCACHE_DIR_FIXED 1u      /* a /nix/store path (or --map'ed to one):
                                     its contents never change, not checked */
struct ldcache_dir {
	int64_t mtime_sec;        /* statx of the directory (symlinks followed) */
	uint32_t mtime_nsec;
	uint32_t flags;
	uint64_t ino;
};

_Static_assert(sizeof(struct ldcache_head) == 48, "glibc's header is 48 bytes");
_Static_assert(sizeof(struct ldcache_entry) == 24, "glibc's entries are 24 bytes");
_Static_assert(sizeof(struct ldcache_rec) == 32, "record header");
_Static_assert(sizeof(struct ldcache_dir) == 24, "record directory");

#endif
