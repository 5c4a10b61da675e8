#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *oom(void *p)
{
	if (!p) {
		fputs("ldshim-check: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

void *xmalloc(size_t n) { return oom(malloc(n ? n : 1)); }
void *xcalloc(size_t n, size_t size) { return oom(calloc(n ? n : 1, size ? size : 1)); }
void *xrealloc(void *p, size_t n) { return oom(realloc(p, n ? n : 1)); }
char *xstrdup(const char *s) { return oom(strdup(s)); }
char *xstrndup(const char *s, size_t n) { return oom(strndup(s, n)); }

void grow(void *pp, size_t *cap, size_t n, size_t size)
{
	void **p = pp;
	if (n <= *cap)
		return;
	size_t c = *cap ? *cap : 8;
	while (c < n)
		c *= 2;
	*p = xrealloc(*p, c * size);
	*cap = c;
}

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static size_t find(const struct table *t, const char *key)
{
	size_t i = hash(key) & (t->cap - 1);
	while (t->keys[i] && strcmp(t->keys[i], key))
		i = (i + 1) & (t->cap - 1);
	return i;
}

void *table_get(const struct table *t, const char *key)
{
	if (!t->cap)
		return 0;
	size_t i = find(t, key);
	return t->keys[i] ? t->vals[i] : 0;
}

void **table_slot(struct table *t, const char *key, int *fresh)
{
	if (2 * (t->len + 1) > t->cap) {
		struct table n = { 0, 0, t->cap ? 2 * t->cap : 256, 0 };
		n.keys = xcalloc(n.cap, sizeof *n.keys);
		n.vals = xcalloc(n.cap, sizeof *n.vals);
		for (size_t i = 0; i < t->cap; i++)
			if (t->keys[i]) {
				size_t j = find(&n, t->keys[i]);
				n.keys[j] = t->keys[i];
				n.vals[j] = t->vals[i];
			}
		n.len = t->len;
		free(t->keys);
		free(t->vals);
		*t = n;
	}
	size_t i = find(t, key);
	*fresh = !t->keys[i];
	if (*fresh) {
		t->keys[i] = xstrdup(key);
		t->vals[i] = 0;
		t->len++;
	}
	return &t->vals[i];
}

char *path_join(char *buf, size_t size, const char *dir, const char *name)
{
	size_t d = strlen(dir), n = strlen(name);
	int slash = d && dir[d - 1] != '/';
	if (d + slash + n + 1 > size)
		return 0;
	memcpy(buf, dir, d);
	if (slash)
		buf[d++] = '/';
	memcpy(buf + d, name, n + 1);
	return buf;
}
