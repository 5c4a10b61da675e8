/* The ELF reader. The file is mapped once and every read goes through
 * get()/str() below, which check the offset against the file's size: a
 * truncated or hostile file yields an error string, never a bad read.
 * Addresses in the dynamic section are turned into file offsets through
 * the PT_LOAD segments, as ld.so sees them (section headers are only a
 * hint, stripped files have none). */
#include "elfobj.h"
#include "util.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* More would only come from a hostile file; stop there. */
#define MAX_ITEMS 65536

struct load {
	uint64_t vaddr, memsz, offset, filesz;
};

struct reader {
	struct elfobj *o;
	const unsigned char *p;
	size_t size;
	int bad;		/* a read went out of bounds */
	struct load *loads;
	size_t n_loads;
};

static uint64_t get(struct reader *r, uint64_t off, unsigned width)
{
	if (off > r->size || width > r->size - off) {
		r->bad = 1;
		return 0;
	}
	const unsigned char *b = r->p + off;
	uint64_t v = 0;
	for (unsigned i = 0; i < width; i++) {
		unsigned shift = r->o->data == ELFDATA2MSB ? 8 * (width - 1 - i) : 8 * i;
		v |= (uint64_t)b[i] << shift;
	}
	return v;
}

/* A word of the file's class: 4 bytes in ELF32, 8 in ELF64. */
static uint64_t word(struct reader *r, uint64_t off)
{
	return get(r, off, r->o->cls == ELFCLASS64 ? 8 : 4);
}

/* A NUL-terminated string at OFF that ends before END (and the file). */
static const char *str(struct reader *r, uint64_t off, uint64_t end)
{
	if (end > r->size)
		end = r->size;
	if (off >= end || !memchr(r->p + off, 0, end - off))
		return 0;
	return (const char *)r->p + off;
}

/* The file offset of virtual address VADDR holding LEN bytes, or -1. */
static uint64_t offset_of(struct reader *r, uint64_t vaddr, uint64_t len)
{
	for (size_t i = 0; i < r->n_loads; i++) {
		struct load *l = &r->loads[i];
		if (vaddr >= l->vaddr && vaddr - l->vaddr < l->filesz &&
		    len <= l->filesz - (vaddr - l->vaddr))
			return l->offset + (vaddr - l->vaddr);
	}
	return (uint64_t)-1;
}

static const char *dynstr(struct reader *r, uint64_t off)
{
	struct elfobj *o = r->o;
	if (o->strtab == (uint64_t)-1 || off >= o->strsz)
		return 0;
	return str(r, o->strtab + off, o->strtab + o->strsz);
}

static void read_verdefs(struct reader *r, uint64_t off, uint64_t count)
{
	struct elfobj *o = r->o;
	size_t cap = 0, icap = 0;
	for (uint64_t i = 0; i < count && i < MAX_ITEMS; i++) {
		/* Elf_Verdef: version, flags, ndx (16), cnt (16), hash, aux, next (32) */
		uint16_t flags = get(r, off + 2, 2), ndx = get(r, off + 4, 2);
		uint64_t aux = get(r, off + 12, 4), next = get(r, off + 16, 4);
		if (r->bad)
			return;
		if (!(flags & VER_FLG_BASE)) {
			const char *name = dynstr(r, get(r, off + aux, 4));
			if (name) {
				grow(&o->verdefs, &cap, o->n_verdefs + 1, sizeof *o->verdefs);
				grow(&o->verdef_index, &icap, o->n_verdefs + 1, sizeof *o->verdef_index);
				o->verdef_index[o->n_verdefs] = ndx & 0x7fff;
				o->verdefs[o->n_verdefs++] = name;
			}
		}
		if (!next)
			return;
		off += next;
	}
}

static void read_verneeds(struct reader *r, uint64_t off, uint64_t count)
{
	struct elfobj *o = r->o;
	size_t cap = 0;
	for (uint64_t i = 0; i < count && i < MAX_ITEMS; i++) {
		/* Elf_Verneed: version, cnt (16), file, aux, next (32) */
		uint16_t cnt = get(r, off + 2, 2);
		const char *file = dynstr(r, get(r, off + 4, 4));
		uint64_t aux = off + get(r, off + 8, 4), next = get(r, off + 12, 4);
		if (r->bad)
			return;
		for (unsigned j = 0; j < cnt && file; j++) {
			/* Elf_Vernaux: hash (32), flags, other (16), name, next (32) */
			uint16_t flags = get(r, aux + 4, 2), other = get(r, aux + 6, 2);
			const char *name = dynstr(r, get(r, aux + 8, 4));
			uint64_t anext = get(r, aux + 12, 4);
			if (r->bad)
				return;
			if (name && o->n_vneeds < MAX_ITEMS) {
				grow(&o->vneeds, &cap, o->n_vneeds + 1, sizeof *o->vneeds);
				o->vneeds[o->n_vneeds++] = (struct vneed){
					file, name, other & 0x7fff, !!(flags & VER_FLG_WEAK) };
			}
			if (!anext)
				break;
			aux += anext;
		}
		if (!next)
			return;
		off += next;
	}
}

/* How many .dynsym entries: from the section header if there is one,
 * else DT_HASH's chain count, else by walking DT_GNU_HASH. */
static uint64_t count_symbols(struct reader *r, uint64_t hash, uint64_t gnu_hash)
{
	struct elfobj *o = r->o;
	int is64 = o->cls == ELFCLASS64;
	uint64_t shoff = word(r, is64 ? 0x28 : 0x20);
	uint16_t shentsize = get(r, is64 ? 0x3a : 0x2e, 2), shnum = get(r, is64 ? 0x3c : 0x30, 2);
	r->bad = 0;
	if (shoff && shentsize >= (is64 ? 64 : 40)) {
		for (unsigned i = 0; i < shnum; i++) {
			uint64_t sh = shoff + (uint64_t)i * shentsize;
			if (get(r, sh + 4, 4) != SHT_DYNSYM)
				continue;
			uint64_t off = word(r, sh + (is64 ? 0x18 : 0x10));
			uint64_t size = word(r, sh + (is64 ? 0x20 : 0x14));
			if (!r->bad && off == o->symtab)
				return size / o->syment;
		}
		r->bad = 0;
	}
	if (hash != (uint64_t)-1) {
		uint64_t n = get(r, hash + 4, 4);
		if (!r->bad)
			return n;
		r->bad = 0;
	}
	if (gnu_hash != (uint64_t)-1) {
		uint64_t nbuckets = get(r, gnu_hash, 4), symoff = get(r, gnu_hash + 4, 4);
		uint64_t bloom = get(r, gnu_hash + 8, 4);
		uint64_t buckets = gnu_hash + 16 + bloom * (is64 ? 8 : 4);
		uint64_t max = 0;
		for (uint64_t i = 0; i < nbuckets && !r->bad; i++) {
			uint64_t b = get(r, buckets + 4 * i, 4);
			if (b > max)
				max = b;
		}
		if (r->bad || max < symoff) {
			r->bad = 0;
			return symoff;
		}
		uint64_t chains = buckets + 4 * nbuckets;
		while (!(get(r, chains + 4 * (max - symoff), 4) & 1) && !r->bad)
			max++;
		r->bad = 0;
		return max + 1;
	}
	return 0;
}

static const char *parse(struct reader *r)
{
	struct elfobj *o = r->o;
	const unsigned char *p = r->p;
	if (r->size < EI_NIDENT || memcmp(p, ELFMAG, SELFMAG))
		return "not an ELF file";
	o->cls = p[EI_CLASS];
	o->data = p[EI_DATA];
	if (o->cls != ELFCLASS32 && o->cls != ELFCLASS64)
		return "invalid ELF class";
	if (o->data != ELFDATA2LSB && o->data != ELFDATA2MSB)
		return "invalid ELF data encoding";
	int is64 = o->cls == ELFCLASS64;
	if (r->size < (is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return "truncated ELF header";
	o->type = get(r, 16, 2);
	o->machine = get(r, 18, 2);
	uint64_t phoff = word(r, is64 ? 0x20 : 0x1c);
	uint16_t phentsize = get(r, is64 ? 0x36 : 0x2a, 2), phnum = get(r, is64 ? 0x38 : 0x2c, 2);
	if (o->type != ET_EXEC && o->type != ET_DYN)
		return 0;	/* a relocatable object or core: nothing to load */
	if (phnum && phentsize < (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)))
		return "invalid program header size";
	if (phoff > r->size || (uint64_t)phnum * phentsize > r->size - phoff)
		return "truncated program headers";

	uint64_t dyn_off = 0, dyn_size = 0;
	int has_dyn = 0;
	size_t cap = 0;
	for (unsigned i = 0; i < phnum; i++) {
		uint64_t ph = phoff + (uint64_t)i * phentsize;
		uint32_t type = get(r, ph, 4);
		uint64_t offset = word(r, ph + (is64 ? 8 : 4));
		uint64_t vaddr = word(r, ph + (is64 ? 16 : 8));
		uint64_t filesz = word(r, ph + (is64 ? 32 : 16));
		uint64_t memsz = word(r, ph + (is64 ? 40 : 20));
		if (type == PT_LOAD) {
			grow(&r->loads, &cap, r->n_loads + 1, sizeof *r->loads);
			/* What lies beyond the file's end can't be read. */
			if (offset > r->size)
				filesz = 0;
			else if (filesz > r->size - offset)
				filesz = r->size - offset;
			r->loads[r->n_loads++] = (struct load){ vaddr, memsz, offset, filesz };
		} else if (type == PT_INTERP) {
			if (offset > r->size || filesz > r->size - offset)
				return "truncated interpreter path";
			const char *s = str(r, offset, offset + filesz);
			if (!s)
				return "invalid interpreter path";
			o->interp = s;
		} else if (type == PT_TLS) {
			o->tls_memsz = memsz;
			o->tls_align = word(r, ph + (is64 ? 48 : 28));
			o->tls_vaddr = vaddr;
		} else if (type == PT_DYNAMIC) {
			has_dyn = 1;
			dyn_off = offset;
			dyn_size = filesz;
		}
	}
	if (!has_dyn)
		return 0;
	if (dyn_off > r->size || dyn_size > r->size - dyn_off)
		return "truncated dynamic section";

	/* First pass: where the tables are. Second: the strings. */
	unsigned esz = is64 ? 16 : 8;
	uint64_t strtab = -1, strsz = 0, symtab = -1, syment = 0, versym = -1;
	uint64_t verneed = -1, verneednum = 0, verdef = -1, verdefnum = 0;
	uint64_t hash = -1, gnu_hash = -1, flags = 0, flags_1 = 0, n_needed = 0;
	uint64_t n = dyn_size / esz;
	for (uint64_t i = 0; i < n; i++) {
		int64_t tag = word(r, dyn_off + i * esz);
		uint64_t val = word(r, dyn_off + i * esz + esz / 2);
		if (tag == DT_NULL)
			break;
		switch (tag) {
		case DT_NEEDED: n_needed++; break;
		case DT_STRTAB: strtab = val; break;
		case DT_STRSZ: strsz = val; break;
		case DT_SYMTAB: symtab = val; break;
		case DT_SYMENT: syment = val; break;
		case DT_VERSYM: versym = val; break;
		case DT_VERNEED: verneed = val; break;
		case DT_VERNEEDNUM: verneednum = val; break;
		case DT_VERDEF: verdef = val; break;
		case DT_VERDEFNUM: verdefnum = val; break;
		case DT_HASH: hash = val; break;
		case DT_GNU_HASH: gnu_hash = val; break;
		case DT_FLAGS: flags = val; break;
		case DT_FLAGS_1: flags_1 = val; break;
		}
	}
	if (r->bad)
		return "truncated dynamic section";
	/* A static-pie has a dynamic section only to relocate itself. */
	o->dynamic = !((flags_1 & DF_1_PIE) && !o->interp && !n_needed);
	o->static_tls = (flags & DF_STATIC_TLS) != 0;
	if (n_needed && strtab == (uint64_t)-1)
		return "dynamic section without a string table";
	o->strtab = strtab == (uint64_t)-1 ? strtab : offset_of(r, strtab, strsz);
	o->strsz = strsz;
	if (strtab != (uint64_t)-1 && o->strtab == (uint64_t)-1)
		return "string table outside the file";

	o->needed = xcalloc(n_needed, sizeof *o->needed);
	for (uint64_t i = 0; i < n; i++) {
		int64_t tag = word(r, dyn_off + i * esz);
		uint64_t val = word(r, dyn_off + i * esz + esz / 2);
		if (tag == DT_NULL)
			break;
		if (tag != DT_NEEDED && tag != DT_SONAME && tag != DT_RPATH && tag != DT_RUNPATH)
			continue;
		const char *s = dynstr(r, val);
		if (!s)
			return "invalid string in dynamic section";
		if (tag == DT_NEEDED && o->n_needed < n_needed)
			o->needed[o->n_needed++] = s;
		else if (tag == DT_SONAME)
			o->soname = s;
		else if (tag == DT_RPATH)
			o->rpath = s;
		else if (tag == DT_RUNPATH)
			o->runpath = s;
	}

	if (verdef != (uint64_t)-1 && (verdef = offset_of(r, verdef, 20)) != (uint64_t)-1)
		read_verdefs(r, verdef, verdefnum);
	r->bad = 0;
	if (verneed != (uint64_t)-1 && (verneed = offset_of(r, verneed, 16)) != (uint64_t)-1)
		read_verneeds(r, verneed, verneednum);
	r->bad = 0;

	o->syment = syment ? syment : is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	if (o->syment < (is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym)))
		o->syment = 0;
	o->symtab = symtab == (uint64_t)-1 ? symtab : offset_of(r, symtab, 1);
	o->versym = versym == (uint64_t)-1 ? versym : offset_of(r, versym, 2);
	if (hash != (uint64_t)-1)
		hash = offset_of(r, hash, 8);
	if (gnu_hash != (uint64_t)-1)
		gnu_hash = offset_of(r, gnu_hash, 16);
	if (o->syment && o->symtab != (uint64_t)-1 && o->symtab < r->size) {
		o->nsyms = count_symbols(r, hash, gnu_hash);
		/* no more entries than the file holds: a hostile count stays cheap */
		if (o->nsyms > (r->size - o->symtab) / o->syment)
			o->nsyms = (r->size - o->symtab) / o->syment;
	}
	return 0;
}

static struct table by_path, by_inode;

struct elfobj *elfobj_get(const char *path)
{
	int fresh;
	void **slot = table_slot(&by_path, path, &fresh);
	if (!fresh) {
		if (!*slot)
			errno = ENOENT;
		return *slot;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		/* A missing file is the common answer of a search: remember it. */
		if (e != ENOENT && e != ENOTDIR) {
			struct elfobj *o = xcalloc(1, sizeof *o);
			o->path = xstrdup(path);
			o->error = xstrdup(strerror(e));
			o->io_error = 1;
			*slot = o;
			return o;
		}
		errno = e;
		return 0;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return 0;
	}
	char key[64];
	snprintf(key, sizeof key, "%llx:%llx", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	void **islot = table_slot(&by_inode, key, &fresh);
	if (!fresh) {
		close(fd);
		*slot = *islot;
		return *slot;
	}
	struct elfobj *o = xcalloc(1, sizeof *o);
	o->path = xstrdup(path);
	o->dev = st.st_dev;
	o->ino = st.st_ino;
	*slot = *islot = o;
	if (!S_ISREG(st.st_mode)) {
		o->error = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
		o->io_error = 1;
	} else if (st.st_size < EI_NIDENT) {
		o->error = "not an ELF file";
	} else {
		void *m = mmap(0, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			o->error = xstrdup(strerror(errno));
			o->io_error = 1;
		} else {
			struct reader r = { o, m, st.st_size, 0, 0, 0 };
			o->error = parse(&r);
			free(r.loads);
			o->map = m;
			o->size = st.st_size;
			if (o->error) {
				munmap(m, st.st_size);
				o->map = 0;
			}
		}
	}
	close(fd);
	return o;
}

size_t elfobj_symbols_of_version(const struct elfobj *o, uint16_t index,
				 const char **out, size_t max)
{
	if (!o->map || !o->nsyms || o->versym == (uint64_t)-1)
		return 0;
	struct reader r = { (struct elfobj *)o, o->map, o->size, 0, 0, 0 };
	size_t found = 0;
	for (uint64_t i = 1; i < o->nsyms && i < 16 * MAX_ITEMS; i++) {
		uint16_t v = get(&r, o->versym + 2 * i, 2);
		uint64_t name = get(&r, o->symtab + i * o->syment, 4);
		if (r.bad)
			break;
		if ((v & 0x7fff) != index)
			continue;
		if (found < max) {
			const char *s = dynstr(&r, name);
			out[found] = s ? s : "?";
		}
		found++;
	}
	return found;
}

int elfobj_symbol(const struct elfobj *o, uint64_t i, struct elfsym *s)
{
	if (!o->map || i == 0 || i >= o->nsyms)
		return 0;
	struct reader r = { (struct elfobj *)o, o->map, o->size, 0, 0, 0 };
	uint64_t e = o->symtab + i * o->syment;
	int is64 = o->cls == ELFCLASS64;
	/* Elf64_Sym: name (32), info, other, shndx (16), value; Elf32_Sym:
	 * name, value, size (32), info, other, shndx (16). */
	uint64_t name = get(&r, e, 4);
	unsigned info = get(&r, e + (is64 ? 4 : 12), 1);
	uint16_t shndx = get(&r, e + (is64 ? 6 : 14), 2);
	uint64_t value = is64 ? get(&r, e + 8, 8) : get(&r, e + 4, 4);
	s->version = o->versym == (uint64_t)-1 ? 0 : get(&r, o->versym + 2 * i, 2);
	if (r.bad || !(s->name = dynstr(&r, name)))
		return 0;
	unsigned type = info & 0xf;
	s->bind = info >> 4;
	/* dl-lookup.c's check_match: a value (or absolute, or TLS), not
	 * undefined, of a code or data type. */
	s->defined = shndx != SHN_UNDEF && (value || shndx == SHN_ABS || type == STT_TLS) &&
		     (type <= STT_FUNC || type == STT_COMMON || type == STT_TLS || type == STT_GNU_IFUNC);
	return 1;
}

const char *elfobj_version_name(const struct elfobj *o, uint16_t index)
{
	for (size_t i = 0; i < o->n_verdefs; i++)
		if (o->verdef_index[i] == (index & 0x7fff))
			return o->verdefs[i];
	return 0;
}

const char *elf_machine_name(const struct elfobj *o)
{
	static char buf[32];
	switch (o->machine) {
	case EM_X86_64: return "x86-64";
	case EM_386: return "i386";
	case EM_AARCH64: return "aarch64";
	case EM_ARM: return "arm";
	case EM_RISCV: return o->cls == ELFCLASS64 ? "riscv64" : "riscv32";
	case EM_PPC64: return "ppc64";
	case EM_PPC: return "ppc";
	case EM_S390: return "s390";
	case EM_MIPS: return "mips";
	case EM_SPARCV9: return "sparc64";
	case 258: return "loongarch";
	}
	snprintf(buf, sizeof buf, "machine %u", o->machine);
	return buf;
}
