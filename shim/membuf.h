/* Growing buffers of anonymous memory, for the shim's work that has no
 * fixed bound (writing a library cache): no heap, one mapping each,
 * moved by mremap as it grows and unmapped when done. */
#ifndef LDSHIM_MEMBUF_H
#define LDSHIM_MEMBUF_H

#include <stddef.h>

struct buf {
	char *base;
	size_t len, cap;
};

/* Room for n more bytes after len: 0, or -1 (out of memory). */
int buf_need(struct buf *b, size_t n);
/* Append n bytes: 0, or -1. */
int buf_put(struct buf *b, const void *p, size_t n);
/* Append zeros up to a multiple of align (at most 8): 0, or -1. */
int buf_pad(struct buf *b, size_t align);
/* Unmap it; b is empty again. */
void buf_free(struct buf *b);

#endif
