/* libFuzzer target: env_scan and env_library_path (shim/env.c) on an
 * environment built from the input.
 *
 * Input: one flags byte, then the environment entries separated by NUL.
 *   bit 0        AT_SECURE
 *   bits 1..7    0: the buffer is exactly as large as needed; otherwise
 *                its size is that value (often too small: -2 expected)
 * The result is compared with an independent computation. */
#include <stdio.h>
#include "hosted.h"

#define V_SYS "x86_64_linux"

static void bad(const char *what)
{
	fprintf(stderr, "env: %s\n", what);
	abort();
}

static const char *value_of(const char *e, const char *name)
{
	size_t n = strlen(name);
	return strncmp(e, name, n) == 0 && e[n] == '=' ? e + n + 1 : NULL;
}

/* The first non-empty value of `name`, as getenv() would find it. */
static const char *first(char **env, long n, const char *name)
{
	for (long i = 0; i < n; i++) {
		const char *v = value_of(env[i], name);
		if (v && *v)
			return v;
	}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int secure = data[0] & 1;
	size_t want_cap = data[0] >> 1;
	/* The entries, each its own allocation (exact size, for ASan). */
	size_t len = size - 1;
	long n = 0;
	for (size_t i = 0; i < len; i++)
		n += data[1 + i] == 0;
	n += len && data[size - 1] != 0;
	char **env = calloc((size_t)n + 1, sizeof *env);
	for (long k = 0, i = 0; k < n; k++) {
		size_t j = (size_t)i;
		while (j < len && data[1 + j])
			j++;
		env[k] = malloc(j - (size_t)i + 1);
		memcpy(env[k], data + 1 + i, j - (size_t)i);
		env[k][j - (size_t)i] = 0;
		i = (long)j + 1;
	}

	/* A stack image: argc, argv, envp, auxv. */
	size_t words = 3 + (size_t)n + 1 + 4;
	uintptr_t *sp = calloc(words, sizeof *sp), *w = sp;
	*w++ = 1;
	*w++ = (uintptr_t)"prog";
	*w++ = 0;
	for (long k = 0; k < n; k++)
		*w++ = (uintptr_t)env[k];
	*w++ = 0;
	*w++ = AT_SECURE;
	*w++ = (uintptr_t)secure;
	*w++ = AT_NULL;
	*w++ = 0;

	struct image im;
	struct env_plan p;
	image_parse(&im, sp);
	if (im.envc != n)
		bad("envc");
	env_scan(&p, &im, secure);

	/* The last LD_LIBRARY_PATH is ld.so's. */
	long us = -1;
	for (long k = 0; k < n; k++)
		if (value_of(env[k], "LD_LIBRARY_PATH"))
			us = k;
	if (p.user_slot != us)
		bad("user_slot");
	if (us >= 0 ? p.user_path != env[us] + 16 : p.user_path != NULL)
		bad("user_path");
	const char *ld_sys = secure ? 0 : first(env, n, "NIX_LD_" V_SYS);
	const char *ld = secure ? 0 : first(env, n, "NIX_LD");
	const char *lp_sys = secure ? 0 : first(env, n, "NIX_LD_LIBRARY_PATH_" V_SYS);
	const char *lp = secure ? 0 : first(env, n, "NIX_LD_LIBRARY_PATH");
	const char *log = secure ? 0 : first(env, n, "NIX_LD_LOG");
	if (ld_sys ? p.ldso != ld_sys : ld ? p.ldso != ld :
	    strcmp(p.ldso_from, "built-in default") != 0)
		bad("ldso");
	if (lp_sys ? p.nix_path != lp_sys : lp ? p.nix_path != lp :
	    strcmp(p.nix_path_from, "built-in default") != 0)
		bad("nix_path");
	if (p.log != log)
		bad("log");
	if (p.spare_slot >= 0 && (secure || p.spare_slot >= n ||
	    strncmp(env[p.spare_slot], "NIX_LD", 6) != 0))
		bad("spare_slot");
	if (secure && p.spare_slot != -1)
		bad("spare_slot in secure mode");

	/* The expected library path. */
	const char *user = p.user_path, *nix = p.nix_path;
	size_t ul = user ? strlen(user) : 0, nl = strlen(nix);
	char *exp = malloc(ul + nl + 2);
	size_t e = 0;
	int added = 0;
	memcpy(exp, user ? user : "", ul);
	e = ul;
	for (const char *s = nix; *s;) {
		const char *t = strchr(s, ':');
		size_t l = t ? (size_t)(t - s) : strlen(s);
		if (l) {
			if (e)
				exp[e++] = ':';
			memcpy(exp + e, s, l);
			e += l;
			added = 1;
		}
		s += l + (t ? 1 : 0);
	}
	exp[e] = 0;
	size_t cap = want_cap ? want_cap : e + 1;
	char *buf = malloc(cap);
	long r = env_library_path(buf, cap, user, 0, nix);
	if (e + 1 > cap) {
		if (r != -2)
			bad("a result that does not fit is not -2");
	} else if (!added) {
		if (r != -1)
			bad("nothing to add but not -1");
	} else if (r != (long)e || strcmp(buf, exp) != 0) {
		bad("library path differs");
	}

	free(buf);
	free(exp);
	free(sp);
	for (long k = 0; k < n; k++)
		free(env[k]);
	free(env);
	return 0;
}
