/* The program's identity (progid.h). */
#include "progid.h"
#include "arch.h"
#include "str.h"
#include "sys.h"

#define PT_NOTE_    4
#define PT_PHDR_    6
#define NT_GNU_BUILD_ID_ 3

const unsigned char *config_note_build_id(const unsigned char *p, size_t len,
                                          size_t align, size_t *id_len)
{
	if (align != 8)
		align = 4;
	size_t off = 0;
	while (len - off >= 12) {
		uint32_t w[3];
		mem_put((char *)w, (const char *)p + off, 12);
		size_t nsz = w[0], dsz = w[1];
		size_t name_end = 12 + ((nsz + align - 1) & ~(align - 1));
		if (nsz > len || dsz > len || name_end > len - off)
			return 0;
		size_t desc_end = name_end + ((dsz + align - 1) & ~(align - 1));
		if (desc_end > len - off)
			desc_end = len - off;
		if (name_end + dsz > len - off)
			return 0;
		if (w[2] == NT_GNU_BUILD_ID_ && nsz == 4 && p[off + 12] == 'G' &&
		    p[off + 13] == 'N' && p[off + 14] == 'U' && p[off + 15] == 0 &&
		    dsz > 0 && dsz <= CONFIG_ID_MAX) {
			*id_len = dsz;
			return p + off + name_end;
		}
		off += desc_end;
	}
	return 0;
}

/* Where the program's headers ph[0..n) at `at` are mapped: its load
 * bias, or 0 when that cannot be told. */
static int mapped_bias(const ElfW(Phdr) *ph, uintptr_t n, uintptr_t at, uintptr_t *bias)
{
	int have = 0;
	for (uintptr_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_PHDR_) {
			*bias = at - ph[i].p_vaddr;
			have = 1;
		}
	if (have)
		return 1;
	/* No PT_PHDR: the ELF header is mapped right before the program
	 * headers when they follow it in the file, which is where linkers
	 * put them; believe it only if it says so. */
	const ElfW(Ehdr) *eh = (const void *)(at - sizeof(ElfW(Ehdr)));
	uintptr_t first = ~(uintptr_t)0;
	if (at % 4096 < sizeof *eh || !elf_magic_ok(eh->e_ident) ||
	    eh->e_phoff != sizeof *eh ||
	    eh->e_phnum != n)
		return 0;
	for (uintptr_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0 && ph[i].p_vaddr < first)
			first = ph[i].p_vaddr;
	if (first == ~(uintptr_t)0)
		return 0;
	*bias = (uintptr_t)eh - first;
	return 1;
}

/* Interpreter mode: the build-id from the program's notes, as the kernel
 * mapped them (AT_PHDR); no file is read. */
void config_id_from_memory(struct config_id *id, const struct image *im)
{
	uintptr_t at = aux_get(im, AT_PHDR, 0), n = aux_get(im, AT_PHNUM, 0);
	const ElfW(Phdr) *ph = (const void *)at;
	uintptr_t bias = 0;
	if (!at || n > 1024 || !mapped_bias(ph, n, at, &bias))
		return;
	for (uintptr_t i = 0; i < n; i++) {
		if (ph[i].p_type != PT_NOTE_)
			continue;
		size_t len;
		const unsigned char *b = config_note_build_id(
			(const void *)(bias + ph[i].p_vaddr), ph[i].p_filesz, ph[i].p_align, &len);
		if (b) {
			id->build_id = b;
			id->build_id_len = len;
			return;
		}
	}
}

/* Explicit invocation: the program is a file; its build-id is read from
 * its notes (ld.so is about to read the same pages anyway). */
static unsigned char id_bytes[CONFIG_ID_MAX];
static unsigned char note_buf[4096];
static ElfW(Phdr) phdr_buf[64];

/* The ELF file fd's program headers, into phdr_buf: how many, or 0. */
static unsigned read_phdrs(int fd)
{
	ElfW(Ehdr) eh;
	if (sys_pread(fd, &eh, sizeof eh, 0) != (long)sizeof eh || !elf_magic_ok(eh.e_ident) ||
	    eh.e_ident[EI_CLASS] != ARCH_CLASS || eh.e_phentsize != sizeof(ElfW(Phdr)) ||
	    eh.e_phnum > sizeof phdr_buf / sizeof *phdr_buf)
		return 0;
	long want = (long)(eh.e_phnum * sizeof(ElfW(Phdr)));
	return sys_pread(fd, phdr_buf, (size_t)want, eh.e_phoff) == want ? eh.e_phnum : 0;
}

/* The build-id in the notes of segment ph, copied to id_bytes, or NULL. */
static const unsigned char *file_note_build_id(int fd, const ElfW(Phdr) *ph, size_t *len)
{
	size_t n = ph->p_filesz < sizeof note_buf ? ph->p_filesz : sizeof note_buf;
	long got = sys_pread(fd, note_buf, n, ph->p_offset);
	const unsigned char *b = got > 0 ?
		config_note_build_id(note_buf, (size_t)got, ph->p_align, len) : 0;
	if (!b)
		return 0;
	mem_put((char *)id_bytes, (const char *)b, *len);
	return id_bytes;
}

void config_id_from_file(struct config_id *id, const char *prog)
{
	long fd = sys_open(prog);
	if (fd < 0)
		return;
	unsigned n = read_phdrs((int)fd);
	for (unsigned i = 0; i < n; i++) {
		size_t len;
		const unsigned char *b;
		if (phdr_buf[i].p_type == PT_NOTE_ &&
		    (b = file_note_build_id((int)fd, &phdr_buf[i], &len))) {
			id->build_id = b;
			id->build_id_len = len;
			break;
		}
	}
	sys_close((int)fd);
}
