/* i386 system calls.
 *
 * - `int $0x80` takes the number in %eax and arguments in %ebx, %ecx,
 *   %edx, %esi, %edi, %ebp; the result comes back in %eax, -4095..-1
 *   being -errno. Nothing else is clobbered.
 * - %ebp cannot be named as an asm operand, and %ebx may be gcc's PIC
 *   register: the number and the sixth argument go in memory, and %ebp is
 *   saved around the call.
 * - 64-bit file offsets: mmap2 takes the offset in 4096-byte units,
 *   pread64 as two words (low, high); open needs O_LARGEFILE or a file
 *   over 2 GiB fails with EOVERFLOW.
 *
 * Only the calls the shim makes are numbered here; shim/sys.h wraps them.
 */
#ifndef LDSHIM_ARCH_SYSCALL_H
#define LDSHIM_ARCH_SYSCALL_H

#include <stdint.h>

#define NR_read      3
#define NR_write     4
#define NR_close     6
#define NR_munmap    91
#define NR_mprotect  125
#define NR_pread64   180
#define NR_mmap2     192
#define NR_exit_group 252
#define NR_openat    295
#define NR_statx     383
#define NR_readlinkat 305
#define NR_getdents64    220
#define NR_mkdirat       296
#define NR_unlinkat      301
#define NR_renameat2     353
#define NR_mremap        163

#define ARCH_O_FLAGS 0100000   /* O_LARGEFILE */

static inline long arch_syscall6(long n, long a, long b, long c, long d,
                                 long e, long f)
{
	const long nf[2] = { n, f };
	long ret;

	__asm__ volatile("pushl %%ebp\n\t"
	                 "movl 4(%%eax), %%ebp\n\t"
	                 "movl (%%eax), %%eax\n\t"
	                 "int $0x80\n\t"
	                 "popl %%ebp"
	                 : "=a"(ret)
	                 : "a"(nf), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e),
	                   "m"(nf)
	                 : "memory");
	return ret;
}

static inline long arch_mmap(void *addr, unsigned long len, int prot,
                             int flags, int fd, uint64_t off)
{
	return arch_syscall6(NR_mmap2, (long)addr, (long)len, prot, flags, fd,
	                     (long)(off >> 12));
}

static inline long arch_pread(int fd, void *buf, unsigned long len,
                              uint64_t off)
{
	return arch_syscall6(NR_pread64, fd, (long)buf, (long)len,
	                     (long)(uint32_t)off, (long)(uint32_t)(off >> 32), 0);
}

/* open(2) flags that differ per architecture (asm/fcntl.h). */
#define ARCH_O_DIRECTORY 0200000
#define ARCH_O_NOFOLLOW  0400000

#endif
