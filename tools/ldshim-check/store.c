/* Nix store names: which directory names are store entries, the package
 * name and version in them (builtins.parseDrvName), and how versions
 * compare (builtins.compareVersions). */
#define _GNU_SOURCE
#include "store.h"

#include <limits.h>
#include <string.h>

/* ---- names and versions, as Nix reads them ---- */

#define HASH_LEN 32
#define NAME_MAX_LEN 211

/* Which bytes may appear where: 1 in the hash (Nix's base-32: no e, o,
 * u, t), 2 in the name. */
static unsigned char name_class(unsigned char c)
{
	static unsigned char cls[256];
	if (!cls['0']) {
		for (const char *p = "0123456789abcdfghijklmnpqrsvwxyz"; *p; p++)
			cls[(unsigned char)*p] |= 1;
		for (int c = 0; c < 256; c++)
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    (c && strchr("+-._?=", c)))
				cls[c] |= 2;
	}
	return cls[c];
}

int store_name_ok(const char *s)
{
	size_t i;
	for (i = 0; i < HASH_LEN; i++)
		if (!(name_class(s[i]) & 1))
			return 0;
	if (s[i++] != '-' || !s[i] || s[i] == '.')
		return 0;
	size_t start = i;
	for (; s[i]; i++)
		if (!(name_class(s[i]) & 2))
			return 0;
	return i - start <= NAME_MAX_LEN;
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

size_t drv_name_len(const char *s)
{
	size_t i;
	for (i = 0; s[i]; i++)
		if (s[i] == '-' && s[i + 1] && !is_alpha(s[i + 1]))
			return i;
	return i;
}

/* A version component: a run of digits, or a run of anything but digits
 * and the separators '.' and '-'. */
struct comp {
	const char *s;
	size_t len;
	int numeric;		/* digits that fit an int, as Nix's string2Int<int> */
	long value;
};

static struct comp next_comp(const char **pp)
{
	const char *p = *pp;
	while (*p == '.' || *p == '-')
		p++;
	struct comp c = { p, 0, 0, 0 };
	if (is_digit(*p)) {
		while (is_digit(p[c.len]))
			c.len++;
		/* Nix parses the digits as an int; more than fit is no number. */
		c.numeric = 1;
		for (size_t i = 0; i < c.len && c.numeric; i++) {
			c.value = c.value * 10 + (p[i] - '0');
			if (c.value > INT_MAX)
				c.numeric = 0;
		}
	} else {
		while (p[c.len] && !is_digit(p[c.len]) && p[c.len] != '.' && p[c.len] != '-')
			c.len++;
	}
	*pp = p + c.len;
	return c;
}

static int comp_is(const struct comp *c, const char *word)
{
	return c->len == strlen(word) && !memcmp(c->s, word, c->len);
}

/* Is component A older than B? Numbers by value; an absent component is
 * older than a number; "pre" is older than anything but "pre"; a word is
 * older than a number (2.3a < 2.3.1); words by their bytes. */
static int comp_lt(const struct comp *a, const struct comp *b)
{
	if (a->numeric && b->numeric)
		return a->value < b->value;
	if (a->len == 0 && b->numeric)
		return 1;
	if (comp_is(a, "pre") && !comp_is(b, "pre"))
		return 1;
	if (comp_is(b, "pre"))
		return 0;
	if (b->numeric)
		return 1;
	if (a->numeric)
		return 0;
	size_t n = a->len < b->len ? a->len : b->len;
	int d = memcmp(a->s, b->s, n);
	return d ? d < 0 : a->len < b->len;
}

int version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		struct comp x = next_comp(&a), y = next_comp(&b);
		if (comp_lt(&x, &y))
			return -1;
		if (comp_lt(&y, &x))
			return 1;
	}
	return 0;
}
