/* ldso-diff: started through ldshim, print every byte of the real ld.so's
 * read-only mappings that differs from its file, and what to judge them
 * by (ldso-diff-check does, with a disassembler). No disassembler here:
 * it runs as the guest architecture, under qemu-user too.
 *
 *   ldso <path> base 0x...
 *   ldso-debug-state 0x...        ld.so's _dl_debug_state (its file's dynsym)
 *   window 0x... <hex>            its 16 bytes in memory
 *   shim-debug-state 0x...        ldshim's (the interpreter's file, kernel's AT_BASE)
 *   diff 0x<addr> <len> old <hex> new <hex>
 *   string 0x<addr> old "<old string>" new <hex of the same bytes + NUL>
 *
 * A "string" line is given for a difference inside a NUL-terminated
 * string of the file: the whole string, and the new bytes over it. */
#include <elf.h>
#include <fcntl.h>
#include <inttypes.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 20, n = 0, r;
	unsigned char *b = malloc(cap);
	while ((r = fread(b + n, 1, cap - n, f)) > 0)
		if ((n += r) == cap)
			b = realloc(b, cap *= 2);
	fclose(f);
	*len = n;
	return b;
}

/* The value of symbol `name` in the file's .dynsym or .symtab, or 0. */
static uint64_t symbol(const unsigned char *f, size_t len, const char *name)
{
	const ElfW(Ehdr) *e = (const void *)f;
	if (len < sizeof *e || memcmp(e->e_ident, ELFMAG, SELFMAG) || !e->e_shoff ||
	    e->e_shoff + (uint64_t)e->e_shnum * sizeof(ElfW(Shdr)) > len)
		return 0;
	const ElfW(Shdr) *sh = (const void *)(f + e->e_shoff);
	for (int i = 0; i < e->e_shnum; i++) {
		if (sh[i].sh_type != SHT_DYNSYM && sh[i].sh_type != SHT_SYMTAB)
			continue;
		if (sh[i].sh_link >= e->e_shnum)
			continue;
		const ElfW(Shdr) *str = &sh[sh[i].sh_link];
		const ElfW(Sym) *s = (const void *)(f + sh[i].sh_offset);
		size_t n = sh[i].sh_size / sizeof *s;
		for (size_t k = 0; k < n; k++)
			if (s[k].st_name < str->sh_size && s[k].st_shndx &&
			    strcmp((const char *)f + str->sh_offset + s[k].st_name, name) == 0)
				return s[k].st_value;
	}
	return 0;
}

/* The kernel's AT_BASE (ldshim's base), from /proc/self/auxv (under
 * qemu-user that is the guest's auxv, ld.so's: then argv[1] names the
 * interpreter's file, found in /proc/self/maps). */
static uintptr_t kernel_base(void)
{
	ElfW(auxv_t) a;
	uintptr_t base = 0;
	FILE *f = fopen("/proc/self/auxv", "rb");
	while (f && fread(&a, sizeof a, 1, f) == 1 && a.a_type != AT_NULL)
		if (a.a_type == AT_BASE)
			base = a.a_un.a_val;
	if (f)
		fclose(f);
	return base;
}

struct map {
	uintptr_t lo, hi;
	uint64_t off;
	char perms[8];
	char path[4096];
};

static int find_map(FILE *m, uintptr_t at, struct map *out)
{
	char line[4200];
	rewind(m);
	while (fgets(line, sizeof line, m)) {
		struct map x = { 0 };
		int n = 0;
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s %" SCNx64 " %*s %*s %n",
		           &x.lo, &x.hi, x.perms, &x.off, &n) < 4)
			continue;
		if (at >= x.lo && at < x.hi) {
			snprintf(x.path, sizeof x.path, "%s", line + n);
			x.path[strcspn(x.path, "\n")] = 0;
			*out = x;
			return 1;
		}
	}
	return 0;
}

/* 1 if file offset `off` lies in a PT_LOAD segment ld.so does not write
 * (its RELRO part is written while it relocates itself, then made
 * read-only: that is ld.so's own doing). */
static int readonly_offset(const unsigned char *f, size_t len, uint64_t off)
{
	const ElfW(Ehdr) *e = (const void *)f;
	if (len < sizeof *e || e->e_phoff + (uint64_t)e->e_phnum * sizeof(ElfW(Phdr)) > len)
		return 0;
	const ElfW(Phdr) *ph = (const void *)(f + e->e_phoff);
	for (int i = 0; i < e->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && !(ph[i].p_flags & PF_W) &&
		    off >= ph[i].p_offset && off - ph[i].p_offset < ph[i].p_filesz)
			return 1;
	return 0;
}

static void hex(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

/* The start of the first mapping of file `path`, or 0. */
static uintptr_t file_base(FILE *m, const char *path)
{
	char line[4200];
	rewind(m);
	while (fgets(line, sizeof line, m)) {
		uintptr_t lo, hi;
		uint64_t off;
		char perms[8];
		int n = 0;
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s %" SCNx64 " %*s %*s %n",
		           &lo, &hi, perms, &off, &n) < 4)
			continue;
		line[strcspn(line, "\n")] = 0;
		if (off == 0 && strcmp(line + n, path) == 0)
			return lo;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uintptr_t base = getauxval(AT_BASE);
	FILE *m = fopen("/proc/self/maps", "r");
	struct map first;
	if (base && m && find_map(m, base, &first) && first.path[0] != '/')
		find_map(m, first.hi, &first);   /* qemu-user: an anonymous page first */
	if (!base || !m || !find_map(m, first.lo, &first) || first.path[0] != '/') {
		printf("error: no mapping of ld.so at AT_BASE %#" PRIxPTR "\n", base);
		return 1;
	}
	size_t flen;
	unsigned char *file = slurp(first.path, &flen);
	if (!file) {
		printf("error: cannot read %s\n", first.path);
		return 1;
	}
	printf("ldso %s base %#" PRIxPTR "\n", first.path, base);
	uint64_t s = symbol(file, flen, "_dl_debug_state");
	if (s) {
		printf("ldso-debug-state %#" PRIx64 "\n", base + s);
		printf("window %#" PRIx64 " ", base + s);
		hex((const unsigned char *)(uintptr_t)(base + s), 16);
		printf("\n");
	}
	struct map shim;
	uintptr_t kb = argc > 1 ? file_base(m, argv[1]) : kernel_base();
	size_t slen;
	unsigned char *sf;
	if (kb && find_map(m, kb, &shim) && (sf = slurp(shim.path, &slen)) &&
	    (s = symbol(sf, slen, "_dl_debug_state")))
		printf("shim-debug-state %#" PRIx64 "\n", kb + s);

	/* Every read-only file mapping of ld.so's file, against the file. */
	char line[4200];
	rewind(m);
	while (fgets(line, sizeof line, m)) {
		struct map x;
		int n = 0;
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s %" SCNx64 " %*s %*s %n",
		           &x.lo, &x.hi, x.perms, &x.off, &n) < 4)
			continue;
		line[strcspn(line, "\n")] = 0;
		if (strcmp(line + n, first.path) || strchr(x.perms, 'w') || x.perms[0] != 'r' ||
		    x.lo < base)
			continue;
		const unsigned char *mem = (const unsigned char *)x.lo;
		for (uintptr_t i = 0; i < x.hi - x.lo && x.off + i < flen;) {
			const unsigned char *old = file + x.off + i;
			if (mem[i] == *old || !readonly_offset(file, flen, x.off + i)) {
				i++;
				continue;
			}
			size_t k = i;
			while (k < x.hi - x.lo && x.off + k < flen && mem[k] != file[x.off + k] &&
			       readonly_offset(file, flen, x.off + k))
				k++;
			printf("diff %#" PRIxPTR " %zu old ", x.lo + i, k - i);
			hex(old, k - i);
			printf(" new ");
			hex(mem + i, k - i);
			printf("\n");
			/* The string of the file around it, if it is one. */
			size_t a = x.off + i, b = x.off + k, c;
			for (c = a; c < b && file[c] >= 0x20 && file[c] < 0x7f; c++)
				;
			while (a > 0 && file[a - 1] >= 0x20 && file[a - 1] < 0x7f)
				a--;
			while (b < flen && file[b] >= 0x20 && file[b] < 0x7f)
				b++;
			if (c == x.off + k && b < flen && !file[b] && b > a) {
				uintptr_t at = x.lo + (a - x.off);
				printf("string %#" PRIxPTR " old \"%.*s\" new ", at, (int)(b - a),
				       (const char *)file + a);
				hex((const unsigned char *)at, b - a + 1);
				printf("\n");
				k = b - x.off + 1 > k ? b - x.off + 1 : k;
			}
			i = k;
		}
	}
	return 0;
}
