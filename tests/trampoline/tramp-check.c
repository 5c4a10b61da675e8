/* tramp-check: disassemble ldshim's trampoline (x86_64) with capstone and
 * check the rules its entry contract depends on (DESIGN: transparency 4):
 *   - registers written: only scratch ones (rax rcx rsi rdi r8-r11, any
 *     part of them), flags, rip; rbp only zeroed by xor with itself (and
 *     it must be); rsp at most once, by a plain mov from a register;
 *     rdx (rtld_fini) never, not even a part of it;
 *   - no call, ret, push, pop, enter, leave, int, syscall, nor any
 *     instruction that writes rdx behind the operands' back;
 *   - direct branches stay inside; the last instruction is an indirect jmp.
 *
 *   tramp-check elf LDSHIM        the bytes of the ldshim_trampoline symbol
 *   tramp-check mem RAW LDSHIM    bytes captured from a live process (RAW),
 *                                 up to the first indirect jmp; they must
 *                                 also equal the symbol's bytes in LDSHIM
 *   tramp-check hex HEX           bytes given in hex (to show the checker
 *                                 rejects what it must), up to the first
 *                                 indirect jmp
 * Prints "ok: N instructions" and exits 0, or prints every broken rule
 * and the disassembly and exits 1 (2: could not read the input). */
#include <capstone/capstone.h>
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t cap = 1 << 16, n = 0, r;
	unsigned char *buf = malloc(cap);
	while ((r = fread(buf + n, 1, cap - n, f)) > 0)
		if ((n += r) == cap)
			buf = realloc(buf, cap *= 2);
	fclose(f);
	*len = n;
	return buf;
}

/* The bytes of symbol NAME in an ELF64 file, by its .symtab. */
static const unsigned char *elf_symbol(const unsigned char *elf, size_t len,
                                       const char *name, uint64_t *addr,
                                       uint64_t *size)
{
	const Elf64_Ehdr *eh = (const void *)elf;
	if (len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > len)
		return NULL;
	const Elf64_Shdr *sh = (const void *)(elf + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		const Elf64_Sym *sym = (const void *)(elf + sh[i].sh_offset);
		const char *str = (const char *)elf + sh[sh[i].sh_link].sh_offset;
		size_t n = sh[i].sh_size / sizeof *sym;
		for (size_t k = 0; k < n; k++) {
			if (strcmp(str + sym[k].st_name, name) ||
			    sym[k].st_shndx == SHN_UNDEF || sym[k].st_shndx >= eh->e_shnum)
				continue;
			const Elf64_Shdr *s = &sh[sym[k].st_shndx];
			uint64_t off = s->sh_offset + (sym[k].st_value - s->sh_addr);
			if (off + sym[k].st_size > len)
				return NULL;
			*addr = sym[k].st_value;
			*size = sym[k].st_size;
			return elf + off;
		}
	}
	return NULL;
}

/* The 64-bit register a register name is part of. */
static const char *family(const char *r)
{
	static const char *const f[][5] = {
		{ "rax", "eax", "ax", "al", "ah" }, { "rcx", "ecx", "cx", "cl", "ch" },
		{ "rdx", "edx", "dx", "dl", "dh" }, { "rbx", "ebx", "bx", "bl", "bh" },
		{ "rsi", "esi", "si", "sil" },      { "rdi", "edi", "di", "dil" },
		{ "rbp", "ebp", "bp", "bpl" },      { "rsp", "esp", "sp", "spl" },
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		for (int k = 0; k < 5 && f[i][k]; k++)
			if (strcmp(r, f[i][k]) == 0)
				return f[i][0];
	static char rn[8];
	if (r[0] == 'r' && r[1] >= '0' && r[1] <= '9') {   /* r8..r15, r8d/w/b */
		size_t n = 1;
		while (r[n] >= '0' && r[n] <= '9' && n < 4)
			n++;
		memcpy(rn, r, n);
		rn[n] = 0;
		return rn;
	}
	return r;
}

static int in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static const char *const scratch[] = { "rax", "rcx", "rsi", "rdi", "r8", "r9",
	"r10", "r11", "rflags", "eflags", "flags", "rip", NULL };
/* Forbidden outright: they use the stack, leave the trampoline other than
 * by the final jmp, or write rdx implicitly (capstone may not say so). */
static const char *const banned[] = { "call", "ret", "retf", "push", "pushf",
	"pushfq", "pop", "popf", "popfq", "enter", "leave", "int", "int1", "int3",
	"into", "syscall", "sysenter", "iret", "iretq", "cqo", "cdq", "cwd", "mul",
	"div", "idiv", "rdtsc", "rdtscp", "rdpid", "rdpmc", "rdmsr", "cpuid",
	"xgetbv", "xchg", "cmpxchg16b", NULL };

static int bad;
static void rule(size_t i, const cs_insn *in_, const char *what)
{
	printf("rule broken at #%zu %s %s: %s\n", i, in_->mnemonic, in_->op_str, what);
	bad = 1;
}

static int is_indirect_jmp(const cs_insn *i)
{
	if (i->id != X86_INS_JMP || i->detail->x86.op_count != 1)
		return 0;
	int t = i->detail->x86.operands[0].type;
	return t == X86_OP_REG || t == X86_OP_MEM;
}

/* Check LEN bytes at ADDR. UNTIL_JMP: stop after the first indirect jmp
 * (live bytes run on past the trampoline). Returns bytes consumed. */
static size_t check(const unsigned char *code, size_t len, uint64_t addr, int until_jmp)
{
	csh h;
	cs_insn *ins;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) {
		printf("capstone: cannot open x86-64\n");
		exit(2);
	}
	cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
	size_t n = cs_disasm(h, code, len, addr, 0, &ins);
	if (n == 0) {
		printf("rule broken: no instruction decodes\n");
		exit(1);
	}
	if (until_jmp) {
		size_t k = 0;
		while (k < n && !is_indirect_jmp(&ins[k]))
			k++;
		if (k < n)
			n = k + 1;
	}
	uint64_t end = ins[n - 1].address + ins[n - 1].size;
	if (!until_jmp && end != addr + len)
		rule(n - 1, &ins[n - 1], "the bytes do not decode to whole instructions");
	int rsp_writes = 0, rbp_zeroed = 0;
	for (size_t i = 0; i < n; i++) {
		cs_insn *c = &ins[i];
		cs_x86 *x = &c->detail->x86;
		if (in(c->mnemonic, banned) || (strncmp(c->mnemonic, "rep ", 4) == 0 &&
		    in(c->mnemonic + 4, banned)))
			rule(i, c, "instruction not allowed in the trampoline");
		for (int g = 0; g < c->detail->groups_count; g++) {
			int gr = c->detail->groups[g];
			if (gr == CS_GRP_CALL || gr == CS_GRP_RET || gr == CS_GRP_INT ||
			    gr == CS_GRP_IRET)
				rule(i, c, "call, return or interrupt");
		}
		if (c->id != X86_INS_JMP || i != n - 1)
			for (int g = 0; g < c->detail->groups_count; g++)
				if (c->detail->groups[g] == CS_GRP_JUMP) {
					if (x->op_count != 1 || x->operands[0].type != X86_OP_IMM)
						rule(i, c, "indirect jump before the end");
					else if ((uint64_t)x->operands[0].imm < addr ||
					         (uint64_t)x->operands[0].imm >= end)
						rule(i, c, "branch leaves the trampoline");
				}
		cs_regs rr, rw;
		uint8_t nr, nw;
		if (cs_regs_access(h, c, rr, &nr, rw, &nw) != CS_ERR_OK) {
			rule(i, c, "capstone cannot tell its register accesses");
			continue;
		}
		for (int k = 0; k < nw; k++) {
			const char *f = family(cs_reg_name(h, rw[k]));
			if (in(f, scratch))
				continue;
			if (strcmp(f, "rbp") == 0) {
				if (c->id == X86_INS_XOR && x->op_count == 2 &&
				    x->operands[0].type == X86_OP_REG &&
				    x->operands[1].type == X86_OP_REG &&
				    x->operands[0].reg == x->operands[1].reg)
					rbp_zeroed = 1;
				else
					rule(i, c, "rbp written other than zeroed by xor with itself");
			} else if (strcmp(f, "rsp") == 0) {
				if (++rsp_writes > 1)
					rule(i, c, "rsp written a second time");
				if (c->id != X86_INS_MOV || x->op_count != 2 ||
				    x->operands[0].type != X86_OP_REG ||
				    x->operands[0].reg != X86_REG_RSP ||
				    x->operands[1].type != X86_OP_REG)
					rule(i, c, "rsp written other than by mov from a register");
			} else if (strcmp(f, "rdx") == 0) {
				rule(i, c, "writes rdx, which holds rtld_fini");
			} else {
				char m[64];
				snprintf(m, sizeof m, "writes %s, not a scratch register",
				         cs_reg_name(h, rw[k]));
				rule(i, c, m);
			}
		}
	}
	if (!rbp_zeroed)
		rule(n - 1, &ins[n - 1], "rbp is never zeroed (unwinders would not stop)");
	if (!is_indirect_jmp(&ins[n - 1]))
		rule(n - 1, &ins[n - 1], "the last instruction is not an indirect jmp");
	if (bad)
		for (size_t i = 0; i < n; i++)
			printf("    %#8" PRIx64 ":  %-8s %s\n", ins[i].address, ins[i].mnemonic,
			       ins[i].op_str);
	else
		printf("ok: %zu instructions\n", n);
	size_t used = (size_t)(end - addr);
	cs_free(ins, n);
	cs_close(&h);
	return used;
}

int main(int argc, char **argv)
{
	size_t len, elen;
	uint64_t addr, size;
	if (argc == 3 && strcmp(argv[1], "elf") == 0) {
		unsigned char *elf = slurp(argv[2], &len);
		const unsigned char *t = elf_symbol(elf, len, "ldshim_trampoline", &addr, &size);
		if (!t || size == 0) {
			printf("%s: no sized symbol ldshim_trampoline in .symtab\n", argv[2]);
			return 2;
		}
		check(t, size, addr, 0);
		return bad;
	}
	if (argc == 4 && strcmp(argv[1], "mem") == 0) {
		unsigned char *raw = slurp(argv[2], &len);
		unsigned char *elf = slurp(argv[3], &elen);
		const unsigned char *t = elf_symbol(elf, elen, "ldshim_trampoline", &addr, &size);
		if (!t || size == 0) {
			printf("%s: no sized symbol ldshim_trampoline in .symtab\n", argv[3]);
			return 2;
		}
		size_t used = check(raw, len, addr, 1);
		if (used != size || memcmp(raw, t, size) != 0) {
			printf("rule broken: the live bytes (%zu up to the jmp) are not the "
			       "trampoline's %" PRIu64 " bytes in %s\n", used, size, argv[3]);
			bad = 1;
		}
		return bad;
	}
	if (argc == 3 && strcmp(argv[1], "hex") == 0) {
		size_t n = strlen(argv[2]) / 2;
		unsigned char *b = malloc(n + 1);
		for (size_t i = 0; i < n; i++)
			sscanf(argv[2] + 2 * i, "%2hhx", &b[i]);
		check(b, n, 0x1000, 1);
		return bad;
	}
	fprintf(stderr, "usage: tramp-check elf LDSHIM | mem RAW LDSHIM | hex HEX\n");
	return 2;
}
