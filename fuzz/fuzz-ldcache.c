/* libFuzzer target: view_parse (tools/ldshim-cache/view.c), the reader
 * behind ldshim-cache --print and --check.
 *
 * Input: a cache file.
 * Checked: no crash or out-of-bounds read (ASan, UBSan); a file it
 * accepts has every key and value NUL-terminated inside the string
 * table, the directory list as the last bytes of the file, and entries
 * in the order ld.so's binary search needs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ldshim-cache.h"

static void bad(const char *what)
{
	fprintf(stderr, "ldcache: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The reader wants the 8-aligned buffer ldshim-cache reads into;
	 * exactly SIZE bytes, so that a read past them is an ASan error. */
	unsigned char *p = malloc(size ? size : 1);
	memcpy(p, data, size);
	struct view v;
	const char *why;
	if (view_parse(&v, p, size, &why) == 0) {
		const char *end = (const char *)p + size;
		for (uint32_t i = 0; i < v.head->nlibs; i++) {
			const char *k = view_key(&v, i), *val = view_value(&v, i);
			if (k < (const char *)p || k >= end || val < (const char *)p || val >= end)
				bad("string outside the file");
			if (!memchr(k, 0, (size_t)(end - k)) || !memchr(val, 0, (size_t)(end - val)))
				bad("string not terminated");
			if (i && libcmp(view_key(&v, i - 1), k, v.arch->char_signed) <= 0)
				bad("accepted out of order");
		}
		if (v.dirlist + strlen(v.dirlist) != end - 1)
			bad("directory list does not end the file");
	} else if (!why || !*why) {
		bad("refused without a reason");
	}
	free(p);
	return 0;
}
