/* The configuration file's format (confparse.h). No pointer in
 * initialised data: lists are NUL-separated strings (a pointer would need
 * a relocation). */
#include "confparse.h"
#include "arch.h"
#include "log.h"
#include "str.h"

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
	return v[0] == '/' && str_len(v) < CONFIG_PATH_MAX;
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

/* A section header s..e ('[' to the end of the trimmed line): whether
 * the lines after it are for this program (1) or not (-1; also when the
 * header is malformed, so that they land in no section). */
static int parse_header(struct config *c, char *s, char *e, unsigned line,
                        const struct config_id *id)
{
	int sect;
	if (e[-1] != ']') {
		warn(c, line, "section header without ']'", 0);
		return -1;
	}
	char *he = e - 1, *h = trim(s + 1, &he), *arg;
	if ((arg = after_word(h, "program"))) {
		if (!abs_path_ok(arg)) {
			warn(c, line, "[program PATH] needs an absolute path", 0);
			return -1;
		}
		sect = id && ((id->path && str_eq(id->path, arg)) ||
		              (id->path2 && str_eq(id->path2, arg))) ? 1 : -1;
	} else if ((arg = after_word(h, "build-id"))) {
		int m = match_build_id(arg, id);
		if (m < 0) {
			warn(c, line, "[build-id HEX] needs an even number of hex digits (2 to 128)", 0);
			return -1;
		}
		sect = m ? 1 : -1;
	} else {
		warn(c, line, "unknown section (program PATH, build-id HEX)", h);
		return -1;
	}
	if (sect > 0)
		set(&c->match, s, line);
	return sect;
}

enum key { K_NONE, K_LDSO, K_PATH, K_CACHE, K_MODE, K_ALLOW };

/* The key after its system prefix; mode and allow-user-config take none. */
static enum key key_of(const char *k, int sys)
{
	if (str_eq(k, "ld.so"))
		return K_LDSO;
	if (str_eq(k, "library-path"))
		return K_PATH;
	if (str_eq(k, "library-cache"))
		return K_CACHE;
	if (!sys && str_eq(k, "mode"))
		return K_MODE;
	if (!sys && str_eq(k, "allow-user-config"))
		return K_ALLOW;
	return K_NONE;
}

/* Why val cannot be the value of k, or NULL. */
static const char *bad_value(enum key k, const char *val)
{
	switch (k) {
	case K_LDSO:
		return abs_path_ok(val) ? 0 : "ld.so needs an absolute path";
	case K_CACHE:
		return abs_path_ok(val) ? 0 : "library-cache needs an absolute path";
	case K_PATH:
		return path_list_ok(val) ? 0
		       : "library-path needs absolute directories separated by ':'";
	case K_MODE:
		return str_eq(val, "fallback") || str_eq(val, "override") ? 0
		       : "mode is fallback or override";
	case K_ALLOW:
		return str_eq(val, "yes") || str_eq(val, "no") ? 0
		       : "allow-user-config is yes or no";
	default:
		return 0;
	}
}

/* Where a value of k goes: the global or the matching sections' (sect
 * 0 or 1), <system>.key's or key's (w). */
static struct config_val *slot_of(struct config *c, enum key k, int sect, int w)
{
	switch (k) {
	case K_MODE:
		return &c->mode;
	case K_ALLOW:
		return &c->allow_user;
	case K_LDSO:
		return sect ? &c->p_ldso[w] : &c->ldso[w];
	case K_CACHE:
		return sect ? &c->p_cache[w] : &c->cache[w];
	default:
		return sect ? &c->p_path[w] : &c->path[w];
	}
}

/* A `key = value` line s..e (trimmed) in section state sect (0 global,
 * 1 matching, -1 another): checked whatever the section, kept only when
 * it is for this program and this system. */
static void parse_setting(struct config *c, char *s, char *e, unsigned line, int sect)
{
	char *eq = s;
	while (eq < e && *eq != '=')
		eq++;
	if (eq == e) {
		warn(c, line, "expected key = value", s);
		return;
	}
	char *ke = eq, *ve = e;
	char *key = trim(s, &ke), *val = trim(eq + 1, &ve);
	if (!*key) {
		warn(c, line, "missing key", 0);
		return;
	}
	int sys;
	const char *name = strip_system(key, &sys);
	enum key k = key_of(name, sys);
	const char *why;
	if (k == K_NONE) {
		warn(c, line, "unknown key", key);
		return;
	}
	if (!*val) {
		warn(c, line, "missing value for", key);
		return;
	}
	if ((k == K_MODE || k == K_ALLOW) && sect != 0) {
		warn(c, line, "only before the first section:", key);
		return;
	}
	if ((why = bad_value(k, val))) {
		warn(c, line, why, 0);
		return;
	}
	if (sect < 0 || sys == 2)
		return;
	set(slot_of(c, k, sect, sys ? CFG_SYS : CFG_ANY), val, line);
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
		if (*s == '[')
			sect = parse_header(c, s, e, line, id);
		else
			parse_setting(c, s, e, line, sect);
	}
}
