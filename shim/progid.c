/* The program itself, read where the kernel mapped it (interpreter mode)
 * or from its file (run as a command): its GNU build-id, which the
 * configuration's sections match, and its DT_RUNPATH, which the last
 * resort puts before the Nix path (progid.h). Nothing here trusts the
 * program: every offset is checked against what it points into. */
#include "progid.h"
#include "arch.h"
#include "str.h"
#include "sys.h"

#define NT_GNU_BUILD_ID_ 3
#define MAX_PHNUM 1024

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

/* The program's program headers as the kernel mapped them (AT_PHDR,
 * AT_PHNUM) and its load bias. 0 when found, -1 when not. */
struct prog_headers {
	const ElfW(Phdr) *ph;
	uintptr_t n;
	uintptr_t bias;
};
static int prog_headers(struct prog_headers *h, const struct image *im)
{
	uintptr_t at = aux_get(im, AT_PHDR, 0), n = aux_get(im, AT_PHNUM, 0);
	const ElfW(Phdr) *ph = (const void *)at;
	if (!at || !n || n > MAX_PHNUM || at % _Alignof(ElfW(Phdr)))
		return -1;
	h->ph = ph;
	h->n = n;
	for (uintptr_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_PHDR) {
			h->bias = at - ph[i].p_vaddr;
			return 0;
		}
	/* No PT_PHDR: the ELF header is mapped right before the program
	 * headers when they follow it in the file, which is where linkers
	 * put them; believe it only if it says so. */
	const ElfW(Ehdr) *eh = (const void *)(at - sizeof(ElfW(Ehdr)));
	uintptr_t first = ~(uintptr_t)0;
	if (at % 4096 < sizeof *eh || !elf_magic_ok(eh->e_ident) ||
	    eh->e_phoff != sizeof *eh || eh->e_phnum != n)
		return -1;
	for (uintptr_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0 && ph[i].p_vaddr < first)
			first = ph[i].p_vaddr;
	if (first == ~(uintptr_t)0)
		return -1;
	h->bias = (uintptr_t)eh - first;
	return 0;
}

/* Interpreter mode: the build-id from the program's notes, as the kernel
 * mapped them (AT_PHDR); no file is read. */
void config_id_from_memory(struct config_id *id, const struct image *im)
{
	struct prog_headers h;
	if (prog_headers(&h, im))
		return;
	const ElfW(Phdr) *ph = h.ph;
	uintptr_t bias = h.bias;
	for (uintptr_t i = 0; i < h.n; i++) {
		if (ph[i].p_type != PT_NOTE)
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
		if (phdr_buf[i].p_type == PT_NOTE &&
		    (b = file_note_build_id((int)fd, &phdr_buf[i], &len))) {
			id->build_id = b;
			id->build_id_len = len;
			break;
		}
	}
	sys_close((int)fd);
}

/* ---- the program's own DT_RUNPATH (the last resort, prepare.c) ---- */

/* The PT_LOAD whose file bytes hold [vaddr, vaddr + len), or NULL. */
static const ElfW(Phdr) *holding(const ElfW(Phdr) *ph, uintptr_t n,
                                 uint64_t vaddr, uint64_t len)
{
	for (uintptr_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && vaddr >= ph[i].p_vaddr &&
		    len <= ph[i].p_filesz && vaddr - ph[i].p_vaddr <= ph[i].p_filesz - len)
			return &ph[i];
	return 0;
}

/* DT_STRTAB, DT_STRSZ and DT_RUNPATH from n entries; 0 if there is no
 * RUNPATH (a DT_RPATH alone is searched before any library path). */
static int runpath_tags(const ElfW(Dyn) *d, size_t n, uint64_t *strtab,
                        uint64_t *strsz, uint64_t *off)
{
	int have = 0;
	*strtab = *strsz = 0;
	for (size_t i = 0; i < n && d[i].d_tag != DT_NULL; i++) {
		if (d[i].d_tag == DT_STRTAB)
			*strtab = d[i].d_val;
		else if (d[i].d_tag == DT_STRSZ)
			*strsz = d[i].d_val;
		else if (d[i].d_tag == DT_RUNPATH) {
			*off = d[i].d_val;
			have = 1;
		}
	}
	return have && *strtab && *off < *strsz;
}

const char *runpath_from_memory(const struct image *im)
{
	struct prog_headers h;
	if (prog_headers(&h, im))
		return 0;
	const ElfW(Phdr) *dyn = 0;
	for (uintptr_t i = 0; i < h.n; i++)
		if (h.ph[i].p_type == PT_DYNAMIC)
			dyn = &h.ph[i];
	if (!dyn || !holding(h.ph, h.n, dyn->p_vaddr, dyn->p_filesz) ||
	    (h.bias + (uintptr_t)dyn->p_vaddr) % _Alignof(ElfW(Dyn)))
		return 0;
	uint64_t strtab, strsz, off;
	if (!runpath_tags((const void *)(h.bias + (uintptr_t)dyn->p_vaddr),
	                  dyn->p_filesz / sizeof(ElfW(Dyn)), &strtab, &strsz, &off) ||
	    !holding(h.ph, h.n, strtab, strsz))
		return 0;
	const char *s = (const char *)(h.bias + (uintptr_t)(strtab + off));
	for (uint64_t i = 0; i < strsz - off; i++)
		if (!s[i])
			return s;
	return 0;
}

/* Run as a command, the program is a file ld.so has not opened yet. */
static ElfW(Dyn) dyns[512];
static char value[PATH_MAX_RUNPATH];

static const char *runpath_of_fd(int fd)
{
	unsigned nph = read_phdrs(fd);
	const ElfW(Phdr) *dyn = 0, *seg;
	for (unsigned i = 0; i < nph; i++)
		if (phdr_buf[i].p_type == PT_DYNAMIC)
			dyn = &phdr_buf[i];
	if (!dyn)
		return 0;
	size_t n = dyn->p_filesz < sizeof dyns ? dyn->p_filesz : sizeof dyns;
	long got = sys_pread(fd, dyns, n, dyn->p_offset);
	uint64_t strtab, strsz, off;
	if (got <= 0 ||
	    !runpath_tags(dyns, (size_t)got / sizeof *dyns, &strtab, &strsz, &off) ||
	    !(seg = holding(phdr_buf, nph, strtab, strsz)))
		return 0;
	n = strsz - off < sizeof value ? (size_t)(strsz - off) : sizeof value;
	got = sys_pread(fd, value, n, seg->p_offset + (strtab - seg->p_vaddr) + off);
	for (long i = 0; i < got; i++)
		if (!value[i])
			return value;
	return 0;
}

const char *runpath_from_file(const char *prog)
{
	long fd = sys_open(prog);
	if (fd < 0)
		return 0;
	const char *r = runpath_of_fd((int)fd);
	sys_close((int)fd);
	return r;
}
