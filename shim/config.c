/* The configuration files (config.h). No pointer in initialised data:
 * lists are NUL-separated strings (a pointer would need a relocation). */
#include "config.h"
#include "arch.h"
#include "log.h"
#include "str.h"
#include "sys.h"

#define AT_EXECFN_  31
#define PT_NOTE_    4
#define PT_PHDR_    6
#define NT_GNU_BUILD_ID_ 3
#define STATX_MODE_ 0x2u
#define STATX_UID_  0x8u
#define PATH_MAX_   4096

/* ---- the parser: pure, over a buffer ---- */

static int blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static char *trim(char *s, char **end)
{
	while (s < *end && blank(*s))
		s++;
	while (*end > s && blank((*end)[-1]))
		(*end)--;
	**end = 0;
	return s;
}

static void warn(struct config *c, unsigned line, const char *what, const char *key)
{
	char num[24];
	c->errors++;
	/* (say() checks the level: log_on() here would read ldshim_log
	 * through the GOT on aarch64, a relocation.) */
	/* Echo the key only when it is short and printable. */
	int show = key && *key;
	size_t n = 0;
	for (const char *k = key; show && *k; k++, n++)
		if ((unsigned char)*k < 0x20 || (unsigned char)*k >= 0x7f || n >= 64)
			show = 0;
	say(LOG_WARN, c->file, ":", str_num(num, line, 0), ": ", what,
	    show ? " '" : "", show ? key : "", show ? "'" : "",
	    ", line skipped", (char *)0);
}

/* "word" then blanks then the rest, or NULL. */
static char *after_word(char *s, const char *word)
{
	while (*word)
		if (*s++ != *word++)
			return 0;
	if (!blank(*s))
		return 0;
	while (blank(*s))
		s++;
	return s;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* -1: malformed; 0: no match; 1: match. */
static int match_build_id(const char *hex, const struct config_id *id)
{
	size_t n = str_len(hex);
	if (n < 2 || n % 2 || n > 2 * CONFIG_ID_MAX)
		return -1;
	int same = id && id->build_id && id->build_id_len == n / 2;
	for (size_t i = 0; i < n; i += 2) {
		int a = hexval(hex[i]), b = hexval(hex[i + 1]);
		if (a < 0 || b < 0)
			return -1;
		if (same && id->build_id[i / 2] != (unsigned char)(a << 4 | b))
			same = 0;
	}
	return same;
}

static int abs_path_ok(const char *v)
{
	return v[0] == '/' && str_len(v) < PATH_MAX_;
}

/* Every non-empty element absolute: a relative one would depend on the
 * current directory of whatever program starts. */
static int path_list_ok(const char *v)
{
	size_t len;
	int any = 0;
	for (const char *s = v, *d; (d = str_next_elem(&s, &len));) {
		if (*d != '/')
			return 0;
		any = 1;
	}
	return any;
}

/* The key without a "<system>." prefix; *sys: 0 none, 1 ours, 2 another. */
static const char *strip_system(const char *key, int *sys)
{
	static const char systems[] = "x86_64_linux\0i686_linux\0aarch64_linux\0riscv64_linux\0";
	*sys = 0;
	for (const char *s = systems; *s; s += str_len(s) + 1) {
		const char *k = key, *t = s;
		while (*t && *k == *t)
			k++, t++;
		if (!*t && *k == '.') {
			*sys = str_eq(s, ARCH_SYSTEM) ? 1 : 2;
			return k + 1;
		}
	}
	return key;
}

int config_wants_path(const char *buf, size_t len)
{
	static const char w[] = "[program";
	for (size_t i = 0; i + sizeof w - 1 <= len; i++) {
		size_t j = 0;
		while (j < sizeof w - 1 && buf[i + j] == w[j])
			j++;
		if (j == sizeof w - 1)
			return 1;
	}
	return 0;
}

static void set(struct config_val *v, const char *s, unsigned line)
{
	v->v = s;
	v->line = line;
}

void config_parse(struct config *c, char *buf, size_t len, const char *file,
                  const struct config_id *id)
{
	unsigned line = 0;
	int sect = 0;   /* 0: global; 1: a matching section; -1: another */

	memset(c, 0, sizeof *c);
	c->file = file;
	for (size_t i = 0; i < len;) {
		char *s = buf + i, *e = s;
		while (e < buf + len && *e != '\n')
			e++;
		i = (size_t)(e - buf) + 1;
		line++;
		int nul = 0;
		for (char *q = s; q < e; q++)
			nul |= !*q;
		s = trim(s, &e);
		if (nul) {
			/* What follows a broken header must not land in the
			 * wrong section: skip to the next good header. */
			if (*s == '[')
				sect = -1;
			warn(c, line, "NUL byte in the line", 0);
			continue;
		}
		if (!*s || *s == '#')
			continue;
		if (*s == '[') {
			sect = -1;
			if (e[-1] != ']') {
				warn(c, line, "section header without ']'", 0);
				continue;
			}
			char *he = e - 1, *h = trim(s + 1, &he), *arg;
			if ((arg = after_word(h, "program"))) {
				if (!abs_path_ok(arg)) {
					warn(c, line, "[program PATH] needs an absolute path", 0);
					continue;
				}
				sect = id && ((id->path && str_eq(id->path, arg)) ||
				              (id->path2 && str_eq(id->path2, arg))) ? 1 : -1;
			} else if ((arg = after_word(h, "build-id"))) {
				int m = match_build_id(arg, id);
				if (m < 0) {
					warn(c, line, "[build-id HEX] needs an even number of hex digits (2 to 128)", 0);
					continue;
				}
				sect = m ? 1 : -1;
			} else {
				warn(c, line, "unknown section (program PATH, build-id HEX)", h);
				continue;
			}
			if (sect > 0)
				set(&c->match, s, line);
			continue;
		}
		char *eq = s;
		while (eq < e && *eq != '=')
			eq++;
		if (eq == e) {
			warn(c, line, "expected key = value", s);
			continue;
		}
		char *ke = eq, *ve = e;
		char *key = trim(s, &ke), *val = trim(eq + 1, &ve);
		if (!*key) {
			warn(c, line, "missing key", 0);
			continue;
		}
		int sys;
		const char *k = strip_system(key, &sys);
		int is_ldso = str_eq(k, "ld.so"), is_path = str_eq(k, "library-path");
		int is_cache = str_eq(k, "library-cache");
		int is_mode = !sys && str_eq(k, "mode");
		int is_allow = !sys && str_eq(k, "allow-user-config");
		if (!is_ldso && !is_path && !is_cache && !is_mode && !is_allow) {
			warn(c, line, "unknown key", key);
			continue;
		}
		if (!*val) {
			warn(c, line, "missing value for", key);
			continue;
		}
		if ((is_mode || is_allow) && sect != 0) {
			warn(c, line, "only before the first section:", key);
			continue;
		}
		if (is_ldso && !abs_path_ok(val)) {
			warn(c, line, "ld.so needs an absolute path", 0);
			continue;
		}
		if (is_cache && !abs_path_ok(val)) {
			warn(c, line, "library-cache needs an absolute path", 0);
			continue;
		}
		if (is_path && !path_list_ok(val)) {
			warn(c, line, "library-path needs absolute directories separated by ':'", 0);
			continue;
		}
		if (is_mode && !str_eq(val, "fallback") && !str_eq(val, "override")) {
			warn(c, line, "mode is fallback or override", 0);
			continue;
		}
		if (is_allow && !str_eq(val, "yes") && !str_eq(val, "no")) {
			warn(c, line, "allow-user-config is yes or no", 0);
			continue;
		}
		if (sect < 0 || sys == 2)
			continue;
		int w = sys ? CFG_SYS : CFG_ANY;
		if (is_mode)
			set(&c->mode, val, line);
		else if (is_allow)
			set(&c->allow_user, val, line);
		else if (is_ldso)
			set(sect ? &c->p_ldso[w] : &c->ldso[w], val, line);
		else if (is_cache)
			set(sect ? &c->p_cache[w] : &c->cache[w], val, line);
		else
			set(sect ? &c->p_path[w] : &c->path[w], val, line);
	}
}

const unsigned char *config_note_build_id(const unsigned char *p, size_t len,
                                          size_t align, size_t *id_len)
{
	if (align != 8)
		align = 4;
	size_t off = 0;
	while (len - off >= 12) {
		uint32_t w[3];
		mem_put((char *)w, (const char *)p + off, 12);
		size_t nsz = w[0], dsz = w[1];
		size_t name_end = 12 + ((nsz + align - 1) & ~(align - 1));
		if (nsz > len || dsz > len || name_end > len - off)
			return 0;
		size_t desc_end = name_end + ((dsz + align - 1) & ~(align - 1));
		if (desc_end > len - off)
			desc_end = len - off;
		if (name_end + dsz > len - off)
			return 0;
		if (w[2] == NT_GNU_BUILD_ID_ && nsz == 4 && p[off + 12] == 'G' &&
		    p[off + 13] == 'N' && p[off + 14] == 'U' && p[off + 15] == 0 &&
		    dsz > 0 && dsz <= CONFIG_ID_MAX) {
			*id_len = dsz;
			return p + off + name_end;
		}
		off += desc_end;
	}
	return 0;
}

/* ---- reading the files ---- */

enum { F_UNREAD, F_MISSING, F_READ, F_IGNORED, F_NOT_ALLOWED, F_SECURE, F_NO_HOME };

struct file {
	const char *name;
	int state;
	const char *why;          /* F_IGNORED */
	size_t len;
	struct config c;
	char *buf;                /* CONFIG_MAX + 1 bytes */
};

/* What every start writes, even without a file, lives in .data, on the
 * page the shim's other start-up state is on: in .bss, each of these
 * lands beside a big buffer, on a page of its own (a page fault each,
 * measured). The buffers are touched only when a file is there. */
#define HOT __attribute__((section(".data.ldshim_config")))
static char sysbuf[CONFIG_MAX + 1], userbuf[CONFIG_MAX + 1];
static struct file sysf HOT, userf HOT;  /* buf set by load(): no relocation */
static char user_name[PATH_MAX_];
static char exe[PATH_MAX_];
static unsigned char id_bytes[CONFIG_ID_MAX];
static char joined[CONFIG_MAX + 2 * 32 * 4096 + 2];
static char from_ldso[PATH_MAX_ + 32], from_gpath[PATH_MAX_ + 32], from_mode[PATH_MAX_ + 32];
static char from_path[3 * PATH_MAX_ + 64];
static const char *mode_from HOT;

static void ignore(struct file *f, const char *why)
{
	f->state = F_IGNORED;
	f->why = why;
	say(LOG_WARN, f->name, ": ", why, ": ignored", (char *)0);
}

/* One openat when the file is missing; else openat, statx, pread, close. */
static int load(struct file *f, const char *name, uint32_t owner)
{
	struct statx_ st;
	f->name = name;
	f->buf = f == &sysf ? sysbuf : userbuf;
	long fd = sys_open(name);
	if (fd < 0) {
		f->state = F_MISSING;
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
		f->state = F_READ;
	}
	sys_close((int)fd);
	return f->state == F_READ;
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

static const char *from(char *buf, const struct file *f, unsigned line)
{
	char num[24];
	char *p = str_put(buf, f->name);
	*p++ = ':';
	*str_put(p, str_num(num, line, 0)) = 0;
	return buf;
}

/* The value of key pair v[2] in the files (user first): <system>.key
 * beats key within a file. */
static const struct config_val *pick(struct file *const *fs, int n, size_t off,
                                     const struct file **which)
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

static void merge(struct env_plan *p)
{
	struct file *fs[2];
	int n = 0;
	if (userf.state == F_READ)
		fs[n++] = &userf;
	if (sysf.state == F_READ)
		fs[n++] = &sysf;
	const struct file *f;
	const struct config_val *v;

	if (is_default(p->ldso_from) && (v = pick(fs, n, offsetof(struct config, ldso), &f))) {
		p->ldso = v->v;
		p->ldso_from = from(from_ldso, f, v->line);
	}
	if ((v = pick(fs, n, offsetof(struct config, p_ldso), &f))) {
		p->ldso = v->v;
		p->ldso_from = from(from_ldso, f, v->line);
	}
	mode_from = p->mode ? "NIX_LD_MODE" : "built-in default";
	for (int i = 0; !p->mode && i < n; i++)
		if (fs[i]->c.mode.v) {
			p->mode = fs[i]->c.mode.v;
			mode_from = from(from_mode, fs[i], fs[i]->c.mode.line);
		}
	/* In secure mode only the system file is read, and its library path
	 * counts only with a cache built for it: nothing is injected. */
	if (is_default(p->nix_path_from) && (v = pick(fs, n, offsetof(struct config, path), &f))) {
		p->nix_path = v->v;
		p->nix_path_from = from(from_gpath, f, v->line);
	}
	if ((v = pick(fs, n, offsetof(struct config, p_path), &f))) {
		/* The program's own directories first, then the global path. */
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
	/* Caches: a section's before the global ones, the user's file before
	 * the system's, as for the other keys. */
	for (int i = 0; i < n; i++) {
		const struct config_val *c = fs[i]->c.p_cache[CFG_SYS].v ? &fs[i]->c.p_cache[CFG_SYS]
		                                                        : &fs[i]->c.p_cache[CFG_ANY];
		if (c->v)
			plan_add_cache(p, c->v, fs[i]->name, c->line);
	}
	for (int i = 0; i < n; i++) {
		const struct config_val *c = fs[i]->c.cache[CFG_SYS].v ? &fs[i]->c.cache[CFG_SYS]
		                                                      : &fs[i]->c.cache[CFG_ANY];
		if (c->v)
			plan_add_cache(p, c->v, fs[i]->name, c->line);
	}
	/* The built-in cache, for the built-in path only (wherever that
	 * path was named): the NixOS module's library set, with no file. */
	if (str_has_elem(DEFAULT_NIX_LD_LIBRARY_CACHE) &&
	    str_same_list(p->nix_path, DEFAULT_NIX_LD_LIBRARY_PATH))
		plan_add_cache(p, DEFAULT_NIX_LD_LIBRARY_CACHE, "built-in default", 0);
}

/* How the program is identified: called once a file is read, with
 * want_path when the file has [program] sections (the path may cost a
 * system call). */
typedef void resolve_fn(struct config_id *, const struct image *, int secure, int want_path);

static void parse(struct file *f, struct config_id *id, int *asked,
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
	userf.state = F_NOT_ALLOWED;
	if (sysf.state != F_READ || !sysf.c.allow_user.v || !str_eq(sysf.c.allow_user.v, "yes"))
		return;
	if (secure) {
		userf.state = F_SECURE;
		return;
	}
	const char *name = user_file(im);
	if (!name) {
		userf.state = F_NO_HOME;
		return;
	}
	if (load(&userf, name, (uint32_t)aux_get(im, AT_UID, 0)))
		parse(&userf, id, &asked, im, secure, resolve);
}

/* ---- the program's identity ---- */

/* Interpreter mode: the build-id from the program's notes, as the kernel
 * mapped them (AT_PHDR); no file is read. */
static void id_from_memory(struct config_id *id, const struct image *im)
{
	uintptr_t at = aux_get(im, AT_PHDR, 0), n = aux_get(im, AT_PHNUM, 0);
	const ElfW(Phdr) *ph = (const void *)at;
	uintptr_t bias = 0;
	int have = 0;
	if (!at || n > 1024)
		return;
	for (uintptr_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_PHDR_) {
			bias = at - ph[i].p_vaddr;
			have = 1;
		}
	if (!have) {
		/* No PT_PHDR: the ELF header is mapped right before the
		 * program headers when they follow it in the file, which is
		 * where linkers put them; believe it only if it says so. */
		const ElfW(Ehdr) *eh = (const void *)(at - sizeof(ElfW(Ehdr)));
		uintptr_t first = ~(uintptr_t)0;
		if (at % 4096 < sizeof *eh || !elf_magic_ok(eh->e_ident) ||
		    eh->e_phoff != sizeof *eh ||
		    eh->e_phnum != n)
			return;
		for (uintptr_t i = 0; i < n; i++)
			if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0 && ph[i].p_vaddr < first)
				first = ph[i].p_vaddr;
		if (first == ~(uintptr_t)0)
			return;
		bias = (uintptr_t)eh - first;
	}
	for (uintptr_t i = 0; i < n; i++) {
		if (ph[i].p_type != PT_NOTE_)
			continue;
		size_t len;
		const unsigned char *b = config_note_build_id(
			(const void *)(bias + ph[i].p_vaddr), ph[i].p_filesz, ph[i].p_align, &len);
		if (b) {
			id->build_id = b;
			id->build_id_len = len;
			return;
		}
	}
}

static void resolve_mem(struct config_id *id, const struct image *im, int secure,
                        int want_path)
{
	if (!id->build_id)
		id_from_memory(id, im);
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

/* Explicit invocation: the program is a file; its build-id is read from
 * its notes (ld.so is about to read the same pages anyway). */
static unsigned char note_buf[4096];
static ElfW(Phdr) phdr_buf[64];

static void id_from_file(struct config_id *id, const char *prog)
{
	ElfW(Ehdr) eh;
	long fd = sys_open(prog);
	if (fd < 0)
		return;
	if (sys_pread((int)fd, &eh, sizeof eh, 0) == (long)sizeof eh &&
	    elf_magic_ok(eh.e_ident) && eh.e_ident[EI_CLASS] == ARCH_CLASS && eh.e_phentsize == sizeof(ElfW(Phdr)) &&
	    eh.e_phnum <= sizeof phdr_buf / sizeof *phdr_buf) {
		long want = (long)(eh.e_phnum * sizeof(ElfW(Phdr)));
		if (sys_pread((int)fd, phdr_buf, (size_t)want, eh.e_phoff) == want) {
			for (unsigned i = 0; i < eh.e_phnum; i++) {
				const ElfW(Phdr) *ph = &phdr_buf[i];
				if (ph->p_type != PT_NOTE_)
					continue;
				size_t n = ph->p_filesz < sizeof note_buf ? ph->p_filesz : sizeof note_buf;
				long got = sys_pread((int)fd, note_buf, n, ph->p_offset);
				size_t len;
				const unsigned char *b = got > 0 ?
					config_note_build_id(note_buf, (size_t)got, ph->p_align, &len) : 0;
				if (b) {
					mem_put((char *)id_bytes, (const char *)b, len);
					id->build_id = id_bytes;
					id->build_id_len = len;
					break;
				}
			}
		}
	}
	sys_close((int)fd);
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
	id_from_file(id, file_prog);
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

/* ---- ldshim --config ---- */

struct pout {
	unsigned n;
	char buf[1024];
};

static void put(struct pout *o, const char *s)
{
	while (*s) {
		if (o->n == sizeof o->buf) {
			sys_write(1, o->buf, o->n);
			o->n = 0;
		}
		o->buf[o->n++] = *s++;
	}
}

static void put_file(struct pout *o, const char *what, const struct file *f)
{
	char num[24];
	put(o, what);
	put(o, f->name ? f->name : "");
	switch (f->state) {
	case F_READ:
		put(o, ": read");
		if (f->c.errors) {
			put(o, ", ");
			put(o, str_num(num, f->c.errors, 0));
			put(o, " line(s) skipped (NIX_LD_LOG=warn shows them)");
		}
		break;
	case F_MISSING: put(o, ": not present"); break;
	case F_IGNORED: put(o, ": ignored: "); put(o, f->why); break;
	case F_NOT_ALLOWED: put(o, "(not read: the system file has no allow-user-config = yes)"); break;
	case F_SECURE: put(o, "(not read in secure mode)"); break;
	case F_NO_HOME: put(o, "(not read: neither XDG_CONFIG_HOME nor HOME is an absolute path)"); break;
	default: put(o, "(not read)"); break;
	}
	put(o, "\n");
}

void config_print(struct env_plan *p, const struct image *im, const char *prog)
{
	struct pout o = { .n = 0 };
	char num[24];
	config_apply_file(p, im, prog);
	put(&o, "program: ");
	put(&o, prog ? prog : "(none given: global settings only)");
	if (prog) {
		struct config_id id = { 0, 0, 0, 0 };
		id_from_file(&id, prog);
		put(&o, id.build_id ? " (build-id " : " (no build-id)");
		for (size_t i = 0; id.build_id && i < id.build_id_len; i++) {
			char h[3] = { "0123456789abcdef"[id.build_id[i] >> 4],
			              "0123456789abcdef"[id.build_id[i] & 15], 0 };
			put(&o, h);
		}
		put(&o, id.build_id ? ")" : "");
	}
	put(&o, "\n");
	put_file(&o, "system file: ", &sysf);
	put_file(&o, "user file: ", &userf);
	/* Not an initialised array of pointers: that needs a relocation. */
	for (int i = 0; i < 2; i++) {
		const struct file *f = i ? &sysf : &userf;
		if (f->state == F_READ && f->c.match.v) {
			put(&o, "matching section: ");
			put(&o, f->c.match.v);
			put(&o, "] (");
			put(&o, f->name);
			put(&o, ":");
			put(&o, str_num(num, f->c.match.line, 0));
			put(&o, ")\n");
		}
	}
	put(&o, "mode = ");
	put(&o, p->mode ? p->mode : "fallback");
	put(&o, " (");
	put(&o, mode_from);
	put(&o, ")\nld.so = ");
	put(&o, p->ldso);
	put(&o, " (");
	put(&o, p->ldso_from);
	put(&o, ")\nlibrary-path = ");
	put(&o, p->nix_path);
	put(&o, " (");
	put(&o, p->nix_path_from);
	put(&o, ")\n");
	if (o.n)
		sys_write(1, o.buf, o.n);
}
