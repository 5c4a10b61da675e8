/* Hosted unit tests of the shim's portable code (shim/env.c, ldso.c's
 * elf_check, stack.c), built by t-units.sh with ASan and UBSan and the
 * built-in defaults /default/ld.so and /default/lib. Prints one
 * PASS/FAIL line per case. */
#include <stdio.h>
#include "hosted.h"
#include "confparse.h"
#include "progid.h"

#define MAXS (32 * 4096)
static int failed;

static void result(const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#include <stdarg.h>
static void result(const char *name, int ok, const char *fmt, ...)
{
	if (ok) {
		printf("PASS %s\n", name);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	printf("FAIL %s: ", name);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	failed = 1;
}

/* ---- env_library_path ---- */
struct lp_case {
	const char *name, *user, *nix;
	long cap;              /* 0: the shim's own size */
	long ret;              /* -1, -2, or >= 0: the string below */
	const char *want;
};

static const struct lp_case lp_cases[] = {
	{ "lp-nix-only", NULL, "/nix/lib", 0, 8, "/nix/lib" },
	{ "lp-user-empty", "", "/nix/lib", 0, 8, "/nix/lib" },
	{ "lp-user-then-nix", "/u", "/n", 0, 5, "/u:/n" },
	{ "lp-user-empty-elements-kept", "a::b:", "/n", 0, 8, "a::b::/n" },
	{ "lp-user-colon-only", ":", "/n", 0, 4, "::/n" },
	{ "lp-nix-empty-elements-dropped", "/u", ":x::y:", 0, 6, "/u:x:y" },
	{ "lp-nix-empty-elements-no-user", NULL, ":x::y:", 0, 3, "x:y" },
	{ "lp-nix-colon-only", NULL, ":", 0, -1, NULL },
	{ "lp-nix-colons-user", "/u", ":::", 0, -1, NULL },
	{ "lp-nix-empty", "/u", "", 0, -1, NULL },
	{ "lp-nix-empty-no-user", NULL, "", 0, -1, NULL },
	{ "lp-cap-exact", "/u", "/n", 6, 5, "/u:/n" },
	{ "lp-cap-one-short", "/u", "/n", 5, -2, NULL },
	{ "lp-cap-user-too-long", "/uuu", "/n", 4, -2, NULL },
	{ "lp-cap-tiny", NULL, "/n", 1, -2, NULL },
};

/* The last resort's: the program's RUNPATH (own) between the two. */
struct lp_own_case {
	const char *name, *user, *own, *nix;
	long cap, ret;
	const char *want;
};

static const struct lp_own_case lp_own_cases[] = {
	{ "lp-own-between", "/u", "$ORIGIN/../lib", "/n", 0, 20, "/u:$ORIGIN/../lib:/n" },
	{ "lp-own-no-user", NULL, "/o", "/n", 0, 5, "/o:/n" },
	{ "lp-own-empty-elements-dropped", NULL, ":a::b:", "/n", 0, 6, "a:b:/n" },
	{ "lp-own-empty", "/u", "", "/n", 0, 5, "/u:/n" },
	{ "lp-own-but-nix-empty", "/u", "/o", ":", 0, -1, NULL },
	{ "lp-own-cap-exact", NULL, "/o", "/n", 6, 5, "/o:/n" },
	{ "lp-own-cap-one-short", NULL, "/o", "/n", 5, -2, NULL },
};

static void test_library_path(void)
{
	for (size_t i = 0; i < sizeof lp_own_cases / sizeof *lp_own_cases; i++) {
		const struct lp_own_case *c = &lp_own_cases[i];
		size_t cap = c->cap ? (size_t)c->cap : 64;
		char *buf = malloc(cap);
		long r = env_library_path(buf, cap, c->user, c->own, c->nix);
		int ok = r == c->ret && (r < 0 || strcmp(buf, c->want) == 0);
		result(c->name, ok, "expected %ld '%s', got %ld '%s'", c->ret,
		       c->want ? c->want : "", r, r >= 0 ? buf : "");
		free(buf);
	}
	for (size_t i = 0; i < sizeof lp_cases / sizeof *lp_cases; i++) {
		const struct lp_case *c = &lp_cases[i];
		size_t cap = c->cap ? (size_t)c->cap : 2 * MAXS + 1;
		char *buf = malloc(cap);
		long r = env_library_path(buf, cap, c->user, 0, c->nix);
		int ok = r == c->ret && (r < 0 || strcmp(buf, c->want) == 0);
		result(c->name, ok, "expected %ld '%s', got %ld '%s'", c->ret,
		       c->want ? c->want : "", r, r >= 0 ? buf : "");
		free(buf);
	}
	/* Two values of the kernel's maximum string length (the longest
	 * "LD_LIBRARY_PATH=..." and "NIX_LD_LIBRARY_PATH=..." entries) fit
	 * the shim's buffer. */
	size_t ul = MAXS - sizeof "LD_LIBRARY_PATH=", nl = MAXS - sizeof "NIX_LD_LIBRARY_PATH=";
	char *user = malloc(ul + 1), *nix = malloc(nl + 1);
	memset(user, 'u', ul);
	user[ul] = 0;
	memset(nix, 'n', nl);
	nix[nl] = 0;
	nix[0] = '/';
	size_t cap = 2 * MAXS + 1;
	char *buf = malloc(cap);
	long r = env_library_path(buf, cap, user, 0, nix);
	result("lp-two-maximal-values", r == (long)(ul + 1 + nl) && buf[ul] == ':' &&
	       buf[r] == 0 && memcmp(buf + ul + 1, nix, nl) == 0,
	       "expected length %zu, got %ld", ul + 1 + nl, r);
	free(buf);
	free(user);
	free(nix);
}

/* ---- env_scan ---- */
struct scan_case {
	const char *name;
	int secure;
	const char *env[8];
	const char *ldso, *ldso_from, *nix, *nix_from, *log;
	long user_slot, spare_slot;
};

#define S "x86_64_linux"
static const struct scan_case scan_cases[] = {
	{ "scan-empty", 0, { NULL }, "/default/ld.so", "built-in default",
	  "/default/lib", "built-in default", NULL, -1, -1 },
	{ "scan-nix-ld", 0, { "PATH=/bin", "NIX_LD=/a", "NIX_LD_LIBRARY_PATH=/l" },
	  "/a", "NIX_LD", "/l", "NIX_LD_LIBRARY_PATH", NULL, -1, 1 },
	{ "scan-system-wins", 0, { "NIX_LD=/a", "NIX_LD_" S "=/b",
	  "NIX_LD_LIBRARY_PATH_" S "=/sl", "NIX_LD_LIBRARY_PATH=/l" },
	  "/b", "NIX_LD_" S, "/sl", "NIX_LD_LIBRARY_PATH_" S, NULL, -1, 0 },
	{ "scan-first-wins", 0, { "NIX_LD=/a", "NIX_LD=/b" },
	  "/a", "NIX_LD", "/default/lib", "built-in default", NULL, -1, 0 },
	{ "scan-empty-is-unset", 0, { "NIX_LD=", "NIX_LD_" S "=", "NIX_LD=/b",
	  "NIX_LD_LIBRARY_PATH=" },
	  "/b", "NIX_LD", "/default/lib", "built-in default", NULL, -1, 0 },
	{ "scan-last-user-path", 0, { "LD_LIBRARY_PATH=/1", "X=1", "LD_LIBRARY_PATH=/2" },
	  "/default/ld.so", "built-in default", "/default/lib", "built-in default",
	  NULL, 2, -1 },
	{ "scan-not-ours", 0, { "NIX_LDX=/x", "NIX_LD", "=NIX_LD=/y", "NIX_LD_LOGGER=1",
	  "LD_LIBRARY_PATHS=/z", "nix_ld=/w", "NIX_LD_x86_64_linuxX=/v" },
	  "/default/ld.so", "built-in default", "/default/lib", "built-in default",
	  NULL, -1, -1 },
	{ "scan-log", 0, { "NIX_LD_LOG=debug" }, "/default/ld.so", "built-in default",
	  "/default/lib", "built-in default", "debug", -1, 0 },
	{ "scan-value-with-equals", 0, { "NIX_LD=/a=b", "LD_LIBRARY_PATH==x" },
	  "/a=b", "NIX_LD", "/default/lib", "built-in default", NULL, 1, 0 },
	{ "scan-secure-ignores-nix-ld", 1, { "NIX_LD=/evil", "NIX_LD_" S "=/evil",
	  "NIX_LD_LIBRARY_PATH=/evil", "NIX_LD_LOG=trace", "LD_LIBRARY_PATH=/u" },
	  "/default/ld.so", "built-in default", "/default/lib", "built-in default",
	  NULL, 4, -1 },
};

static int same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void test_scan(void)
{
	for (size_t i = 0; i < sizeof scan_cases / sizeof *scan_cases; i++) {
		const struct scan_case *c = &scan_cases[i];
		uintptr_t sp[32], *w = sp;
		*w++ = 1;
		*w++ = (uintptr_t)"prog";
		*w++ = 0;
		long n = 0;
		while (c->env[n])
			*w++ = (uintptr_t)c->env[n++];
		*w++ = 0;
		*w++ = AT_NULL;
		*w++ = 0;
		struct image im;
		struct env_plan p;
		image_parse(&im, sp);
		env_scan(&p, &im, c->secure);
		int ok = same(p.ldso, c->ldso) && same(p.ldso_from, c->ldso_from) &&
		         same(p.nix_path, c->nix) && same(p.nix_path_from, c->nix_from) &&
		         same(p.log, c->log) && p.user_slot == c->user_slot &&
		         p.spare_slot == c->spare_slot &&
		         (p.user_slot < 0 ? !p.user_path : p.user_path == c->env[p.user_slot] + 16);
		result(c->name, ok, "expected ldso %s (%s), path %s (%s), log %s, user %ld, "
		       "spare %ld; got %s (%s), %s (%s), %s, %ld, %ld", c->ldso, c->ldso_from,
		       c->nix, c->nix_from, c->log ? c->log : "-", c->user_slot, c->spare_slot,
		       p.ldso, p.ldso_from, p.nix_path, p.nix_path_from, p.log ? p.log : "-",
		       p.user_slot, p.spare_slot);
	}
}

/* ---- elf_check ---- */
typedef ElfW(Ehdr) Ehdr;
typedef ElfW(Phdr) Phdr;
struct file { Ehdr e; Phdr p[3]; unsigned char rest[0x2000]; };

/* A small acceptable file: code R+X at 0 (entry inside), data RW with a
 * .bss tail at 0x1000. */
static void valid(struct file *f)
{
	memset(f, 0, sizeof *f);
	memcpy(f->e.e_ident, "\177ELF", 4);
	f->e.e_ident[EI_CLASS] = ELFCLASS64;
	f->e.e_ident[EI_DATA] = ELFDATA2LSB;
	f->e.e_type = ET_DYN;
	f->e.e_machine = EM_X86_64;
	f->e.e_entry = 0x100;
	f->e.e_phoff = sizeof f->e;
	f->e.e_phentsize = sizeof(Phdr);
	f->e.e_phnum = 2;
	f->p[0] = (Phdr){ PT_LOAD, PF_R | PF_X, 0, 0, 0, 0x800, 0x800, 0x1000 };
	f->p[1] = (Phdr){ PT_LOAD, PF_R | PF_W, 0x1000, 0x1000, 0x1000, 0x800, 0x3000, 0x1000 };
	f->p[2] = (Phdr){ 0x6474e551, PF_R | PF_W, 0, 0, 0, 0, 0, 16 };  /* GNU_STACK */
}

enum mut { M_NONE, M_MAGIC, M_CLASS, M_DATA, M_MACHINE, M_EXEC, M_REL, M_PHENT,
           M_PHNUM0, M_PHNUM_BIG, M_PHOFF, M_FILESZ, M_MISALIGN, M_PAST_EOF,
           M_HUGE, M_HUGE_VADDR, M_OVERLAP, M_ORDER, M_NOLOAD, M_ENTRY_OUT,
           M_ENTRY_DATA, M_HIGH_DATA, M_PG64K, M_ZERO_MEMSZ, M_PHDR_OFF_WRAP };

struct elf_case { const char *name; enum mut m; const char *want; };
static const struct elf_case elf_cases[] = {
	{ "elf-valid", M_NONE, NULL },
	{ "elf-magic", M_MAGIC, "not an ELF file" },
	{ "elf-class", M_CLASS, "wrong ELF class: 32-bit, need 64-bit" },
	{ "elf-data", M_DATA, "wrong byte order: big-endian, need little-endian" },
	{ "elf-machine", M_MACHINE, "wrong machine: not built for x86_64_linux" },
	{ "elf-exec", M_EXEC, "not a shared object: ET_EXEC, need ET_DYN" },
	{ "elf-rel", M_REL, "not a shared object: need ET_DYN" },
	{ "elf-phentsize", M_PHENT, "bad program header entry size" },
	{ "elf-phnum-zero", M_PHNUM0, "no program headers" },
	{ "elf-phnum-big", M_PHNUM_BIG, "too many program headers" },
	{ "elf-phoff-past-eof", M_PHOFF, "truncated program header table" },
	{ "elf-phoff-wraps", M_PHDR_OFF_WRAP, "truncated program header table" },
	{ "elf-filesz-gt-memsz", M_FILESZ, "PT_LOAD with p_filesz > p_memsz" },
	{ "elf-misaligned", M_MISALIGN, "misaligned PT_LOAD: p_offset and p_vaddr differ modulo the page size" },
	{ "elf-past-eof", M_PAST_EOF, "truncated: a PT_LOAD segment extends past the end of the file" },
	{ "elf-huge-memsz", M_HUGE, "PT_LOAD segment too large" },
	{ "elf-huge-vaddr", M_HUGE_VADDR, "PT_LOAD segment too large" },
	{ "elf-overlap", M_OVERLAP, "PT_LOAD segments overlap or are out of order" },
	{ "elf-out-of-order", M_ORDER, "PT_LOAD segments overlap or are out of order" },
	{ "elf-no-load", M_NOLOAD, "no PT_LOAD segment" },
	{ "elf-entry-outside", M_ENTRY_OUT, "entry point outside any executable segment" },
	{ "elf-entry-in-data", M_ENTRY_DATA, "entry point outside any executable segment" },
	{ "elf-4k-pages-gap", M_HIGH_DATA, NULL },
	{ "elf-64k-pages-misaligned", M_PG64K, "misaligned PT_LOAD: p_offset and p_vaddr differ modulo the page size" },
	{ "elf-zero-memsz-code", M_ZERO_MEMSZ, "PT_LOAD with p_filesz > p_memsz" },
};

static void test_elf(void)
{
	for (size_t i = 0; i < sizeof elf_cases / sizeof *elf_cases; i++) {
		const struct elf_case *c = &elf_cases[i];
		struct file f;
		size_t size = sizeof f;
		uintptr_t pg = 4096;
		valid(&f);
		switch (c->m) {
		case M_NONE: break;
		case M_MAGIC: f.e.e_ident[1] = 'e'; break;
		case M_CLASS: f.e.e_ident[EI_CLASS] = ELFCLASS32; break;
		case M_DATA: f.e.e_ident[EI_DATA] = 2; break;
		case M_MACHINE: f.e.e_machine = EM_AARCH64; break;
		case M_EXEC: f.e.e_type = ET_EXEC; break;
		case M_REL: f.e.e_type = 1; break;
		case M_PHENT: f.e.e_phentsize = 32; break;
		case M_PHNUM0: f.e.e_phnum = 0; break;
		case M_PHNUM_BIG: f.e.e_phnum = 65; break;
		case M_PHOFF: f.e.e_phoff = size - sizeof(Phdr); break;
		case M_PHDR_OFF_WRAP: f.e.e_phoff = ~(uint64_t)0 - 8; break;
		case M_FILESZ: f.p[1].p_filesz = 0x3001; break;
		case M_MISALIGN: f.p[1].p_offset = 0x1008; break;
		case M_PAST_EOF: f.p[1].p_filesz = 0x2000; break;
		case M_HUGE: f.p[1].p_memsz = (uint64_t)1 << 40; break;
		case M_HUGE_VADDR: f.p[1].p_vaddr = ~(uint64_t)0xfff; break;
		case M_OVERLAP: f.p[1].p_vaddr = f.p[1].p_offset = 0; break;
		case M_ORDER: f.p[0].p_vaddr = 0x5000; f.e.e_entry = 0x5100; break;
		case M_NOLOAD: f.p[0].p_type = f.p[1].p_type = 0; break;
		case M_ENTRY_OUT: f.e.e_entry = 0x900; break;
		case M_ENTRY_DATA: f.e.e_entry = 0x1100; break;
		case M_PG64K: pg = 65536; /* fall through */
		case M_HIGH_DATA: f.p[1].p_vaddr = 0x12000; break;
		case M_ZERO_MEMSZ: f.p[0].p_memsz = 0; break;
		}
		int short_file;
		const char *why = hosted_elf_check((const uint8_t *)&f, size, pg, &short_file);
		result(c->name, same(why, c->want), "expected '%s', got '%s'",
		       c->want ? c->want : "(accepted)", why ? why : "(accepted)");
	}
}

/* ---- image_parse / image_copy ---- */
static void test_image(void)
{
	char *argv[] = { "prog", "a1" };
	char *envp[] = { "A=1", "B=2", "C=3" };
	uintptr_t sp[] = { 2, (uintptr_t)argv[0], (uintptr_t)argv[1], 0,
	                   (uintptr_t)envp[0], (uintptr_t)envp[1], (uintptr_t)envp[2], 0,
	                   AT_PAGESZ, 4096, AT_BASE, 0x1000, AT_ENTRY, 0x2000,
	                   AT_SECURE, 1, AT_ENTRY, 0x3000, AT_NULL, 0 };
	struct image im;
	image_parse(&im, sp);
	result("image-parse", im.argc == 2 && im.envc == 3 && im.auxc == 6 &&
	       im.envp == (char **)&sp[4] && im.auxv == &sp[8],
	       "argc %ld envc %ld auxc %ld", im.argc, im.envc, im.auxc);
	result("aux-first-entry-wins", aux_get(&im, AT_ENTRY, 0) == 0x2000 &&
	       aux_slot(&im, AT_ENTRY) == &sp[13] && aux_get(&im, 99, 7) == 7 &&
	       aux_slot(&im, AT_NULL) == NULL, "AT_ENTRY %#lx",
	       (unsigned long)aux_get(&im, AT_ENTRY, 0));

	uintptr_t room[64];
	char *ins[] = { "--x", "--y" };
	struct image out;
	image_copy(&out, &im, (uintptr_t)&room[64] - 8, ins, 2, "EXTRA=1");
	uintptr_t *o = out.sp;
	uintptr_t want[] = { 4, (uintptr_t)argv[0], (uintptr_t)ins[0], (uintptr_t)ins[1],
	                     (uintptr_t)argv[1], 0, (uintptr_t)envp[0], (uintptr_t)envp[1],
	                     (uintptr_t)envp[2], (uintptr_t)"EXTRA=1", 0 };
	int ok = ((uintptr_t)o & 15) == 0 && o >= room &&
	         (uintptr_t)(o + image_words(&im, 2, 1)) <= (uintptr_t)&room[64] - 8 &&
	         out.envc == 4 && out.argc == 4 && out.auxc == 6;
	for (size_t i = 0; ok && i < sizeof want / sizeof *want; i++)
		ok = o[i] == want[i] || (i == 9 && strcmp((char *)o[i], "EXTRA=1") == 0);
	ok = ok && memcmp(out.auxv, &sp[8], 12 * sizeof *sp) == 0;
	result("image-copy-insert", ok, "copy differs from the expected layout");

	/* argc 0: nothing to insert after; the inserted strings come first. */
	uintptr_t sp0[] = { 0, 0, 0, AT_NULL, 0 };
	image_parse(&im, sp0);
	image_copy(&out, &im, (uintptr_t)&room[64], ins, 1, NULL);
	result("image-copy-argc0", im.argc == 0 && im.envc == 0 && im.auxc == 1 &&
	       out.argc == 1 && out.argv[0] == ins[0] && out.argv[1] == NULL &&
	       out.envp[0] == NULL && out.auxv[0] == AT_NULL,
	       "argc %ld -> %ld", im.argc, out.argc);
}

/* ---- config_parse ---- */
static void test_config(void)
{
	static const unsigned char bid[] = { 0x8f, 0x3c, 0x0a };
	struct config_id id = { "/opt/x", 0, bid, sizeof bid };
	char text[] =
		"# comment\n"
		"  ld.so = /any/ld.so  \n"
		"x86_64_linux.ld.so\t=\t/sys/ld.so\r\n"
		"aarch64_linux.ld.so = /arm/ld.so\n"
		"library-path = /a::/b\n"
		"library-path = /c\n"
		"mode = override\n"
		"[program /opt/y]\n"
		"library-path = /y\n"
		"[program /opt/x]\n"
		"library-path = /x\n"
		"[build-id 8F3C0A]\n"
		"ld.so = /bid/ld.so\n"
		"[build-id 8f3c]\n"
		"library-path = /wrong\n"
		"mode = fallback";
	struct config c;
	config_parse(&c, text, sizeof text - 1, "u.conf", &id);
	result("config-any-key", c.ldso[CFG_ANY].v && strcmp(c.ldso[CFG_ANY].v, "/any/ld.so") == 0 &&
	       c.ldso[CFG_ANY].line == 2, "got '%s' line %u", c.ldso[CFG_ANY].v, c.ldso[CFG_ANY].line);
	result("config-system-key-crlf-tab", c.ldso[CFG_SYS].v && strcmp(c.ldso[CFG_SYS].v, "/sys/ld.so") == 0,
	       "got '%s'", c.ldso[CFG_SYS].v);
	result("config-last-wins", c.path[CFG_ANY].v && strcmp(c.path[CFG_ANY].v, "/c") == 0 &&
	       c.path[CFG_ANY].line == 6, "got '%s'", c.path[CFG_ANY].v);
	result("config-mode", c.mode.v && strcmp(c.mode.v, "override") == 0 && c.mode.line == 7,
	       "got '%s' line %u", c.mode.v, c.mode.line);
	result("config-program-path", c.p_path[CFG_ANY].v && strcmp(c.p_path[CFG_ANY].v, "/x") == 0,
	       "got '%s'", c.p_path[CFG_ANY].v);
	result("config-build-id-any-case", c.p_ldso[CFG_ANY].v && strcmp(c.p_ldso[CFG_ANY].v, "/bid/ld.so") == 0,
	       "got '%s'", c.p_ldso[CFG_ANY].v);
	result("config-errors", c.errors == 1, "expected 1 (mode in a section), got %u", c.errors);
	result("config-match", c.match.line == 12, "expected line 12, got %u", c.match.line);
	/* Nothing identifies the program: no section applies. */
	char t2[] = "[program /opt/x]\nlibrary-path = /x\n[build-id 00]\nld.so = /l\n";
	config_parse(&c, t2, sizeof t2 - 1, "u.conf", 0);
	result("config-no-id", !c.p_path[0].v && !c.p_ldso[0].v && !c.errors, "a section matched");
	char t3[] = "";
	config_parse(&c, t3, 0, "u.conf", &id);
	result("config-empty", !c.ldso[0].v && !c.errors, "empty file gave something");
	/* A note with a build-id after another note. */
	static const unsigned char notes[] = {
		4, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 'G', 'N', 'U', 0, 1, 2, 3, 4,
		4, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0, 0x8f, 0x3c, 0x0a, 0 };
	size_t il = 0;
	const unsigned char *b = config_note_build_id(notes, sizeof notes, 4, &il);
	result("config-note-build-id", b == notes + 36 && il == 3, "got offset %ld len %zu",
	       b ? (long)(b - notes) : -1L, il);
	result("config-note-truncated", !config_note_build_id(notes, 38, 4, &il), "read past the end");
}

int main(void)
{
	test_library_path();
	test_scan();
	test_elf();
	test_image();
	test_config();
	return failed;
}
