/* The order of the cache's entries. ld.so finds a name by binary search
 * (elf/dl-cache.c search_cache), comparing with _dl_cache_libcmp, so the
 * entries must be sorted by that same comparison, descending, as
 * ldconfig writes them. Written from its description: runs of digits
 * compare as numbers, so libbar.so.1.2.10 comes before libbar.so.1.2.9. */
#include "ldshim-cache.h"

#include <stdio.h>
#include <stdlib.h>

static int ch(const char *p, int char_signed)
{
	return char_signed ? (signed char)*p : (unsigned char)*p;
}

static int digit(const char *p) { return *p >= '0' && *p <= '9'; }

int libcmp(const char *a, const char *b, int char_signed)
{
	while (*a) {
		if (digit(a) && digit(b)) {
			/* ld.so's int arithmetic: a long run wraps. */
			uint32_t va = 0, vb = 0;
			while (digit(a))
				va = va * 10 + (uint32_t)(*a++ - '0');
			while (digit(b))
				vb = vb * 10 + (uint32_t)(*b++ - '0');
			if (va != vb)
				return (int32_t)(va - vb);
		} else if (digit(a)) {
			return 1;
		} else if (digit(b)) {
			return -1;
		} else if (*a != *b) {
			return ch(a, char_signed) - ch(b, char_signed);
		} else {
			a++, b++;
		}
	}
	return ch(a, char_signed) - ch(b, char_signed);
}

static int char_signed_for_sort;

static int descending(const void *x, const void *y)
{
	const struct lib *a = x, *b = y;
	return libcmp(b->name, a->name, char_signed_for_sort);
}

/* The entry ld.so's search_cache returns for NAME when every entry has
 * the flags it wants: the first of those that compare equal. */
static long lookup(const struct arch *a, const struct lib *libs, size_t n, const char *name)
{
	long left = 0, right = (long)n - 1;
	while (left <= right) {
		long middle = (left + right) / 2;
		int c = libcmp(name, libs[middle].name, a->char_signed);
		if (c == 0) {
			while (middle > 0 && libcmp(name, libs[middle - 1].name, a->char_signed) == 0)
				middle--;
			return middle;
		}
		if (c < 0)
			left = middle + 1;
		else
			right = middle - 1;
	}
	return -1;
}

size_t sort_libs(const struct arch *a, struct lib *libs, size_t n)
{
	char_signed_for_sort = a->char_signed;
	if (n)
		qsort(libs, n, sizeof *libs, descending);
	size_t problems = 0;
	for (size_t i = 0; i + 1 < n; i++)
		if (libcmp(libs[i].name, libs[i + 1].name, a->char_signed) == 0) {
			fprintf(stderr, "ldshim-cache: %s and %s: ld.so's cache cannot tell these names "
				"apart (digit runs compare as numbers)\n", libs[i].path, libs[i + 1].path);
			problems++;
		}
	if (problems)
		return problems;
	/* Prove the order is one ld.so's search finds every name in (a digit
	 * run that wraps makes the comparison inconsistent). */
	for (size_t i = 0; i < n; i++)
		if (lookup(a, libs, n, libs[i].name) != (long)i) {
			fprintf(stderr, "ldshim-cache: %s: ld.so's search of the cache would not find "
				"this name (a digit run too long for its arithmetic?)\n", libs[i].path);
			problems++;
		}
	return problems;
}
