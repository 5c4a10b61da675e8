/* The asm-generic system call numbers (include/uapi/asm-generic/unistd.h),
 * shared by aarch64 and riscv64. Only the calls the shim makes. */
#ifndef LDSHIM_ARCH_SYSCALL_GENERIC_H
#define LDSHIM_ARCH_SYSCALL_GENERIC_H

#define NR_openat    56
#define NR_close     57
#define NR_read      63
#define NR_write     64
#define NR_pread64   67
#define NR_readlinkat 78
#define NR_getdents64 61
#define NR_mkdirat   34
#define NR_unlinkat  35
#define NR_renameat2 276
#define NR_mremap    216
#define NR_exit_group 94
#define NR_munmap    215
#define NR_mmap      222
#define NR_mprotect  226
#define NR_statx     291

#endif
