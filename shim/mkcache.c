/* Writing a library cache (ldcache.h) from the shim: the automatic cache
 * for a Nix library path that no cache was named for. The rules and the
 * file are ldshim-cache's, from the same code (ldcache-gen.h): the cache
 * gives every name the library a search of the directories in order
 * (LD_LIBRARY_PATH) would give, or there is none. Here: the directories
 * of the path, their state, and the first problem as the reason.
 *
 * It runs once per library path, before the program: its memory is a
 * few mappings, unmapped before the program starts. */
#include "mkcache.h"
#include "arch.h"
#include "ldcache-gen.h"
#include "log.h"
#include "membuf.h"
#include "str.h"
#include "sys.h"

#define O_WRONLY_    01
#define O_CREAT_     0100
#define O_EXCL_      0200
#define STATX_MTIME_ 0x40u
#define STATX_INO_   0x100u
#define PATH_MAX_    4096
#define MAX_DIRS     1024

/* The name mkcache_write frees its buffer by. */
static void drop(struct buf *b)
{
	buf_free(b);
}

/* The shim says why there is no cache in a few words: the first problem. */
static int first_problem(void *ctx, const struct ldcache_note *n)
{
	const char **why = ctx;
	switch (n->event) {
	case LDCACHE_DIR_UNREADABLE: *why = "a directory cannot be read"; break;
	case LDCACHE_HWCAPS:
		*why = "a directory has hwcaps subdirectories (ld.so searches them first)";
		break;
	case LDCACHE_CLASH:
		*why = "a name's first file would stop ld.so where a later directory has the library";
		break;
	case LDCACHE_EQUAL_NAMES:
		*why = "two names ld.so's cache cannot tell apart (as libfoo.so.1 and libfoo.so.01)";
		break;
	case LDCACHE_NOT_FOUND:
		*why = "a name ld.so's search of the cache would not find (a digit run too long)";
		break;
	case LDCACHE_TOO_BIG: *why = "the cache would pass 4 GiB"; break;
	default: *why = "out of memory"; break;
	}
	return 1;
}

/* err_reason's address, taken here, is PC-relative: from another file it
 * would be a GOT entry, a relocation nothing applies. */
static const char *reason(long neg_errno)
{
	return err_reason(neg_errno);
}

static char why_buf[PATH_MAX_ + 128];

/* "<dir>: <why>" */
static const char *dir_why(const char *d, size_t len, const char *why)
{
	if (len > PATH_MAX_)
		len = PATH_MAX_;
	*str_put(str_put(mem_put(why_buf, d, len), ": "), why) = 0;
	return why_buf;
}

/* Directory D (LEN bytes) as read, recorded, and as it is now. */
static const char *source(struct ldcache_src *src, const char *d, size_t len)
{
	static char dname[PATH_MAX_];
	const char *bad = ldcache_bad_dir_name(d, len);
	if (bad)
		return dir_why(d, len, bad);
	if (len >= sizeof dname)
		return "a directory name is too long";
	*src = (struct ldcache_src){ d, len, d, len, { 0, 0, 0, 0 } };
	*mem_put(dname, d, len) = 0;
	struct statx_ st;
	/* Before it is read: a change while it is read leaves the cache
	 * out of date at once, never wrong. */
	if (arch_syscall6(NR_statx, AT_FDCWD_, (long)dname, 0,
	                  STATX_MTIME_ | STATX_INO_, (long)&st, 0) >= 0) {
		src->st.mtime_sec = (int64_t)st.rest[6];
		src->st.mtime_nsec = (uint32_t)st.rest[7];
		src->st.ino = st.ino;
	}
	if (ldcache_in_store(d, len))
		src->st.flags = LDCACHE_DIR_FIXED;
	return 0;
}

/* The cache file's bytes into out. */
static const char *build(struct buf *out, const char *path)
{
	const struct ldcache_target *t = ldcache_target_by_flags(ARCH_CACHE_FLAGS);
	struct buf srcs = { 0, 0, 0 };
	const char *why = 0;
	size_t n = 0, len;
	for (const char *s = path, *d; !why && (d = str_next_elem(&s, &len)); n++) {
		while (len > 1 && d[len - 1] == '/')
			len--;
		if (n == MAX_DIRS)
			why = "more than 1024 directories";
		else if (buf_need(&srcs, sizeof(struct ldcache_src)))
			why = "out of memory";
		else if (!(why = source((struct ldcache_src *)srcs.base + n, d, len)))
			srcs.len += sizeof(struct ldcache_src);
	}
	struct ldcache_report r = { first_problem, &why, 0, reason };
	if (!why)
		ldcache_generate(t, (const struct ldcache_src *)srcs.base, n, "ldshim (automatic cache)",
		                 &r, out, 0);
	drop(&srcs);
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
