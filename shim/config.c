/* The configuration files (config.h): which are read and trusted, and
 * how their settings merge into the plan, by precedence. The format is
 * confparse.c's, the program's identity progid.c's. No pointer in
 * initialised data (a pointer would need a relocation). */
#include "config.h"
#include "arch.h"
#include "log.h"
#include "progid.h"
#include "str.h"
#include "sys.h"

#define AT_EXECFN_  31
#define STATX_MODE_ 0x2u
#define STATX_UID_  0x8u

/* What every start writes, even without a file, lives in .data, on the
 * page the shim's other start-up state is on: in .bss, each of these
 * lands beside a big buffer, on a page of its own (a page fault each,
 * measured). The buffers are touched only when a file is there. */
#define HOT __attribute__((section(".data.ldshim_config")))
static char sysbuf[CONFIG_MAX + 1], userbuf[CONFIG_MAX + 1];
static struct config_file sysf HOT, userf HOT;  /* buf set by load(): no relocation */
static char user_name[CONFIG_PATH_MAX];
static char exe[CONFIG_PATH_MAX];
static char joined[CONFIG_MAX + 2 * 32 * 4096 + 2];
static char from_ldso[CONFIG_PATH_MAX + 32], from_gpath[CONFIG_PATH_MAX + 32];
static char from_mode[CONFIG_PATH_MAX + 32], from_path[3 * CONFIG_PATH_MAX + 64];
static const char *mode_from HOT;

static void ignore(struct config_file *f, const char *why)
{
	f->state = CONFIG_IGNORED;
	f->why = why;
	say(LOG_WARN, f->name, ": ", why, ": ignored", (char *)0);
}

/* One openat when the file is missing; else openat, statx, pread, close. */
static int load(struct config_file *f, const char *name, uint32_t owner)
{
	struct statx_ st;
	f->name = name;
	f->buf = f == &sysf ? sysbuf : userbuf;
	long fd = sys_open(name);
	if (fd < 0) {
		f->state = CONFIG_MISSING;
		if (fd != -2 && fd != -20)   /* ENOENT, ENOTDIR: not there */
			ignore(f, err_reason(fd));
		return 0;
	}
	long r = arch_syscall6(NR_statx, fd, (long)"", AT_EMPTY_PATH_,
	                       STATX_TYPE_ | STATX_MODE_ | STATX_UID_ | STATX_SIZE_,
	                       (long)&st, 0);
	if (r < 0)
		ignore(f, err_reason(r));
	else if ((st.mode & S_IFMT_) != S_IFREG_)
		ignore(f, "not a regular file");
	else if (st.uid != owner)
		ignore(f, f == &sysf ? "not owned by root" : "not owned by the user");
	else if (st.mode & 022)
		ignore(f, "writable by group or others");
	else if (st.size > CONFIG_MAX)
		ignore(f, "larger than 65536 bytes");
	else {
		size_t n = 0;
		while (n < st.size) {
			long got = sys_pread((int)fd, f->buf + n, CONFIG_MAX - n, n);
			if (got <= 0)
				break;
			n += (size_t)got;
		}
		f->len = n;
		f->state = CONFIG_READ;
	}
	sys_close((int)fd);
	return f->state == CONFIG_READ;
}

static const char *env_get(const struct image *im, const char *name)
{
	const char *v;
	for (long i = 0; i < im->envc; i++)
		if ((v = str_value_of(im->envp[i], name)) && *v)
			return v;
	return 0;
}

/* $XDG_CONFIG_HOME/ldshim.conf, else $HOME/.config/ldshim.conf. */
static const char *user_file(const struct image *im)
{
	const char *x = env_get(im, "XDG_CONFIG_HOME"), *tail = "/ldshim.conf";
	if (!x || *x != '/') {
		x = env_get(im, "HOME");
		tail = "/.config/ldshim.conf";
	}
	if (!x || *x != '/' || str_len(x) + str_len(tail) >= sizeof user_name)
		return 0;
	*str_put(str_put(user_name, x), tail) = 0;
	return user_name;
}

static const char *from(char *buf, const struct config_file *f, unsigned line)
{
	char num[24];
	char *p = str_put(buf, f->name);
	*p++ = ':';
	*str_put(p, str_num(num, line, 0)) = 0;
	return buf;
}

/* The value of key pair v[2] in the files (user first): <system>.key
 * beats key within a file. */
static const struct config_val *pick(struct config_file *const *fs, int n, size_t off,
                                     const struct config_file **which)
{
	for (int i = 0; i < n; i++) {
		const struct config_val *v = (const void *)((const char *)&fs[i]->c + off);
		const struct config_val *w = v[CFG_SYS].v ? &v[CFG_SYS] : &v[CFG_ANY];
		if (w->v) {
			*which = fs[i];
			return w;
		}
	}
	return 0;
}

static int is_default(const char *from_)
{
	return str_eq(from_, "built-in default");
}

/* ld.so: a file's global one only where nothing else named it; a
 * matching section's over any. */
static void merge_ldso(struct env_plan *p, struct config_file *const *fs, int n)
{
	const struct config_file *f;
	const struct config_val *v;
	if (is_default(p->ldso_from) && (v = pick(fs, n, offsetof(struct config, ldso), &f))) {
		p->ldso = v->v;
		p->ldso_from = from(from_ldso, f, v->line);
	}
	if ((v = pick(fs, n, offsetof(struct config, p_ldso), &f))) {
		p->ldso = v->v;
		p->ldso_from = from(from_ldso, f, v->line);
	}
}

static void merge_mode(struct env_plan *p, struct config_file *const *fs, int n)
{
	mode_from = p->mode ? "NIX_LD_MODE" : "built-in default";
	for (int i = 0; !p->mode && i < n; i++)
		if (fs[i]->c.mode.v) {
			p->mode = fs[i]->c.mode.v;
			mode_from = from(from_mode, fs[i], fs[i]->c.mode.line);
		}
}

/* The library path: a file's global one where nothing else named it;
 * a matching section's directories before the global path. */
static void merge_path(struct env_plan *p, struct config_file *const *fs, int n)
{
	const struct config_file *f;
	const struct config_val *v;
	/* In secure mode only the system file is read, and its library path
	 * counts only with a cache built for it: nothing is injected. */
	if (is_default(p->nix_path_from) && (v = pick(fs, n, offsetof(struct config, path), &f))) {
		p->nix_path = v->v;
		p->nix_path_from = from(from_gpath, f, v->line);
	}
	if (!(v = pick(fs, n, offsetof(struct config, p_path), &f)))
		return;
	char *q = str_put(joined, v->v);
	if (str_has_elem(p->nix_path)) {
		*q++ = ':';
		q = str_put(q, p->nix_path);
	}
	*q = 0;
	char *b = (char *)from(from_path, f, v->line);
	b = str_put(b + str_len(b), " + ");
	*str_put(b, p->nix_path_from) = 0;
	p->nix_path = joined;
	p->nix_path_from = from_path;
}

/* Each file's <system>.key or key of the pair at offset off, if set. */
static void add_caches(struct env_plan *p, struct config_file *const *fs, int n, size_t off)
{
	for (int i = 0; i < n; i++) {
		const struct config_val *v = (const void *)((const char *)&fs[i]->c + off);
		const struct config_val *c = v[CFG_SYS].v ? &v[CFG_SYS] : &v[CFG_ANY];
		if (c->v)
			plan_add_cache(p, c->v, fs[i]->name, c->line);
	}
}

/* Caches after the environment's: a section's before the global ones,
 * the user's file before the system's, as for the other keys. */
static void merge_caches(struct env_plan *p, struct config_file *const *fs, int n)
{
	add_caches(p, fs, n, offsetof(struct config, p_cache));
	add_caches(p, fs, n, offsetof(struct config, cache));
	/* The built-in cache, for the built-in path only (wherever that
	 * path was named): the NixOS module's library set, with no file. */
	if (str_has_elem(DEFAULT_NIX_LD_LIBRARY_CACHE) &&
	    str_same_list(p->nix_path, DEFAULT_NIX_LD_LIBRARY_PATH))
		plan_add_cache(p, DEFAULT_NIX_LD_LIBRARY_CACHE, "built-in default", 0);
}

/* The files read, the user's first, over what the environment left at
 * the built-in defaults. */
static void merge(struct env_plan *p)
{
	struct config_file *fs[2];
	int n = 0;
	if (userf.state == CONFIG_READ)
		fs[n++] = &userf;
	if (sysf.state == CONFIG_READ)
		fs[n++] = &sysf;
	merge_ldso(p, fs, n);
	merge_mode(p, fs, n);
	merge_path(p, fs, n);
	merge_caches(p, fs, n);
}

/* How the program is identified: called once a file is read, with
 * want_path when the file has [program] sections (the path may cost a
 * system call). */
typedef void resolve_fn(struct config_id *, const struct image *, int secure, int want_path);

static void parse(struct config_file *f, struct config_id *id, int *asked,
                  const struct image *im, int secure, resolve_fn *resolve)
{
	int want = config_wants_path(f->buf, f->len);
	if (*asked < 1 + want) {
		resolve(id, im, secure, want);
		*asked = 1 + want;
	}
	config_parse(&f->c, f->buf, f->len, f->name, id);
}

/* Read the system file, then the user's if allowed; parse both. */
static void read_files(const struct image *im, int secure, struct config_id *id,
                       resolve_fn *resolve)
{
	int asked = 0;
	if (load(&sysf, LDSHIM_CONFIG, 0))
		parse(&sysf, id, &asked, im, secure, resolve);
	userf.state = CONFIG_NOT_ALLOWED;
	if (sysf.state != CONFIG_READ || !sysf.c.allow_user.v || !str_eq(sysf.c.allow_user.v, "yes"))
		return;
	if (secure) {
		userf.state = CONFIG_SECURE;
		return;
	}
	const char *name = user_file(im);
	if (!name) {
		userf.state = CONFIG_NO_HOME;
		return;
	}
	if (load(&userf, name, (uint32_t)aux_get(im, AT_UID, 0)))
		parse(&userf, id, &asked, im, secure, resolve);
}

/* ---- the program's identity, as the sections need it ---- */

static void resolve_mem(struct config_id *id, const struct image *im, int secure,
                        int want_path)
{
	if (!id->build_id)
		config_id_from_memory(id, im);
	if (!want_path || id->path)
		return;
	long n = arch_syscall6(NR_readlinkat, AT_FDCWD_, (long)"/proc/self/exe",
	                       (long)exe, sizeof exe - 1, 0, 0);
	if (n > 0 && exe[0] == '/') {
		exe[n] = 0;
		id->path = exe;
	}
	/* The name it was started by, when absolute (it may be a link):
	 * not in secure mode, where the caller chose it. */
	const char *fn = (const char *)aux_get(im, AT_EXECFN_, 0);
	if (!secure && fn && fn[0] == '/')
		id->path2 = fn;
}

void config_apply(struct env_plan *p, const struct image *im, int secure)
{
	struct config_id id = { 0, 0, 0, 0 };
	read_files(im, secure, &id, resolve_mem);
	merge(p);
}

static const char *file_prog HOT;

static void resolve_file(struct config_id *id, const struct image *im, int secure,
                         int want_path)
{
	(void)im;
	(void)secure;
	(void)want_path;
	if (!file_prog || id->build_id || id->path)
		return;
	config_id_from_file(id, file_prog);
	/* The name as given: ld.so opens that name, ldd passes it on. */
	if (file_prog[0] == '/')
		id->path = file_prog;
}

void config_apply_file(struct env_plan *p, const struct image *im, const char *prog)
{
	struct config_id id = { 0, 0, 0, 0 };
	int secure = aux_get(im, AT_SECURE, 0) != 0;
	file_prog = prog;
	read_files(im, secure, &id, resolve_file);
	merge(p);
}

/* A program known by its identity, as the caller worked it out. */
static void resolve_given(struct config_id *id, const struct image *im, int secure,
                          int want_path)
{
	(void)id;
	(void)im;
	(void)secure;
	(void)want_path;
}

void config_apply_id(struct env_plan *p, const struct image *im, const struct config_id *given)
{
	struct config_id id = *given;
	read_files(im, 0, &id, resolve_given);
	merge(p);
}

const struct config_file *config_system_file(void)
{
	return &sysf;
}

const struct config_file *config_user_file(void)
{
	return &userf;
}

const char *config_mode_from(void)
{
	return mode_from;
}
