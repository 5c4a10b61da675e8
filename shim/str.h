/* The few string and memory helpers the shim needs (no libc). */
#ifndef LDSHIM_STR_H
#define LDSHIM_STR_H

#include <stddef.h>

size_t str_len(const char *s);
int str_eq(const char *a, const char *b);
/* If s is "<name>=value", the value; otherwise NULL. */
const char *str_value_of(const char *s, const char *name);
/* The next non-empty element of the ':'-separated list at *s (its length
 * in *len), advancing *s past it; NULL when none is left. */
const char *str_next_elem(const char **s, size_t *len);
/* 1 if the ':'-separated list s has a non-empty element. */
int str_has_elem(const char *s);
/* 1 if two ':'-separated lists name the same directories in the same
 * order (empty elements and trailing slashes aside, as for ld.so's
 * LD_LIBRARY_PATH). */
int str_same_list(const char *a, const char *b);
/* Copy n bytes; returns dst + n, for building strings piece by piece. */
char *mem_put(char *dst, const char *src, size_t n);
char *str_put(char *dst, const char *src);
/* Decimal or 0x-hex rendering of v into buf (>= 24 bytes); returns buf. */
char *str_num(char *buf, unsigned long v, int hex);

/* gcc may emit calls to these even in freestanding code. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

#endif
