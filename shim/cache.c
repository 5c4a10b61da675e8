/* Choosing a library cache (ldcache.h) for the Nix library path: the file
 * must be one ldshim-cache wrote for exactly this path, for this
 * architecture, whole, and its directories must not have changed since.
 * Anything else is not used, and the shim takes the uncached way: never
 * a wrong library.
 *
 * Cost when a cache is named: openat, two pread64, close; one statx per
 * directory that is not in the Nix store (a store path never changes). */
#include "cache.h"
#include "arch.h"
#include "log.h"
#include "str.h"
#include "sys.h"

#define STATX_MODE_  0x2u
#define STATX_UID_   0x8u
#define STATX_MTIME_ 0x40u
#define STATX_INO_   0x100u
#define PATH_MAX_    4096

const char *ldcache_parse(const struct ldcache_head *h, uint64_t size,
                          const unsigned char *tail, size_t tail_len,
                          struct ldcache_view *v)
{
	const char *bad = "not a cache ldshim-cache wrote (run ldshim-cache again)";
	for (unsigned i = 0; i < LDCACHE_MAGIC_LEN; i++)
		if (h->magic[i] != LDCACHE_MAGIC[i])
			return "not a glibc-ld.so.cache1.1 file";
	if (h->flags != LDCACHE_ENDIAN_LITTLE)
		return bad;
	uint64_t ext = h->extension_offset;
	if (ext % 4 || ext < sizeof *h || ext > size ||
	    (uint64_t)h->nlibs * sizeof(struct ldcache_entry) > ext - sizeof *h ||
	    tail_len != size - ext || tail_len < sizeof(struct ldcache_ext))
		return bad;
	const struct ldcache_ext *e = (const void *)tail;
	if (e->magic != LDCACHE_EXT_MAGIC || e->count > 16 ||
	    sizeof *e + e->count * sizeof(struct ldcache_ext_section) > tail_len)
		return bad;
	const struct ldcache_ext_section *sec = (const void *)(e + 1);
	const struct ldcache_ext_section *ours = 0;
	for (uint32_t i = 0; i < e->count; i++)
		if (sec[i].tag == LDCACHE_TAG_LDSHIM)
			ours = &sec[i];
	/* The record is 8-aligned and ends the file: its last byte, the
	 * directory list's NUL, also ends every string ld.so may read. */
	if (!ours || ours->offset % 8 || ours->offset < ext ||
	    ours->offset > size || ours->size != size - ours->offset ||
	    ours->size < sizeof(struct ldcache_rec))
		return bad;
	const struct ldcache_rec *r = (const void *)(tail + (ours->offset - ext));
	if (r->magic != LDCACHE_REC_MAGIC || r->version != LDCACHE_REC_VERSION)
		return "written by another version of ldshim-cache (run it again)";
	if (r->file_size != size)
		return "truncated or grown since it was written";
	if (r->nlibs != h->nlibs || r->ndirs == 0 || r->ndirs > ours->size ||
	    r->path_len == 0 ||
	    sizeof *r + (uint64_t)r->ndirs * sizeof(struct ldcache_dir) + r->path_len != ours->size)
		return bad;
	const char *list = (const char *)(r + 1) + r->ndirs * sizeof(struct ldcache_dir);
	if (list[r->path_len - 1] || str_len(list) != r->path_len - 1)
		return bad;
	size_t n = 0, len;
	for (const char *s = list; str_next_elem(&s, &len);)
		n++;
	if (n != r->ndirs)
		return bad;
	if (r->entry_flags != ARCH_CACHE_FLAGS)
		return "built for another architecture";
	v->rec = r;
	v->dirs = (const struct ldcache_dir *)(r + 1);
	v->list = list;
	return 0;
}

/* The cache's bytes as read, 8-aligned at an 8-aligned file offset, so
 * that the record's 64-bit fields are aligned as in the file. */
static unsigned char tail_buf[LDCACHE_TAIL_MAX] __attribute__((aligned(8)));
#define FIRST_READ 4096
static char why_buf[PATH_MAX_ + 96];

static const char *because(const char *dir, size_t len, const char *what)
{
	char *p = mem_put(why_buf, dir, len);
	*str_put(p, what) = 0;
	return why_buf;
}

static int owned(const struct statx_ *st, uint32_t uid)
{
	return st->uid == uid && !(st->mode & 022);
}

const char *ldcache_check(const char *file, const char *path, int secure, long owner)
{
	return ldcache_check_at(AT_FDCWD_, file, path, secure, owner);
}

const char *ldcache_check_at(int dirfd, const char *file, const char *path,
                             int secure, long owner)
{
	struct ldcache_head h;
	struct ldcache_view v;
	struct statx_ st;

	long fd = sys_openat(dirfd, file);
	if (fd < 0)
		return err_reason(fd);
	/* One read for a cache of a few dozen libraries (the usual size):
	 * the first page holds it all. Else a second, from the extension to
	 * the end: the file ends where a read comes up short. */
	const char *why = 0;
	uint64_t base = 0;
	long got = sys_pread((int)fd, tail_buf, FIRST_READ, 0);
	if (got < (long)sizeof h)
		why = got < 0 ? err_reason(got) : "too short for a cache";
	else if (owner >= 0 &&
	         (arch_syscall6(NR_statx, fd, (long)"", AT_EMPTY_PATH_,
	                        STATX_MODE_ | STATX_UID_, (long)&st, 0) < 0 ||
	          !owned(&st, (uint32_t)owner)))
		why = secure ? "not owned by root or writable by group or others (secure mode)"
		             : "not the user's own, or writable by group or others";
	if (!why) {
		mem_put((char *)&h, (const char *)tail_buf, sizeof h);
		if (got == FIRST_READ) {
			base = h.extension_offset & ~(uint64_t)7;
			got = sys_pread((int)fd, tail_buf, sizeof tail_buf, base);
		}
		uint64_t size = base + (uint64_t)(got < 0 ? 0 : got);
		if (got < 0)
			why = err_reason(got);
		else if ((size_t)got == sizeof tail_buf)
			why = "its record is larger than the shim reads";
		else if (h.extension_offset < base || h.extension_offset > size)
			why = ldcache_parse(&h, size, tail_buf, 0, &v);   /* says why */
		else
			why = ldcache_parse(&h, size, tail_buf + (h.extension_offset - base),
			                    (size_t)(size - h.extension_offset), &v);
	}
	sys_close((int)fd);
	if (why)
		return why;
	if (!str_same_list(v.list, path)) {
		char *p = str_put(why_buf, "built for ");
		size_t room = sizeof why_buf - 32 - (size_t)(p - why_buf);
		size_t n = str_len(v.list);
		p = mem_put(p, v.list, n < room ? n : room);
		*str_put(p, n < room ? ", not for this path" : "..., not for this path") = 0;
		return why_buf;
	}
	/* Every directory as it was, unless it can never change. */
	const char *s = v.list, *d;
	size_t len;
	char dir[PATH_MAX_];
	for (uint32_t i = 0; (d = str_next_elem(&s, &len)); i++) {
		const struct ldcache_dir *w = &v.dirs[i];
		if ((w->flags & LDCACHE_DIR_FIXED) && !secure)
			continue;
		if (len >= sizeof dir)
			return "a directory name is too long";
		*mem_put(dir, d, len) = 0;
		long r = arch_syscall6(NR_statx, AT_FDCWD_, (long)dir, 0,
		                       STATX_MODE_ | STATX_UID_ | STATX_MTIME_ | STATX_INO_,
		                       (long)&st, 0);
		if (r < 0)
			return because(d, len, ": gone since the cache was built");
		if (secure && !owned(&st, 0))
			return because(d, len, ": not owned by root or writable by group or"
			               " others (secure mode)");
		if (w->flags & LDCACHE_DIR_FIXED)
			continue;
		if (st.ino != w->ino || (int64_t)st.rest[6] != w->mtime_sec ||
		    (uint32_t)st.rest[7] != w->mtime_nsec)
			return because(d, len, ": changed since the cache was built"
			               " (run ldshim-cache again)");
	}
	return 0;
}
