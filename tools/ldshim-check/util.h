/* Small helpers: allocation that can't return 0, a string-keyed hash
 * table, growable arrays. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *P (of *CAP elements of SIZE bytes) to hold at least N. */
void grow(void *pp, size_t *cap, size_t n, size_t size);

/* Open addressing, keys copied, never removed. */
struct table {
	char **keys;
	void **vals;
	size_t cap, len;
};
void **table_slot(struct table *t, const char *key, int *fresh);
void *table_get(const struct table *t, const char *key);

/* "dir" + "/" + "name" in a buffer of PATH_MAX; 0 if too long. */
char *path_join(char *buf, size_t size, const char *dir, const char *name);

#endif
