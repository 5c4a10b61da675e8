/* x86_64 system calls.
 *
 * - `syscall` takes the number in %rax and arguments in %rdi, %rsi, %rdx,
 *   %r10, %r8, %r9; the result comes back in %rax, -4095..-1 being -errno.
 * - The instruction clobbers %rcx (return address) and %r11 (flags).
 *
 * Only the calls the shim makes are numbered here; shim/sys.h wraps them.
 */
#ifndef LDSHIM_ARCH_SYSCALL_H
#define LDSHIM_ARCH_SYSCALL_H

#define NR_read      0
#define NR_write     1
#define NR_close     3
#define NR_mmap      9
#define NR_mprotect  10
#define NR_munmap    11
#define NR_pread64   17
#define NR_exit_group 231
#define NR_openat    257
#define NR_statx     332
#define NR_readlinkat 267
#define NR_getdents64    217
#define NR_mkdirat       258
#define NR_unlinkat      263
#define NR_renameat2     316
#define NR_mremap        25

static inline long arch_syscall6(long n, long a, long b, long c, long d,
                                 long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
	                   "r"(r9)
	                 : "rcx", "r11", "memory");
	return ret;
}

#include "../common/syscall-lp64.h"

/* open(2) flags that differ per architecture (asm/fcntl.h). */
#define ARCH_O_DIRECTORY 0200000
#define ARCH_O_NOFOLLOW  0400000

#endif
