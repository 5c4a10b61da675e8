#include "str.h"

size_t str_len(const char *s)
{
	const char *p = s;
	while (*p)
		p++;
	return (size_t)(p - s);
}

int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

const char *str_value_of(const char *s, const char *name)
{
	while (*name)
		if (*s++ != *name++)
			return NULL;
	return *s == '=' ? s + 1 : NULL;
}

const char *str_next_elem(const char **s, size_t *len)
{
	for (const char *p = *s; *p;) {
		const char *e = p;
		while (*e && *e != ':')
			e++;
		*s = *e ? e + 1 : e;
		if (e > p) {
			*len = (size_t)(e - p);
			return p;
		}
		p = *s;
	}
	return NULL;
}

int str_has_elem(const char *s)
{
	size_t len;
	return str_next_elem(&s, &len) != NULL;
}

/* The same directories in the same order: empty elements and trailing
 * slashes do not count, as for ld.so's LD_LIBRARY_PATH. */
int str_same_list(const char *a, const char *b)
{
	size_t la, lb;
	const char *x, *y;
	for (;;) {
		x = str_next_elem(&a, &la);
		y = str_next_elem(&b, &lb);
		if (!x || !y)
			return !x && !y;
		while (la > 1 && x[la - 1] == '/')
			la--;
		while (lb > 1 && y[lb - 1] == '/')
			lb--;
		if (la != lb)
			return 0;
		for (size_t i = 0; i < la; i++)
			if (x[i] != y[i])
				return 0;
	}
}

char *mem_put(char *dst, const char *src, size_t n)
{
	while (n--)
		*dst++ = *src++;
	return dst;
}

char *str_put(char *dst, const char *src)
{
	return mem_put(dst, src, str_len(src));
}

char *str_num(char *buf, unsigned long v, int hex)
{
	char tmp[24];
	int n = 0;
	unsigned base = hex ? 16 : 10;
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	char *p = buf;
	if (hex) {
		*p++ = '0';
		*p++ = 'x';
	}
	while (n)
		*p++ = tmp[--n];
	*p = 0;
	return buf;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	mem_put(dst, src, n);
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}
