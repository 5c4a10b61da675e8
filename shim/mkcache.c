/* Writing a library cache (ldcache.h) from the shim: the automatic cache
 * for a Nix library path that no cache was named for. The rules are
 * ldshim-cache's (tools/ldshim-cache/README.md), so that the cache gives
 * every name the library a search of the directories in order
 * (LD_LIBRARY_PATH) would give:
 *
 * - an entry per name: the first directory's file of that name that is a
 *   shared object of this architecture (ld.so skips the others too);
 * - no cache at all where a cache would differ from that search: a name
 *   whose first file would stop ld.so (not ELF, not loadable, unreadable)
 *   while a later directory has the library; two names ld.so's cache
 *   lookup cannot tell apart (libfoo.so.1, libfoo.so.01); a directory
 *   with hwcaps subdirectories (glibc-hwcaps/, tls/, the platform names),
 *   which ld.so searches first and a cache cannot choose between.
 *
 * It runs once per library path, before the program: its memory is two
 * mappings, unmapped before the program starts. */
#include "mkcache.h"
#include "arch.h"
#include "elfdef.h"
#include "ldcache.h"
#include "log.h"
#include "str.h"
#include "sys.h"

#define O_WRONLY_    01
#define O_CREAT_     0100
#define O_EXCL_      0200
#define O_DIRECTORY_ ARCH_O_DIRECTORY
#define STATX_MODE_  0x2u
#define STATX_UID_   0x8u
#define STATX_MTIME_ 0x40u
#define STATX_INO_   0x100u
#define MREMAP_MAYMOVE_ 1
#define PATH_MAX_    4096
#define DT_DIR_      4
#define DT_UNKNOWN_  0
#define MAX_DIRS     1024

/* A growing buffer: one anonymous mapping, moved by mremap. */
struct buf {
	char *base;
	size_t len, cap;
};

static int need(struct buf *b, size_t n)
{
	if (b->len + n <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 1u << 16;
	while (b->len + n > cap)
		cap *= 2;
	long m = b->base
	         ? arch_syscall6(NR_mremap, (long)b->base, (long)b->cap, (long)cap,
	                         MREMAP_MAYMOVE_, 0, 0)
	         : sys_mmap(0, cap, PROT_READ_ | PROT_WRITE_, MAP_PRIVATE_ | MAP_ANONYMOUS_, -1, 0);
	if (sys_failed(m))
		return -1;
	b->base = (char *)m;
	b->cap = cap;
	return 0;
}

static void drop(struct buf *b)
{
	if (b->base)
		sys_munmap(b->base, b->cap);
}

/* What the first file of a name in a directory means to ld.so's search. */
enum { K_LIB, K_STOP };

struct ent {
	uint32_t name;      /* offset in the names buffer */
	uint16_t dir;       /* index in the directory list */
	uint16_t kind;
};

/* ld.so's cache order (_dl_cache_libcmp): digit runs compare as numbers,
 * other bytes as the target's char. */
static int libcmp(const char *p1, const char *p2)
{
	while (*p1) {
		if (*p1 >= '0' && *p1 <= '9') {
			if (*p2 < '0' || *p2 > '9')
				return 1;
			unsigned long v1 = 0, v2 = 0;
			while (*p1 >= '0' && *p1 <= '9')
				v1 = v1 * 10 + (unsigned long)(*p1++ - '0');
			while (*p2 >= '0' && *p2 <= '9')
				v2 = v2 * 10 + (unsigned long)(*p2++ - '0');
			if (v1 != v2)
				return v1 < v2 ? -1 : 1;
		} else if (*p2 >= '0' && *p2 <= '9') {
			return -1;
		} else if (*p1 != *p2) {
			return *p1 - *p2;
		} else {
			p1++, p2++;
		}
	}
	return *p1 - *p2;
}

static int bytecmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

/* The cache's order: names descending, as ld.so's binary search wants;
 * for one name, the directories in order. */
static int order(const char *names, const struct ent *x, const struct ent *y)
{
	const char *p = names + x->name, *q = names + y->name;
	int c = libcmp(q, p);
	if (!c)
		c = bytecmp(p, q);
	return c ? c : (int)x->dir - (int)y->dir;
}

/* Heapsort of an index array: no recursion, no memory. */
static void sift(const char *names, const struct ent *e, uint32_t *ix, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && order(names, &e[ix[c]], &e[ix[c + 1]]) < 0)
			c++;
		if (order(names, &e[ix[i]], &e[ix[c]]) >= 0)
			return;
		uint32_t t = ix[i];
		ix[i] = ix[c];
		ix[c] = t;
		i = c;
	}
}

static void sort(const char *names, const struct ent *e, uint32_t *ix, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift(names, e, ix, i, n);
	for (size_t k = n; k-- > 1;) {
		uint32_t t = ix[0];
		ix[0] = ix[k];
		ix[k] = t;
		sift(names, e, ix, 0, k);
	}
}

/* Subdirectories glibc 2.36's ld.so searches before a directory of
 * LD_LIBRARY_PATH: glibc-hwcaps, and the legacy hwcaps (tls and the
 * platform names of the architectures ldshim supports). */
static int hwcaps_dir(const char *n)
{
	static const char names[] = "glibc-hwcaps\0tls\0x86_64\0haswell\0xeon_phi\0"
		"avx512_1\0i686\0i586\0sse2\0aarch64\0atomics\0";
	for (const char *s = names; *s; s += str_len(s) + 1)
		if (str_eq(n, s))
			return 1;
	return 0;
}

/* What ld.so makes of dir/name: a library, nothing (no such file, another
 * architecture: it goes on, -1), or the end of its search. */
static int classify(int dirfd, const char *name)
{
	union {
		ElfW(Ehdr) e;
		unsigned char b[sizeof(ElfW(Ehdr))];
	} h;
	long fd = arch_syscall6(NR_openat, dirfd, (long)name,
	                        O_RDONLY_ | O_NONBLOCK_ | O_CLOEXEC_ | ARCH_O_FLAGS, 0, 0, 0);
	if (fd == -2 || fd == -20)     /* ENOENT (a dangling link), ENOTDIR */
		return -1;
	if (fd < 0)
		return K_STOP;             /* a link loop; EACCES depends on who runs it */
	long got = sys_pread((int)fd, h.b, sizeof h.b, 0);
	sys_close((int)fd);
	if (got < (long)sizeof h.e || !elf_magic_ok(h.e.e_ident))
		return K_STOP;
	if (h.e.e_ident[EI_CLASS] != ARCH_CLASS || h.e.e_machine != ARCH_MACHINE ||
	    !arch_cache_abi_ok(h.e.e_flags))
		return -1;
	return h.e.e_type == ET_DYN ? K_LIB : K_STOP;
}

struct dirent64_ {
	uint64_t ino;
	int64_t off;
	uint16_t reclen;
	uint8_t type;
	char name[];
};

static char dents[32768];

/* Every file of `dir` into ents/names. */
static const char *scan(struct buf *ents, struct buf *names, const char *dir, uint16_t index)
{
	long dfd = arch_syscall6(NR_openat, AT_FDCWD_, (long)dir,
	                         O_RDONLY_ | O_DIRECTORY_ | O_CLOEXEC_, 0, 0, 0);
	if (dfd == -2 || dfd == -20)
		return 0;   /* not there: ld.so finds nothing in it either */
	if (dfd < 0)
		return "a directory cannot be read";
	const char *why = 0;
	long got;
	while (!why && (got = arch_syscall6(NR_getdents64, dfd, (long)dents,
	                                    sizeof dents, 0, 0, 0)) != 0) {
		if (got < 0) {
			why = "a directory cannot be read";
			break;
		}
		for (long off = 0; off < got && !why;) {
			const struct dirent64_ *d = (const void *)(dents + off);
			const char *nm = d->name;
			off += d->reclen;
			if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
				continue;
			if ((d->type == DT_DIR_ || d->type == DT_UNKNOWN_) && hwcaps_dir(nm)) {
				why = "a directory has hwcaps subdirectories (ld.so searches them first)";
				break;
			}
			int k = classify((int)dfd, nm);
			if (k < 0)
				continue;
			size_t len = str_len(nm) + 1;
			if (need(ents, sizeof(struct ent)) || need(names, len)) {
				why = "out of memory";
				break;
			}
			struct ent *x = (struct ent *)(ents->base + ents->len);
			x->name = (uint32_t)names->len;
			x->dir = index;
			x->kind = (uint16_t)k;
			ents->len += sizeof *x;
			mem_put(names->base + names->len, nm, len);
			names->len += len;
		}
	}
	sys_close((int)dfd);
	return why;
}

static int put(struct buf *b, const void *p, size_t n)
{
	if (need(b, n))
		return -1;
	mem_put(b->base + b->len, p, n);
	b->len += n;
	return 0;
}

static int pad(struct buf *b, size_t align)
{
	static const char zero[8];
	return put(b, zero, (align - b->len % align) % align);
}

/* The cache file's bytes into out. */
static const char *build(struct buf *out, const char *path)
{
	static const char *dirs[MAX_DIRS];
	static size_t dlen[MAX_DIRS];
	size_t nd = 0, len, list = 0;
	for (const char *s = path, *d; (d = str_next_elem(&s, &len));) {
		while (len > 1 && d[len - 1] == '/')
			len--;
		if (nd == MAX_DIRS)
			return "more than 1024 directories";
		if (*d != '/')
			return "a directory is not an absolute path";
		for (size_t i = 0; i < len; i++)
			if (d[i] == ';' || d[i] == '$')
				return "a directory name has ';' or '$', which ld.so reads differently";
		dirs[nd] = d;
		dlen[nd++] = len;
		list += len + 1;
	}
	struct buf ents = { 0, 0, 0 }, names = { 0, 0, 0 }, ix = { 0, 0, 0 };
	struct buf rdb = { 0, 0, 0 };
	const char *why = 0;
	static char dname[PATH_MAX_];

	/* Each directory as it is before it is read: a change while it is
	 * read leaves the cache out of date at once, never wrong. */
	for (size_t i = 0; i < nd && !why; i++) {
		struct statx_ st;
		struct ldcache_dir w = { 0, 0, 0, 0 };
		if (dlen[i] >= sizeof dname) {
			why = "a directory name is too long";
			break;
		}
		*mem_put(dname, dirs[i], dlen[i]) = 0;
		if (arch_syscall6(NR_statx, AT_FDCWD_, (long)dname, 0,
		                  STATX_MTIME_ | STATX_INO_, (long)&st, 0) >= 0) {
			w.mtime_sec = (int64_t)st.rest[6];
			w.mtime_nsec = (uint32_t)st.rest[7];
			w.ino = st.ino;
		}
		/* A store path's contents never change. */
		static const char store[] = "/nix/store/";
		size_t k = 0;
		while (k < sizeof store - 1 && k < dlen[i] && dirs[i][k] == store[k])
			k++;
		if (k == sizeof store - 1 && dlen[i] > k)
			w.flags = LDCACHE_DIR_FIXED;
		if (put(&rdb, &w, sizeof w))
			why = "out of memory";
		else
			why = scan(&ents, &names, dname, (uint16_t)i);
	}
	size_t n = ents.len / sizeof(struct ent), m = 0;
	const struct ent *e = (const struct ent *)ents.base;
	if (!why && need(&ix, n * sizeof(uint32_t) + 1))
		why = "out of memory";
	uint32_t *x = (uint32_t *)ix.base;
	if (!why) {
		for (size_t i = 0; i < n; i++)
			x[i] = (uint32_t)i;
		sort(names.base, e, x, n);
		/* For each name, the first directory's file: keep it if it is a
		 * library, drop the name if nothing later has one, and give up
		 * where a search would stop at it but a cache would not. */
		for (size_t i = 0; i < n && !why;) {
			size_t j = i + 1;
			int later_lib = 0;
			while (j < n && !libcmp(names.base + e[x[i]].name, names.base + e[x[j]].name)) {
				if (bytecmp(names.base + e[x[i]].name, names.base + e[x[j]].name))
					why = "two names ld.so's cache cannot tell apart (as libfoo.so.1 and libfoo.so.01)";
				later_lib |= e[x[j]].kind == K_LIB;
				j++;
			}
			if (e[x[i]].kind == K_LIB)
				x[m++] = x[i];
			else if (later_lib)
				why = "a name's first file would stop ld.so where a later directory has the library";
			i = j;
		}
	}
	/* The file: header, entries, strings (each key is the tail of its
	 * value, "/dir/name"), extension directory, generator, record. */
	struct ldcache_head h;
	memset(&h, 0, sizeof h);
	mem_put(h.magic, LDCACHE_MAGIC, LDCACHE_MAGIC_LEN);
	h.nlibs = (uint32_t)m;
	h.flags = LDCACHE_ENDIAN_LITTLE;
	size_t strings = sizeof h + m * sizeof(struct ldcache_entry), off = strings;
	for (size_t i = 0; !why && i < m; i++)
		off += dlen[e[x[i]].dir] + 1 + str_len(names.base + e[x[i]].name) + 1;
	if (!why && (off > 0x7fffffff || put(out, &h, sizeof h)))
		why = "out of memory";
	for (size_t i = 0, s = strings; !why && i < m; i++) {
		size_t vl = dlen[e[x[i]].dir] + 1;
		struct ldcache_entry le = { ARCH_CACHE_FLAGS, (uint32_t)(s + vl), (uint32_t)s, 0, 0 };
		s += vl + str_len(names.base + e[x[i]].name) + 1;
		if (put(out, &le, sizeof le))
			why = "out of memory";
	}
	for (size_t i = 0; !why && i < m; i++) {
		const struct ent *y = &e[x[i]];
		if (put(out, dirs[y->dir], dlen[y->dir]) || put(out, "/", 1) ||
		    put(out, names.base + y->name, str_len(names.base + y->name) + 1))
			why = "out of memory";
	}
	static const char gen[] = "ldshim (automatic cache)";
	uint32_t ext = 0, genoff = 0, recoff = 0, reclen = 0;
	if (!why && !pad(out, 4)) {
		((struct ldcache_head *)out->base)->len_strings = (uint32_t)(out->len - strings);
		ext = (uint32_t)out->len;
		genoff = ext + (uint32_t)(sizeof(struct ldcache_ext) + 2 * sizeof(struct ldcache_ext_section));
		recoff = (genoff + (uint32_t)sizeof gen + 7) & ~7u;
		reclen = (uint32_t)(sizeof(struct ldcache_rec) + nd * sizeof(struct ldcache_dir) + list);
		struct ldcache_ext xd = { LDCACHE_EXT_MAGIC, 2 };
		struct ldcache_ext_section sec[2] = {
			{ LDCACHE_TAG_GENERATOR, 0, genoff, sizeof gen },
			{ LDCACHE_TAG_LDSHIM, 0, recoff, reclen },
		};
		struct ldcache_rec r = { LDCACHE_REC_MAGIC, LDCACHE_REC_VERSION, (uint32_t)nd,
		                         (uint32_t)list, recoff + (uint64_t)reclen,
		                         ARCH_CACHE_FLAGS, (uint32_t)m };
		if (put(out, &xd, sizeof xd) || put(out, sec, sizeof sec) || put(out, gen, sizeof gen) ||
		    pad(out, 8) || put(out, &r, sizeof r) || put(out, rdb.base, rdb.len))
			why = "out of memory";
		for (size_t i = 0; !why && i < nd; i++)
			if (put(out, dirs[i], dlen[i]) || put(out, i + 1 < nd ? ":" : "", i + 1 < nd))
				why = "out of memory";
		if (!why && put(out, "", 1))
			why = "out of memory";
		if (!why)
			((struct ldcache_head *)out->base)->extension_offset = ext;
	} else if (!why) {
		why = "out of memory";
	}
	drop(&ents);
	drop(&names);
	drop(&ix);
	drop(&rdb);
	return why;
}

const char *mkcache_write_at(int dirfd, const char *file, const char *path,
                             int *refused)
{
	struct buf out = { 0, 0, 0 };
	const char *why = build(&out, path);
	*refused = why != 0;
	static char tmp[PATH_MAX_ + 24];
	size_t fl = str_len(file);
	if (!why && fl + 24 > sizeof tmp)
		why = "its name is too long";
	long fd = -1;
	/* A name of its own per writer (the stack's address differs in each
	 * process), then rename: another start sees the old file or the
	 * new one, whole. */
	for (unsigned tries = 0; !why && tries < 4; tries++) {
		char num[24];
		uintptr_t r = (uintptr_t)&r ^ ((uintptr_t)tries << 24) ^ out.len;
		*str_put(str_put(mem_put(tmp, file, fl), ".tmp"), str_num(num, r & 0xffffffffu, 1)) = 0;
		fd = arch_syscall6(NR_openat, dirfd, (long)tmp,
		                   O_WRONLY_ | O_CREAT_ | O_EXCL_ | O_CLOEXEC_ | ARCH_O_FLAGS, 0600, 0, 0);
		if (fd != -17)  /* EEXIST */
			break;
	}
	if (!why && fd < 0)
		why = err_reason(fd);
	for (size_t done = 0; !why && done < out.len;) {
		long w = sys_write((int)fd, out.base + done, out.len - done);
		if (w <= 0)
			why = w < 0 ? err_reason(w) : "cannot write";
		else
			done += (size_t)w;
	}
	if (fd >= 0) {
		sys_close((int)fd);
		if (!why) {
			long r = arch_syscall6(NR_renameat2, dirfd, (long)tmp, dirfd, (long)file, 0, 0);
			if (r < 0)
				why = err_reason(r);
		}
		if (why)
			arch_syscall6(NR_unlinkat, dirfd, (long)tmp, 0, 0, 0, 0);
	}
	drop(&out);
	return why;
}

const char *mkcache_write(const char *file, const char *path)
{
	int refused;
	return mkcache_write_at(AT_FDCWD_, file, path, &refused);
}
