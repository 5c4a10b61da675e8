/* Where the automatic cache lives. A start whose Nix path no cache was
 * named for writes one itself (mkcache.c), so that the path is served
 * from ld.so's cache step, with nothing injected. Services, cron jobs,
 * containers, `sudo` and `env -i` have no XDG_RUNTIME_DIR; they still
 * get a cache in the first home that works, in this order:
 *
 *   $XDG_RUNTIME_DIR/ldshim    the session's own directory
 *   /run/user/<uid>/ldshim     logind's, there for the user's services and
 *                              `sudo -u` too (only if it is the user's own, 0700)
 *   /run/ldshim                root's, for uid 0 (/run must be root's)
 *   /tmp/ldshim-<uid>          everyone else; a read-only root with a
 *   /dev/shm/ldshim-<uid>      private /tmp still has one of these two
 *                              (their parent must be root's, and sticky
 *                              when others may write it)
 *
 * What is read from a home decides which libraries a program loads, so
 * a home is used only if it is a real directory (not a link), the user's
 * own, mode 0700; made so if it is missing, never changed otherwise. It
 * is opened once and everything in it is reached through that fd. A home
 * that cannot take the file (a full disk, EROFS, EDQUOT) is passed over:
 * the writer leaves nothing behind, and the next home is tried. The name
 * ld.so gets must fit the room its cache string has (ldpatch.c): a home
 * whose name is too long is passed over too.
 */
#include "cachehome.h"
#include "arch.h"
#include "cache.h"
#include "log.h"
#include "mkcache.h"
#include "str.h"
#include "sys.h"

#define STATX_MODE_ 0x2u
#define STATX_UID_  0x8u
#define S_ISVTX_    01000
#define ENOENT_     2
#define AT_SYMLINK_NOFOLLOW_ 0x100
#define EEXIST_     17
#define HASH_DIGITS (CACHE_HOME_LEAF - 1)

enum parent_rule {
	PARENT_ANY,        /* the user named it (XDG_RUNTIME_DIR) */
	PARENT_OWN,        /* the user's own, 0700 (/run/user/<uid>) */
	PARENT_ROOT,       /* root's, not writable by others (/run) */
	PARENT_SHARED,     /* root's, sticky if others may write (/tmp) */
};

static char name_buf[CACHE_HOME_NAME_MAX];
static char why_buf[CACHE_HOME_NAME_MAX + 128];

/* FNV-1a: the name of a library path's cache. */
static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

/* One file per architecture and directory list (as ld.so reads it:
 * empty elements and trailing slashes aside). */
void cache_home_leaf(char *p, const char *path)
{
	uint64_t h = fnv(0xcbf29ce484222325ull, ARCH_SYSTEM, sizeof ARCH_SYSTEM);
	size_t len;
	for (const char *s = path, *d; (d = str_next_elem(&s, &len));) {
		while (len > 1 && d[len - 1] == '/')
			len--;
		h = fnv(fnv(h, d, len), ":", 1);
	}
	for (int i = HASH_DIGITS - 1; i >= 0; i--)
		*p++ = "0123456789abcdef"[(h >> (4 * i)) & 15];
	*p = 0;
}

static long statx_fd(long fd, const char *name, int flags, struct statx_ *st)
{
	return arch_syscall6(NR_statx, fd, (long)name, flags,
	                     STATX_TYPE_ | STATX_MODE_ | STATX_UID_, (long)st, 0);
}

static int parent_ok(const struct statx_ *st, enum parent_rule rule, uint32_t uid)
{
	int dir = (st->mode & S_IFMT_) == S_IFDIR_;
	switch (rule) {
	case PARENT_OWN:
		return dir && st->uid == uid && !(st->mode & 077);
	case PARENT_ROOT:
		return dir && st->uid == 0 && !(st->mode & 022);
	case PARENT_SHARED:
		return dir && st->uid == 0 && (!(st->mode & 022) || (st->mode & S_ISVTX_));
	default:
		return 1;
	}
}

static const char *say_why(const char *dir, const char *what)
{
	*str_put(str_put(str_put(why_buf, dir), ": "), what) = 0;
	return why_buf;
}

/* The parent of home `dir` (it ends at dir[plen]) as `rule` wants:
 * NULL, or why not. ld.so will open the cache by name, so no one else
 * may be able to swap the home between here and there. */
static const char *check_parent(char *dir, size_t plen, enum parent_rule rule,
                                uint32_t uid)
{
	struct statx_ st;
	if (rule == PARENT_ANY)
		return 0;
	dir[plen] = 0;
	long r = statx_fd(AT_FDCWD_, dir, 0, &st);
	dir[plen] = '/';
	if (r < 0)
		return say_why(dir, err_reason(r));
	if (!parent_ok(&st, rule, uid))
		return say_why(dir, rule == PARENT_OWN ? "its parent is not the user's own, mode 0700"
		                                       : "its parent is writable by others");
	return 0;
}

/* The home itself (st, a link not followed): NULL if it may be used. */
static const char *check_home(const char *dir, const struct statx_ *st, uint32_t uid)
{
	if ((st->mode & S_IFMT_) != S_IFDIR_)
		return say_why(dir, "not a directory (a link?)");
	if (st->uid != uid || (st->mode & 077))
		return say_why(dir, "not a directory of the user's own, mode 0700");
	return 0;
}

/* Home `dir` (its parent ends at dir[plen]), opened O_PATH; made 0700 if
 * it is missing. -1 with *why when it is not one to use. */
static long open_home(char *dir, size_t plen, enum parent_rule rule,
                      uint32_t uid, const char **why)
{
	struct statx_ st;
	int flags = O_PATH_ | ARCH_O_DIRECTORY | ARCH_O_NOFOLLOW | O_CLOEXEC_;
	if ((*why = check_parent(dir, plen, rule, uid)))
		return -1;
	long fd = arch_syscall6(NR_openat, AT_FDCWD_, (long)dir, flags, 0, 0, 0);
	if (fd == -ENOENT_) {
		long r = arch_syscall6(NR_mkdirat, AT_FDCWD_, (long)dir, 0700, 0, 0, 0);
		if (r < 0 && r != -EEXIST_) {
			*why = say_why(dir, err_reason(r));
			return -1;
		}
		fd = arch_syscall6(NR_openat, AT_FDCWD_, (long)dir, flags, 0, 0, 0);
	}
	if (fd < 0) {
		/* ENOTDIR or ELOOP: a file or a link where the home would be. */
		*why = say_why(dir, fd == -20 || fd == -40 ? "not a directory (a link?)"
		                                          : err_reason(fd));
		return -1;
	}
	if (statx_fd(fd, "", AT_EMPTY_PATH_, &st) < 0)
		st.mode = 0;
	if ((*why = check_home(dir, &st, uid))) {
		sys_close((int)fd);
		return -1;
	}
	return fd;
}

/* Home i's directory name in buf, and where its parent ends; 0 when
 * home i does not apply to this start. */
static size_t home_name(unsigned i, const struct env_plan *plan, char *buf,
                        size_t *plen, enum parent_rule *rule)
{
	char num[24];
	const char *uid = str_num(num, plan->uid, 0);
	const char *rt = plan->runtime_dir;
	char *p = buf;
	/* Names are bounded by CACHE_HOME_NAME_MAX: XDG_RUNTIME_DIR's
	 * length is checked first. */
	switch (i) {
	case 0:
		if (!rt || rt[0] != '/' || str_len(rt) > CACHE_HOME_NAME_MAX - 64)
			return 0;
		p = str_put(p, rt);
		*rule = PARENT_ANY;
		break;
	case 1:
		p = str_put(str_put(p, "/run/user/"), uid);
		/* Already tried as XDG_RUNTIME_DIR. */
		*p = 0;
		if (rt && str_same_list(rt, buf))
			return 0;
		*rule = PARENT_OWN;
		break;
	case 2:
		if (plan->uid != 0)
			return 0;
		p = str_put(p, "/run");
		*rule = PARENT_ROOT;
		break;
	case 3:
	case 4:
		p = str_put(p, i == 3 ? "/tmp" : "/dev/shm");
		*plen = (size_t)(p - buf);
		*rule = PARENT_SHARED;
		p = str_put(str_put(p, "/ldshim-"), uid);
		*p = 0;
		return (size_t)(p - buf);
	default:
		return 0;
	}
	*plen = (size_t)(p - buf);
	p = str_put(p, "/ldshim");
	*p = 0;
	return (size_t)(p - buf);
}

/* The name in name_buf (len bytes) and its cache's must fit ld.so's room. */
static const char *check_room(size_t len, size_t room)
{
	char a[24], b[24];
	if (len + 1 + HASH_DIGITS <= room)
		return 0;
	*str_put(str_put(str_put(str_put(str_put(why_buf, name_buf), ": the name would be "),
	                         str_num(a, len + 1 + HASH_DIGITS, 0)), " bytes, ld.so has room for "),
	         str_num(b, room, 0)) = 0;
	return why_buf;
}

const char *cache_home_judge(unsigned i, const struct env_plan *plan, size_t room,
                             const char **dir, int *missing)
{
	size_t plen;
	enum parent_rule rule;
	struct statx_ st;
	const char *why;
	size_t len = home_name(i, plan, name_buf, &plen, &rule);
	*dir = len ? name_buf : 0;
	*missing = 0;
	if (!len)
		return 0;
	if ((why = check_room(len, room)) || (why = check_parent(name_buf, plen, rule, plan->uid)))
		return why;
	long r = statx_fd(AT_FDCWD_, name_buf, AT_SYMLINK_NOFOLLOW_, &st);
	if (r == -ENOENT_) {
		*missing = 1;
		return 0;
	}
	return r < 0 ? say_why(name_buf, err_reason(r)) : check_home(name_buf, &st, plan->uid);
}

const char *cache_home_auto(const struct env_plan *plan, size_t room)
{
	const char *why;
	for (unsigned i = 0; i < CACHE_HOMES; i++) {
		size_t plen;
		enum parent_rule rule;
		size_t len = home_name(i, plan, name_buf, &plen, &rule);
		if (!len)
			continue;
		if ((why = check_room(len, room))) {
			say(LOG_INFO, "automatic library cache: not in ", why, (char *)0);
			continue;
		}
		long fd = open_home(name_buf, plen, rule, plan->uid, &why);
		if (fd < 0) {
			say(LOG_INFO, "automatic library cache: not in ", why, (char *)0);
			continue;
		}
		char *leaf = name_buf + len + 1;
		name_buf[len] = '/';
		cache_home_leaf(leaf, plan->nix_path);
		int refused = 0;
		if ((why = ldcache_check_at((int)fd, leaf, plan->nix_path, 0, plan->uid))) {
			say(LOG_INFO, "automatic library cache ", name_buf, ": ", why, ": writing it",
			    (char *)0);
			why = mkcache_write_at((int)fd, leaf, plan->nix_path, &refused);
		}
		sys_close((int)fd);
		if (!why)
			return name_buf;
		say(LOG_INFO, "automatic library cache ", name_buf, " not written: ", why,
		    (char *)0);
		/* No other home would do better. */
		if (refused)
			return 0;
	}
	say(LOG_INFO, "no library cache: no home takes the automatic cache", (char *)0);
	return 0;
}
