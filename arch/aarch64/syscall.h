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

#include "../common/syscall-generic.h"

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

#include "../common/syscall-lp64.h"

/* open(2) flags that differ per architecture: arm64 has its own
 * (asm/fcntl.h). */
#define ARCH_O_DIRECTORY 040000
#define ARCH_O_NOFOLLOW  0100000

#endif
