/* mmap and pread on the 64-bit architectures (x86_64, aarch64, riscv64):
 * mmap takes a byte offset and pread64 its offset in one register (i386
 * uses mmap2, in pages, and splits the offset: arch/i386/syscall.h).
 * Included by arch/<arch>/syscall.h after its arch_syscall6 and NR_*. */
#ifndef LDSHIM_ARCH_SYSCALL_LP64_H
#define LDSHIM_ARCH_SYSCALL_LP64_H

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
