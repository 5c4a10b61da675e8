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

#include "../common/syscall-generic.h"

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

#include "../common/syscall-lp64.h"

/* open(2) flags that differ per architecture (asm/fcntl.h). */
#define ARCH_O_DIRECTORY 0200000
#define ARCH_O_NOFOLLOW  0400000

#endif
