/* Growing buffers (membuf.h): the shim has no heap, and what it builds
 * for a library cache grows with the directories it reads. Doubling
 * keeps the copies mremap makes (if any) to a constant per byte. */
#include "membuf.h"
#include "str.h"
#include "sys.h"

#define MREMAP_MAYMOVE_ 1

int buf_need(struct buf *b, size_t n)
{
	if (b->len + n <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 1u << 16;
	while (b->len + n > cap)
		cap *= 2;
	long m = b->base
	         ? arch_syscall6(NR_mremap, (long)b->base, (long)b->cap, (long)cap,
	                         MREMAP_MAYMOVE_, 0, 0)
	         : sys_mmap(0, cap, PROT_READ_ | PROT_WRITE_, MAP_PRIVATE_ | MAP_ANONYMOUS_, -1, 0);
	if (sys_failed(m))
		return -1;
	b->base = (char *)m;
	b->cap = cap;
	return 0;
}

int buf_put(struct buf *b, const void *p, size_t n)
{
	if (buf_need(b, n))
		return -1;
	mem_put(b->base + b->len, p, n);
	b->len += n;
	return 0;
}

int buf_pad(struct buf *b, size_t align)
{
	static const char zero[8];
	return buf_put(b, zero, (align - b->len % align) % align);
}

void buf_free(struct buf *b)
{
	if (b->base)
		sys_munmap(b->base, b->cap);
	b->base = 0;
	b->len = b->cap = 0;
}
