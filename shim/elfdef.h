/* The ELF and auxiliary-vector definitions the shim uses, written out here
 * so that the shim needs no libc headers (and cross builds no sysroot). */
#ifndef LDSHIM_ELFDEF_H
#define LDSHIM_ELFDEF_H

#include <stdint.h>

#define EI_MAG0 0
#define EI_MAG1 1
#define EI_MAG2 2
#define EI_MAG3 3
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define EI_OSABI 7
#define EI_ABIVERSION 8
#define EI_PAD 9
#define EI_NIDENT 16
#define EV_CURRENT 1
#define ELFOSABI_SYSV 0
#define ELFOSABI_GNU 3
#define ELFMAG0 0x7f
#define ELFMAG1 'E'
#define ELFMAG2 'L'
#define ELFMAG3 'F'
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_386 3
#define EM_X86_64 62
#define EM_AARCH64 183
#define EM_RISCV 243
#define EF_RISCV_FLOAT_ABI 0x6
#define EF_RISCV_FLOAT_ABI_DOUBLE 0x4
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_NOTE 4
#define PT_PHDR 6
#define DT_NULL 0
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6
#define DT_STRSZ 10
#define DT_RPATH 15
#define DT_RUNPATH 29
#define DT_GNU_HASH 0x6ffffef5
#define STT_OBJECT 1
#define STT_FUNC 2
#define PF_X 1
#define PF_W 2
#define PF_R 4

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_ENTRY 9
#define AT_UID 11
#define AT_SECURE 23

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Elf64_Phdr;

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint32_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf32_Ehdr;

typedef struct {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
} Elf32_Phdr;

typedef struct {
	uint32_t sh_name, sh_type;
	uint64_t sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info;
	uint64_t sh_addralign, sh_entsize;
} Elf64_Shdr;
typedef struct {
	uint32_t sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info, sh_addralign, sh_entsize;
} Elf32_Shdr;
#define SHT_PROGBITS 1
#define SHF_WRITE 1
#define SHF_ALLOC 2
#define SHF_EXECINSTR 4
#define PT_GNU_EH_FRAME 0x6474e550

typedef struct { int64_t d_tag; uint64_t d_val; } Elf64_Dyn;
typedef struct { int32_t d_tag; uint32_t d_val; } Elf32_Dyn;
typedef struct {
	uint32_t st_name;
	unsigned char st_info, st_other;
	uint16_t st_shndx;
	uint64_t st_value, st_size;
} Elf64_Sym;
typedef struct {
	uint32_t st_name, st_value, st_size;
	unsigned char st_info, st_other;
	uint16_t st_shndx;
} Elf32_Sym;

/* The four magic bytes at the start of e_ident. */
static inline int elf_magic_ok(const unsigned char *id)
{
	return id[EI_MAG0] == ELFMAG0 && id[EI_MAG1] == ELFMAG1 &&
	       id[EI_MAG2] == ELFMAG2 && id[EI_MAG3] == ELFMAG3;
}

#endif
