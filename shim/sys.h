/* System calls the shim makes, as thin wrappers over arch/<arch>/syscall.h.
 * Every sys_* returns the kernel's result: >= 0 on success, -errno on
 * failure. Nothing here touches a global. */
#ifndef LDSHIM_SYS_H
#define LDSHIM_SYS_H

#include <stddef.h>
#include <stdint.h>
#include "syscall.h"

#define AT_FDCWD_      (-100)
#define AT_EMPTY_PATH_ 0x1000
#define O_RDONLY_      0
#define O_NONBLOCK_    04000
#define O_CLOEXEC_     02000000
#define O_PATH_        010000000
#define PROT_NONE_     0
#define PROT_READ_     1
#define PROT_WRITE_    2
#define PROT_EXEC_     4
#define MAP_PRIVATE_   0x02
#define MAP_FIXED_     0x10
#define MAP_ANONYMOUS_ 0x20
#define MAP_NORESERVE_ 0x4000
#define STATX_TYPE_    0x1u
#define STATX_SIZE_    0x200u
#define S_IFMT_        0170000
#define S_IFREG_       0100000
#define S_IFDIR_       0040000

#ifndef ARCH_O_FLAGS
#define ARCH_O_FLAGS 0
#endif

/* The fields of struct statx the shim reads; the layout is the same on
 * every architecture. */
struct statx_ {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad0;
	uint64_t ino, size, blocks, attributes_mask;
	uint64_t rest[24];      /* times, devices, ...: the kernel fills 256 bytes */
};
_Static_assert(sizeof(struct statx_) == 256, "struct statx is 256 bytes");

static inline long sys_openat(int dirfd, const char *path)
{
	return arch_syscall6(NR_openat, dirfd, (long)path,
	                     O_RDONLY_ | O_NONBLOCK_ | O_CLOEXEC_ | ARCH_O_FLAGS,
	                     0, 0, 0);
}

static inline long sys_open(const char *path)
{
	return sys_openat(AT_FDCWD_, path);
}

static inline long sys_statx_fd(int fd, struct statx_ *st)
{
	return arch_syscall6(NR_statx, fd, (long)"", AT_EMPTY_PATH_,
	                     STATX_TYPE_ | STATX_SIZE_, (long)st, 0);
}

static inline long sys_statx_path(const char *path, struct statx_ *st)
{
	return arch_syscall6(NR_statx, AT_FDCWD_, (long)path, 0, STATX_TYPE_,
	                     (long)st, 0);
}

static inline long sys_pread(int fd, void *buf, size_t len, uint64_t off)
{
	return arch_pread(fd, buf, len, off);
}

static inline long sys_write(int fd, const void *buf, size_t len)
{
	return arch_syscall6(NR_write, fd, (long)buf, (long)len, 0, 0, 0);
}

static inline long sys_close(int fd)
{
	return arch_syscall6(NR_close, fd, 0, 0, 0, 0, 0);
}

static inline long sys_mmap(void *addr, size_t len, int prot, int flags,
                            int fd, uint64_t off)
{
	return arch_mmap(addr, len, prot, flags, fd, off);
}

static inline long sys_mprotect(void *addr, size_t len, int prot)
{
	return arch_syscall6(NR_mprotect, (long)addr, (long)len, prot, 0, 0, 0);
}

static inline long sys_munmap(void *addr, size_t len)
{
	return arch_syscall6(NR_munmap, (long)addr, (long)len, 0, 0, 0, 0);
}

__attribute__((noreturn)) static inline void sys_exit(int code)
{
	for (;;)
		arch_syscall6(NR_exit_group, code, 0, 0, 0, 0, 0);
}

/* mmap returns an address or -errno; errors are the top page. */
static inline int sys_failed(long r) { return (unsigned long)r > -4096UL; }

#endif
