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

/* mmap takes a byte offset here (i386 uses mmap2, in pages). */
static inline long arch_mmap(void *addr, unsigned long len, int prot,
                             int flags, int fd, unsigned long off)
{
	return arch_syscall6(NR_mmap, (long)addr, (long)len, prot, flags, fd,
	                     (long)off);
}

static inline long arch_pread(int fd, void *buf, unsigned long len,
                              unsigned long off)
{
	return arch_syscall6(NR_pread64, fd, (long)buf, (long)len, (long)off,
	                     0, 0);
}

#endif
