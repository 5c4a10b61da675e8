#include "env.h"
#include "arch.h"
#include "str.h"

#ifndef DEFAULT_NIX_LD
#define DEFAULT_NIX_LD "/run/current-system/sw/share/nix-ld/lib/ld.so"
#endif

#define V_LD_SYS   "NIX_LD_" ARCH_SYSTEM
#define V_LD       "NIX_LD"
#define V_PATH_SYS "NIX_LD_LIBRARY_PATH_" ARCH_SYSTEM
#define V_PATH     "NIX_LD_LIBRARY_PATH"
#define V_LOG      "NIX_LD_LOG"
#define V_MODE     "NIX_LD_MODE"
#define V_CACHE_SYS "NIX_LD_LIBRARY_CACHE_" ARCH_SYSTEM
#define V_CACHE    "NIX_LD_LIBRARY_CACHE"

/* First occurrence wins, as with getenv(); an empty value counts as unset. */
static void take(const char **dst, const char *v)
{
	if (!*dst && v && *v)
		*dst = v;
}

void env_scan(struct env_plan *p, const struct image *im, int secure)
{
	const char *ld_sys = 0, *ld = 0, *path_sys = 0, *path = 0;
	const char *cache_sys = 0, *cache = 0;

	p->user_path = 0;
	p->user_slot = -1;
	p->spare_slot = -1;
	p->log = 0;
	p->mode = 0;
	p->ncache = 0;
	p->runtime_dir = 0;
	p->uid = (uint32_t)aux_get(im, AT_UID, 0);
	for (long i = 0; i < im->envc; i++) {
		const char *e = im->envp[i], *v;
		if (e[0] == 'L') {
			/* ld.so takes the last LD_LIBRARY_PATH, so do we. */
			if ((v = str_value_of(e, "LD_LIBRARY_PATH"))) {
				p->user_path = v;
				p->user_slot = i;
			}
			continue;
		}
		if (!secure && e[0] == 'X' && (v = str_value_of(e, "XDG_RUNTIME_DIR")))
			take(&p->runtime_dir, v);
		if (secure || e[0] != 'N')
			continue;
		int ours = 1;
		if ((v = str_value_of(e, V_LD)))
			take(&ld, v);
		else if ((v = str_value_of(e, V_LD_SYS)))
			take(&ld_sys, v);
		else if ((v = str_value_of(e, V_PATH)))
			take(&path, v);
		else if ((v = str_value_of(e, V_PATH_SYS)))
			take(&path_sys, v);
		else if ((v = str_value_of(e, V_LOG)))
			take(&p->log, v);
		else if ((v = str_value_of(e, V_MODE)))
			take(&p->mode, v);
		else if ((v = str_value_of(e, V_CACHE)))
			take(&cache, v);
		else if ((v = str_value_of(e, V_CACHE_SYS)))
			take(&cache_sys, v);
		else
			ours = 0;
		if (ours && p->spare_slot < 0)
			p->spare_slot = i;
	}
	p->ldso = ld_sys ? ld_sys : ld ? ld : DEFAULT_NIX_LD;
	p->ldso_from = ld_sys ? V_LD_SYS : ld ? V_LD : "built-in default";
	p->nix_path = path_sys ? path_sys : path ? path : DEFAULT_NIX_LD_LIBRARY_PATH;
	p->nix_path_from = path_sys ? V_PATH_SYS : path ? V_PATH : "built-in default";
	if (cache_sys)
		plan_add_cache(p, cache_sys, V_CACHE_SYS, 0);
	else if (cache)
		plan_add_cache(p, cache, V_CACHE, 0);
}

void plan_add_cache(struct env_plan *p, const char *file, const char *src,
                    unsigned line)
{
	if (p->ncache == PLAN_CACHES)
		return;
	p->cache[p->ncache].file = file;
	p->cache[p->ncache].src = src;
	p->cache[p->ncache].line = line;
	p->ncache++;
}

/* Append the non-empty elements of the list s to buf (length *n). */
static int append_elems(char *buf, size_t cap, size_t *n, const char *s)
{
	size_t len;
	int added = 0;
	for (const char *d; s && (d = str_next_elem(&s, &len));) {
		int sep = *n > 0;
		if (*n + sep + len >= cap)
			return -2;
		if (sep)
			buf[(*n)++] = ':';
		mem_put(buf + *n, d, len);
		*n += len;
		added = 1;
	}
	return added;
}

long env_library_path(char *buf, size_t cap, const char *user, const char *own,
                      const char *nix)
{
	size_t n = 0;
	if (user) {
		size_t u = str_len(user);
		if (u >= cap)
			return -2;
		mem_put(buf, user, u);
		n = u;
	}
	if (append_elems(buf, cap, &n, own) == -2)
		return -2;
	int added = append_elems(buf, cap, &n, nix);
	if (added == -2)
		return -2;
	buf[n] = 0;
	return added ? (long)n : -1;
}
