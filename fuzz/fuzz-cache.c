/* libFuzzer target: what the shim reads before it points the real ld.so
 * at a library cache (shim/cache.c, shim/ldpatch.c).
 *
 * Input: one mode byte, then the bytes.
 *   mode even  a cache file: ldcache_parse on its header and the bytes
 *              from the extension offset to the end, as ldcache_check
 *              reads them
 *   mode odd   ld.so's read-only data: ldso_find_cache_path over it as
 *              the one searched segment, then ldso_set_cache_path
 * Checked: no crash or out-of-bounds read (ASan, UBSan); a cache it
 * accepts ends in the NUL of its directory list (so every string ld.so
 * reads in it ends inside the file), has room for its entries before the
 * extension, and a list of exactly ndirs directories; a string it finds
 * lies in the data, ends in "/etc/ld.so.cache" and is replaced by the
 * cache path, NUL-padded, nothing around it touched. */
#include <stdio.h>
#include "hosted.h"
#include "cache.h"
#include "ldpatch.h"
#include "str.h"

static void bad(const char *what)
{
	fprintf(stderr, "cache: %s\n", what);
	abort();
}

static void cache_file(const uint8_t *p, size_t size)
{
	struct ldcache_head h;
	if (size < sizeof h)
		return;
	memcpy(&h, p, sizeof h);
	uint64_t ext = h.extension_offset;
	size_t n = ext <= size ? size - (size_t)ext : 0;
	/* The tail as the shim reads it: exactly its bytes, 8-aligned. */
	uint64_t *tail = malloc(n ? (n + 7) / 8 * 8 : 8);
	memcpy(tail, p + (ext <= size ? ext : size), n);
	struct ldcache_view v;
	if (!ldcache_parse(&h, ext <= size ? size : ext, (const unsigned char *)tail, n, &v)) {
		if (ext > size || !size || p[size - 1])
			bad("accepted a file that does not end in a NUL");
		if ((uint64_t)h.nlibs * sizeof(struct ldcache_entry) + sizeof h > ext)
			bad("accepted more entries than fit before the extension");
		if (v.list + strlen(v.list) != (const char *)tail + n - 1)
			bad("the directory list does not end the file");
		size_t k = 0, len;
		for (const char *s = v.list; str_next_elem(&s, &len);)
			k++;
		if (k != v.rec->ndirs)
			bad("the directory count and the list disagree");
	}
	free(tail);
}

static void ldso_data(const uint8_t *p, size_t size)
{
	unsigned char *d = malloc(size ? size : 1), *copy = malloc(size ? size : 1);
	memcpy(d, p, size);
	memcpy(copy, p, size);
	struct ldso ld;
	memset(&ld, 0, sizeof ld);
	ld.nopen = 1;
	ld.open[0].lo = (uintptr_t)d;
	ld.open[0].len = size;
	ld.open[0].search = 1;
	ld.open[0].writable = 1;   /* no mprotect: it is heap memory */
	static const char cache[] = "/tmp/x.cache";
	if (!ldso_find_cache_path(&ld)) {
		if (!ld.ncache_site || ld.cache_room < 16)
			bad("found a string shorter than /etc/ld.so.cache");
		for (unsigned i = 0; i < ld.ncache_site; i++) {
			unsigned char *s = ld.cache_site[i];
			if (s < d || s + ld.cache_room >= d + size || s[ld.cache_room])
				bad("a site outside the data, or not NUL-terminated");
			if (memcmp(s + ld.cache_room - 16, "/etc/ld.so.cache", 16))
				bad("a site that does not end in /etc/ld.so.cache");
		}
		if (!ldso_set_cache_path(&ld, cache)) {
			for (unsigned i = 0; i < ld.ncache_site; i++) {
				unsigned char *s = ld.cache_site[i];
				if (strcmp((char *)s, cache))
					bad("the site does not hold the cache path");
				for (size_t k = sizeof cache; k <= ld.cache_room; k++)
					if (s[k])
						bad("the rest of the site is not NUL");
				memcpy(s, copy + (s - d), ld.cache_room + 1);
			}
			if (memcmp(d, copy, size))
				bad("bytes changed outside the sites");
		}
	}
	free(d);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		ldso_data(data + 1, size - 1);
	else
		cache_file(data + 1, size - 1);
	return 0;
}
