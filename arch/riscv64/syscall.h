/* riscv64 system calls.
 *
 * - `ecall` takes the number in a7 and arguments in a0..a5; the result
 *   comes back in a0, -4095..-1 being -errno. Nothing else is clobbered.
 * - The numbers are the asm-generic ones (shared with aarch64).
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
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;

	__asm__ volatile("ecall"
	                 : "+r"(a0)
	                 : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
	                 : "memory");
	return a0;
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
