/* The four systems ldshim serves, as a library cache sees them, and which
 * files each one's ld.so loads from a directory it searches: the same
 * tests, in the same order, as glibc 2.36's open_verify and
 * _dl_map_object_from_fd make on the ELF header. The outcome decides
 * whether ld.so skips the file and goes on to the next directory
 * (another class or machine) or stops with an error there. */
#include "ldcache-gen.h"
#include "elfdef.h"

/* hwcaps: the subdirectories glibc 2.36's search of a directory
 * (LD_LIBRARY_PATH, RUNPATH) tries before the directory itself, when
 * they exist: glibc-hwcaps/<level>/ (x86_64 only in 2.36; refused
 * everywhere, as later versions add levels for other systems), and the
 * legacy ones built from "tls", the platform (AT_PLATFORM, or what glibc
 * puts in its place) and the "important" hwcap names, nested:
 * tls/x86_64/x86_64/, tls/x86_64/, tls/, x86_64/x86_64/, x86_64/. Seen
 * with strace (x86_64) and qemu-user -strace (the others); the names come
 * from sysdeps/x86/dl-procinfo.c and cpu-features.c,
 * sysdeps/unix/sysv/linux/aarch64/dl-procinfo.h.
 *
 * abi_max: LIBC_ABI_MAX of glibc's libc-abis for the system (the features
 * UNIQUE, ABSOLUTE and, but on aarch64, IFUNC). char_signed: the C ABI's
 * plain char, which _dl_cache_libcmp compares. */
const struct ldcache_target ldcache_targets[LDCACHE_TARGETS] = {
	{ "x86_64", "libc6,x86-64", ELFCLASS64, 4, 1, EM_X86_64, 0, LDCACHE_FLAGS_X86_64,
	  "glibc-hwcaps\0tls\0x86_64\0haswell\0xeon_phi\0avx512_1\0" },
	{ "i386", "libc6", ELFCLASS32, 4, 1, EM_386, 0, LDCACHE_FLAGS_I386,
	  "glibc-hwcaps\0tls\0i386\0i486\0i586\0i686\0sse2\0" },
	{ "aarch64", "libc6,AArch64", ELFCLASS64, 3, 0, EM_AARCH64, 0, LDCACHE_FLAGS_AARCH64,
	  "glibc-hwcaps\0tls\0aarch64\0atomics\0" },
	{ "riscv64", "libc6,double-float", ELFCLASS64, 4, 0, EM_RISCV, EF_RISCV_FLOAT_ABI_DOUBLE,
	  LDCACHE_FLAGS_RISCV64, "glibc-hwcaps\0tls\0" },
};

const struct ldcache_target *ldcache_target_by_flags(uint32_t flags)
{
	for (size_t i = 0; i < LDCACHE_TARGETS; i++)
		if (ldcache_targets[i].cache_flags == flags)
			return &ldcache_targets[i];
	return 0;
}

static unsigned u16(const unsigned char *p) { return p[0] | p[1] << 8; }
static uint32_t u32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static int machine_ok(const struct ldcache_target *t, const unsigned char *h)
{
	if (u16(h + 18) != t->machine)
		return 0;
	/* riscv's ld.so also wants its float ABI (elf_machine_matches_host). */
	if (t->machine == EM_RISCV) {
		uint32_t flags = u32(h + (t->elf_class == ELFCLASS64 ? 48 : 36));
		return (flags & EF_RISCV_FLOAT_ABI) == t->riscv_float_abi;
	}
	return 1;
}

/* e_ident as the target's ld.so wants it, and why not. */
static const char *ident_bad(const struct ldcache_target *t, const unsigned char *h)
{
	unsigned osabi = h[EI_OSABI], abiv = h[EI_ABIVERSION];
	int pad = 0;
	for (int i = EI_PAD; i < EI_NIDENT; i++)
		pad |= h[i];
	if (h[EI_DATA] != ELFDATA2LSB)
		return "not little-endian";
	if (h[EI_VERSION] != EV_CURRENT)
		return "bad ELF ident version";
	if (osabi != ELFOSABI_SYSV && osabi != ELFOSABI_GNU)
		return "ELF OS ABI invalid";
	if (pad)
		return "nonzero padding in e_ident";
	if (abiv != 0 && !(osabi == ELFOSABI_GNU && abiv < t->abi_max))
		return "ELF ABI version invalid";
	return 0;
}

enum ldcache_verdict ldcache_elf_verdict(const struct ldcache_target *t, const unsigned char *h,
                                         size_t len, const char **why)
{
	int is64 = t->elf_class == ELFCLASS64;
	size_t ehdr_size = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	if (len < ehdr_size) {
		/* ld.so reads a whole header of its class before any test. */
		*why = len >= 4 && elf_magic_ok(h) ? "file too short" : "not an ELF file";
		return LDCACHE_STOP;
	}
	if (!elf_magic_ok(h)) {
		*why = "not an ELF file";
		return LDCACHE_STOP;
	}
	/* Only another class or machine is not an error to ld.so. */
	if (h[EI_CLASS] != t->elf_class) {
		*why = "another ELF class";
		return LDCACHE_OTHER;
	}
	const char *bad = ident_bad(t, h);
	if (bad && !machine_ok(t, h)) {
		*why = "another machine";
		return LDCACHE_OTHER;
	}
	if (bad) {
		*why = bad;
		return LDCACHE_STOP;
	}
	if (u32(h + 20) != EV_CURRENT) {
		*why = "bad ELF version";
		return LDCACHE_STOP;
	}
	if (!machine_ok(t, h)) {
		*why = "another machine";
		return LDCACHE_OTHER;
	}
	unsigned type = u16(h + 16);
	if (type != ET_DYN && type != ET_EXEC) {
		*why = "not a shared object (only ET_DYN and ET_EXEC load)";
		return LDCACHE_STOP;
	}
	unsigned phentsize = u16(h + (is64 ? 54 : 42));
	if (phentsize != (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr))) {
		*why = "bad program header entry size";
		return LDCACHE_STOP;
	}
	/* Found and opened, then refused: "cannot dynamically load executable". */
	if (type == ET_EXEC) {
		*why = "an executable, not a library (ET_EXEC)";
		return LDCACHE_STOP;
	}
	return LDCACHE_USABLE;
}
