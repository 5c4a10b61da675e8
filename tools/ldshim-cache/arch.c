/* The four systems ldshim serves, as the cache sees them. */
#include "ldshim-cache.h"

#include <elf.h>
#include <stddef.h>
#include <string.h>

/* The subdirectories glibc 2.36's search of a directory (LD_LIBRARY_PATH,
 * RUNPATH) tries before the directory itself, when they exist:
 * glibc-hwcaps/<level>/ (x86_64 only in 2.36; refused everywhere, as later
 * versions add levels for other systems), and the legacy ones built from
 * "tls", the platform (AT_PLATFORM, or what glibc puts in its place) and
 * the "important" hwcap names, nested: tls/x86_64/x86_64/, tls/x86_64/,
 * tls/, x86_64/x86_64/, x86_64/. Seen with strace (x86_64) and qemu-user
 * -strace (the others); the names come from sysdeps/x86/dl-procinfo.c and
 * cpu-features.c, sysdeps/unix/sysv/linux/aarch64/dl-procinfo.h. */
static const char *const hwcaps_x86_64[] = {
	"glibc-hwcaps", "tls", "x86_64", "haswell", "xeon_phi", "avx512_1", 0
};
static const char *const hwcaps_i386[] = {
	"glibc-hwcaps", "tls", "i386", "i486", "i586", "i686", "sse2", 0
};
static const char *const hwcaps_aarch64[] = {
	"glibc-hwcaps", "tls", "aarch64", "atomics", 0
};
static const char *const hwcaps_riscv64[] = {
	"glibc-hwcaps", "tls", 0
};

/* abi_max: LIBC_ABI_MAX of glibc's libc-abis for the system (the
 * features UNIQUE, ABSOLUTE and, but on aarch64, IFUNC). char_signed:
 * the C ABI's plain char, which _dl_cache_libcmp compares. */
static const struct arch arches[] = {
	{ "x86_64", "libc6,x86-64", ELFCLASS64, EM_X86_64, 0, 4,
	  LDCACHE_FLAGS_X86_64, 1, hwcaps_x86_64 },
	{ "i386", "libc6", ELFCLASS32, EM_386, 0, 4,
	  LDCACHE_FLAGS_I386, 1, hwcaps_i386 },
	{ "aarch64", "libc6,AArch64", ELFCLASS64, EM_AARCH64, 0, 3,
	  LDCACHE_FLAGS_AARCH64, 0, hwcaps_aarch64 },
	{ "riscv64", "libc6,double-float", ELFCLASS64, EM_RISCV, EF_RISCV_FLOAT_ABI_DOUBLE, 4,
	  LDCACHE_FLAGS_RISCV64, 0, hwcaps_riscv64 },
};

const struct arch *arch_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof arches / sizeof *arches; i++)
		if (!strcmp(arches[i].name, name))
			return &arches[i];
	return 0;
}

const struct arch *arch_by_flags(uint32_t flags)
{
	for (size_t i = 0; i < sizeof arches / sizeof *arches; i++)
		if (arches[i].cache_flags == flags)
			return &arches[i];
	return 0;
}

const struct arch *arch_host(void)
{
#if defined __x86_64__
	return &arches[0];
#elif defined __i386__
	return &arches[1];
#elif defined __aarch64__
	return &arches[2];
#elif defined __riscv && __riscv_xlen == 64
	return &arches[3];
#else
	return 0;
#endif
}
