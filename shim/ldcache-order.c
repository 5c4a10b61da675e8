/* The order of a cache's entries. ld.so finds a name by binary search
 * (elf/dl-cache.c search_cache), comparing with _dl_cache_libcmp, so the
 * entries must be sorted by that same comparison, descending, as
 * ldconfig writes them. Written from its description: runs of digits
 * compare as numbers, so libbar.so.1.2.10 comes before libbar.so.1.2.9.
 * Sorted in place by heapsort: no recursion, no memory. */
#include "ldcache-gen.h"

#define PATH_MAX_ 4096

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

struct sorting {
	const char *names;
	struct ldcache_lib *libs;
	int char_signed;
};

/* Entry x goes before entry y: descending. */
static int before(const struct sorting *s, size_t x, size_t y)
{
	return libcmp(s->names + s->libs[y].name, s->names + s->libs[x].name, s->char_signed) < 0;
}

static void swap(struct ldcache_lib *libs, size_t i, size_t j)
{
	struct ldcache_lib t = libs[i];
	libs[i] = libs[j];
	libs[j] = t;
}

/* Heapsort in the order "before": a heap whose root goes last. */
static void sift(const struct sorting *s, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && before(s, c, c + 1))
			c++;
		if (!before(s, i, c))
			return;
		swap(s->libs, i, c);
		i = c;
	}
}

static void sort_heap(const struct sorting *s, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift(s, i, n);
	for (size_t k = n; k-- > 1;) {
		swap(s->libs, 0, k);
		sift(s, 0, k);
	}
}

/* The entry ld.so's search_cache returns for NAME when every entry has
 * the flags it wants: the first of those that compare equal. */
static long lookup(const struct sorting *s, size_t n, const char *name)
{
	long left = 0, right = (long)n - 1;
	while (left <= right) {
		long middle = (left + right) / 2;
		int c = libcmp(name, s->names + s->libs[middle].name, s->char_signed);
		if (c == 0) {
			while (middle > 0 &&
			       libcmp(name, s->names + s->libs[middle - 1].name, s->char_signed) == 0)
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

static char path1[PATH_MAX_ + 256], path2[PATH_MAX_ + 256];

/* Tell of a problem with entry i (and j): nonzero to stop. */
static int problem(const struct ldcache_report *r, enum ldcache_event ev,
                   const struct ldcache_src *dirs, const struct sorting *s, size_t i, size_t j)
{
	struct ldcache_note n = { ev, 0, 0, 0, 0, 0 };
	n.path = ldcache_path(&dirs[s->libs[i].dir], s->names + s->libs[i].name, path1, sizeof path1);
	if (j != i)
		n.path2 = ldcache_path(&dirs[s->libs[j].dir], s->names + s->libs[j].name,
		                       path2, sizeof path2);
	return r->note(r->ctx, &n);
}

size_t ldcache_sort(const struct ldcache_target *t, const struct ldcache_src *dirs,
                    struct ldcache_found *f, const struct ldcache_report *r)
{
	struct sorting s = { f->names.base, (struct ldcache_lib *)f->libs.base, t->char_signed };
	size_t n = f->libs.len / sizeof(struct ldcache_lib), problems = 0;
	sort_heap(&s, n);
	for (size_t i = 0; i + 1 < n; i++)
		if (libcmp(s.names + s.libs[i].name, s.names + s.libs[i + 1].name, s.char_signed) == 0) {
			problems++;
			if (problem(r, LDCACHE_EQUAL_NAMES, dirs, &s, i, i + 1))
				return problems;
		}
	if (problems)
		return problems;
	/* Prove the order is one ld.so's search finds every name in (a digit
	 * run that wraps makes the comparison inconsistent). */
	for (size_t i = 0; i < n; i++)
		if (lookup(&s, n, s.names + s.libs[i].name) != (long)i) {
			problems++;
			if (problem(r, LDCACHE_NOT_FOUND, dirs, &s, i, i))
				return problems;
		}
	return problems;
}
