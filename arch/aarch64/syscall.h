/* aarch64 system calls.
 *
 * - `svc #0` takes the number in x8 and arguments in x0..x5; the result
 *   comes back in x0, -4095..-1 being -errno. Nothing else is clobbered.
 * - The numbers are the asm-generic ones (shared with riscv64).
 *
 * Only the calls the shim makes are numbered here; shim/sys.h wraps them.
 */
#ifndef LDSHIM_ARCH_SYSCALL_H
#define LDSHIM_ARCH_SYSCALL_H

#define NR_openat    56
#define NR_close     57
#define NR_read      63
#define NR_write     64
#define NR_pread64   67
#define NR_exit_group 94
#define NR_munmap    215
#define NR_mmap      222
#define NR_mprotect  226
#define NR_statx     291
#define NR_readlinkat 78

static inline long arch_syscall6(long n, long a, long b, long c, long d,
                                 long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"
	                 : "+r"(x0)
	                 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
	                 : "memory");
	return x0;
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
