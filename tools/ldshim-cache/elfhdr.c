/* Is this file a library the real ld.so would load from a directory it
 * searches? The same tests, in the same order, as glibc 2.36's
 * open_verify and _dl_map_object_from_fd make on the ELF header: the
 * outcome decides whether ld.so skips the file and goes on to the next
 * directory (another class or machine) or stops with an error there. */
#include "ldshim-cache.h"

#include <elf.h>

static unsigned u16(const unsigned char *p) { return p[0] | p[1] << 8; }
static uint32_t u32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

static int machine_ok(const struct arch *a, const unsigned char *h)
{
	if (u16(h + 18) != a->machine)
		return 0;
	/* riscv's ld.so also wants its float ABI (elf_machine_matches_host). */
	if (a->machine == EM_RISCV) {
		uint32_t flags = u32(h + (a->elf_class == ELFCLASS64 ? 48 : 36));
		return (flags & EF_RISCV_FLOAT_ABI) == a->riscv_float_abi;
	}
	return 1;
}

enum verdict elf_verdict(const struct arch *a, const unsigned char *h, size_t len,
			 const char **why)
{
	int is64 = a->elf_class == ELFCLASS64;
	size_t ehdr_size = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	if (len < ehdr_size) {
		/* ld.so reads a whole header of its class before any test. */
		*why = len >= SELFMAG && h[0] == ELFMAG0 && h[1] == ELFMAG1 && h[2] == ELFMAG2 &&
		       h[3] == ELFMAG3 ? "file too short" : "not an ELF file";
		return V_STOP;
	}
	if (h[0] != ELFMAG0 || h[1] != ELFMAG1 || h[2] != ELFMAG2 || h[3] != ELFMAG3) {
		*why = "not an ELF file";
		return V_STOP;
	}
	unsigned osabi = h[EI_OSABI], abiv = h[EI_ABIVERSION];
	int pad = 0;
	for (int i = EI_PAD; i < EI_NIDENT; i++)
		pad |= h[i];
	if (h[EI_CLASS] != a->elf_class || h[EI_DATA] != ELFDATA2LSB ||
	    h[EI_VERSION] != EV_CURRENT || (osabi != ELFOSABI_SYSV && osabi != ELFOSABI_GNU) ||
	    (abiv != 0 && !(osabi == ELFOSABI_GNU && abiv < a->abi_max)) || pad) {
		/* Only another class or machine is not an error to ld.so. */
		if (h[EI_CLASS] != a->elf_class) {
			*why = "another ELF class";
			return V_OTHER;
		}
		if (!machine_ok(a, h)) {
			*why = "another machine";
			return V_OTHER;
		}
		*why = h[EI_DATA] != ELFDATA2LSB ? "not little-endian" :
		       h[EI_VERSION] != EV_CURRENT ? "bad ELF ident version" :
		       osabi != ELFOSABI_SYSV && osabi != ELFOSABI_GNU ? "ELF OS ABI invalid" :
		       pad ? "nonzero padding in e_ident" : "ELF ABI version invalid";
		return V_STOP;
	}
	if (u32(h + 20) != EV_CURRENT) {
		*why = "bad ELF version";
		return V_STOP;
	}
	if (!machine_ok(a, h)) {
		*why = "another machine";
		return V_OTHER;
	}
	unsigned type = u16(h + 16);
	if (type != ET_DYN && type != ET_EXEC) {
		*why = "not a shared object (only ET_DYN and ET_EXEC load)";
		return V_STOP;
	}
	unsigned phentsize = u16(h + (is64 ? 54 : 42));
	if (phentsize != (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr))) {
		*why = "bad program header entry size";
		return V_STOP;
	}
	/* Found and opened, then refused: "cannot dynamically load executable". */
	if (type == ET_EXEC) {
		*why = "an executable, not a library (ET_EXEC)";
		return V_STOP;
	}
	return V_USABLE;
}
