/* What the shim changes in its private mapping of the real ld.so's data,
 * besides the debug hook (debug.c). Each change is found by content,
 * checked against the exact shape glibc gives it, and made only then:
 * a different ld.so is left alone and the shim takes the way that needs
 * no change.
 *
 * - The cache path: ld.so opens its library cache by a path compiled in,
 *   one NUL-terminated string in its read-only data: "/etc/ld.so.cache"
 *   (Debian, 16 bytes), "<prefix>/etc/ld.so.cache" (Nix's glibc, about
 *   70). Pointing it at a cache built for the Nix library path puts that
 *   path exactly where fallback order wants it, with nothing injected. */
#include "ldpatch.h"
#include "arch.h"
#include "log.h"
#include "str.h"

typedef ElfW(Phdr) Phdr;

/* Boyer-Moore-Horspool: ld.so's read-only data is some 20 KiB, searched
 * at every start that uses a cache (elf_map narrows the search to it:
 * 11 us over Debian's whole read-only segment, 6 over its .rodata). */
static const unsigned char *find(const unsigned char *h, size_t n,
                                 const unsigned char *pat, size_t m)
{
	size_t skip[256];
	if (m == 0 || n < m)
		return 0;
	for (unsigned i = 0; i < 256; i++)
		skip[i] = m;
	for (size_t i = 0; i + 1 < m; i++)
		skip[pat[i]] = m - 1 - i;
	for (size_t i = 0; i + m <= n; i += skip[h[i + m - 1]]) {
		size_t k = m;
		while (k && h[i + k - 1] == pat[k - 1])
			k--;
		if (!k)
			return h + i;
	}
	return 0;
}

#define CACHE_SUFFIX "/etc/ld.so.cache"
#define MAX_SITES 4

const char *ldso_find_cache_path(struct ldso *ld)
{
	static const unsigned char pat[] = CACHE_SUFFIX;   /* its NUL included */
	unsigned n = 0;
	size_t room = 0;

	ld->ncache_site = 0;
	for (unsigned k = 0; k < ld->nopen; k++) {
		if (!ld->open[k].search)
			continue;
		const unsigned char *lo = (const unsigned char *)ld->open[k].lo;
		const unsigned char *end = lo + ld->open[k].len;
		/* Only ld.so's read-only data, where elf_map found it. */
		if (ld->rodata_hi) {
			if ((uintptr_t)lo < ld->rodata_lo)
				lo = (const unsigned char *)ld->rodata_lo;
			if ((uintptr_t)end > ld->rodata_hi)
				end = (const unsigned char *)ld->rodata_hi;
			if (lo >= end)
				continue;
		}
		const unsigned char *p = lo;
		while ((p = find(p, (size_t)(end - p), pat, sizeof pat))) {
			/* The whole string: back to the NUL before it. */
			const unsigned char *s = p;
			while (s > lo && s[-1])
				s--;
			size_t len = (size_t)(p - s) + sizeof pat - 1;
			if (s[0] == '/') {
				if (n == MAX_SITES)
					return "its cache path string is there more than four times";
				if (n && (len != room || !str_eq((const char *)s, (const char *)ld->cache_site[0])))
					return "two different strings end in " CACHE_SUFFIX;
				ld->cache_site[n++] = (unsigned char *)s;
				room = len;
			}
			p += sizeof pat;
		}
	}
	if (!n)
		return "no cache path string (\"..." CACHE_SUFFIX "\") in its read-only data";
	ld->ncache_site = n;
	ld->cache_room = room;
	return 0;
}

const char *ldso_set_cache_path(struct ldso *ld, const char *cache)
{
	size_t want = str_len(cache), room = ld->cache_room;
	if (!ld->ncache_site)
		return "no cache path string found";
	if (want > room) {
		static char why[80];
		char a[24], b[24];
		*str_put(str_put(str_put(str_put(why, "the cache path is "), str_num(a, want, 0)),
		                 " bytes, ld.so has room for "), str_num(b, room, 0)) = 0;
		return why;
	}
	for (unsigned i = 0; i < ld->ncache_site; i++) {
		unsigned char *site = ld->cache_site[i];
		ldso_writable(ld, (uintptr_t)site, room + 1, LDSO_PATCH_CACHE);
		char *d = mem_put((char *)site, cache, want);
		while (d <= (char *)site + room)
			*d++ = 0;
	}
	ld->patched |= LDSO_PATCH_CACHE;
	say(LOG_DEBUG, "ld.so's cache path string now names ", cache, (char *)0);
	return 0;
}
