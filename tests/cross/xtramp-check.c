/* xtramp-check: disassemble a trampoline of another architecture with
 * capstone and check the rules its entry contract depends on (DESIGN:
 * transparency 4). tests/trampoline/tramp-check does x86_64; this one does
 * i386 and aarch64 (capstone 4 has no RISC-V: t-tramp.sh checks riscv64
 * with objdump).
 *   - registers written: only scratch ones (i386: eax ecx esi edi and
 *     their parts; aarch64: x9..x17 / w9..w17), flags, pc;
 *   - the frame pointer (ebp; x29) and aarch64's link register x30 only
 *     cleared, from the zero register or by xor with itself;
 *   - the stack pointer written at most once, by a move from a register;
 *   - the rtld_fini register (edx; x0) never, not even a part of it;
 *   - no call, ret, push, pop, enter, leave, int, no store through sp;
 *   - direct branches stay inside; the last instruction is an indirect
 *     jump.
 *
 *   xtramp-check i386|aarch64 RAW ADDR    RAW: the bytes, ADDR: their address
 * Prints "ok: N instructions" and exits 0, or every broken rule and the
 * disassembly, and exits 1 (2: bad input). */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_i386, bad;

static int one_of(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return 1;
	return 0;
}

static const char *const i386_scratch[] = { "eax", "ax", "al", "ah", "ecx",
	"cx", "cl", "ch", "esi", "si", "edi", "di", "eflags", "eip", 0 };
static const char *const i386_fini[] = { "edx", "dx", "dl", "dh", 0 };
static const char *const a64_fini[] = { "x0", "w0", 0 };

static int scratch(const char *r)
{
	if (is_i386)
		return one_of(r, i386_scratch);
	if (strcmp(r, "nzcv") == 0)
		return 1;
	if ((r[0] == 'x' || r[0] == 'w') && r[1]) {
		int n = atoi(r + 1);
		return n >= 9 && n <= 17;
	}
	return 0;
}

static void rule(const cs_insn *in, const char *what)
{
	printf("  %" PRIx64 ": %s %s: %s\n", in->address, in->mnemonic, in->op_str, what);
	bad = 1;
}

int main(int argc, char **argv)
{
	if (argc != 4 || (strcmp(argv[1], "i386") && strcmp(argv[1], "aarch64"))) {
		fprintf(stderr, "usage: xtramp-check i386|aarch64 RAW ADDR\n");
		return 2;
	}
	is_i386 = strcmp(argv[1], "i386") == 0;
	FILE *f = fopen(argv[2], "rb");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	static unsigned char code[4096];
	size_t len = fread(code, 1, sizeof code, f);
	fclose(f);
	uint64_t base = strtoull(argv[3], 0, 0);

	csh h;
	if (cs_open(is_i386 ? CS_ARCH_X86 : CS_ARCH_ARM64,
	            is_i386 ? CS_MODE_32 : CS_MODE_ARM, &h) != CS_ERR_OK)
		return 2;
	cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
	cs_insn *ins;
	size_t n = cs_disasm(h, code, len, base, 0, &ins);
	if (n == 0) {
		printf("no instructions\n");
		return 1;
	}
	if (ins[n - 1].address + ins[n - 1].size != base + len) {
		printf("not every byte disassembles\n");
		bad = 1;
	}
	int sp_writes = 0;
	for (size_t i = 0; i < n; i++) {
		cs_insn *in = &ins[i];
		cs_regs rd, wr;
		uint8_t nrd, nwr;
		if (cs_regs_access(h, in, rd, &nrd, wr, &nwr) != CS_ERR_OK) {
			rule(in, "capstone cannot tell the registers it accesses");
			continue;
		}
		const char *m = in->mnemonic;
		if (cs_insn_group(h, in, CS_GRP_CALL) || cs_insn_group(h, in, CS_GRP_RET) ||
		    cs_insn_group(h, in, CS_GRP_INT) || cs_insn_group(h, in, CS_GRP_IRET) ||
		    !strncmp(m, "push", 4) || !strncmp(m, "pop", 3) || !strcmp(m, "enter") ||
		    !strcmp(m, "leave") || !strcmp(m, "syscall") || !strcmp(m, "svc") ||
		    !strcmp(m, "bl") || !strcmp(m, "blr") || !strcmp(m, "ret"))
			rule(in, "call, return, push, pop or trap");
		int is_zeroing = 0;
		if (is_i386) {
			cs_x86 *x = &in->detail->x86;
			is_zeroing = !strcmp(m, "xor") && x->op_count == 2 &&
			             x->operands[0].type == X86_OP_REG &&
			             x->operands[1].type == X86_OP_REG &&
			             x->operands[0].reg == x->operands[1].reg;
		} else {
			cs_arm64 *a = &in->detail->arm64;
			is_zeroing = !strcmp(m, "mov") && a->op_count == 2 &&
			             a->operands[1].type == ARM64_OP_REG &&
			             (a->operands[1].reg == ARM64_REG_XZR ||
			              a->operands[1].reg == ARM64_REG_WZR);
			for (int k = 0; k < a->op_count; k++)
				if (a->operands[k].type == ARM64_OP_MEM &&
				    a->operands[k].mem.base == ARM64_REG_SP &&
				    (a->writeback || !strncmp(m, "st", 2)))
					rule(in, "store or write-back through sp");
		}
		for (int k = 0; k < nwr; k++) {
			const char *r = cs_reg_name(h, wr[k]);
			if (one_of(r, is_i386 ? i386_fini : a64_fini))
				rule(in, "writes the rtld_fini register");
			else if (!strcmp(r, is_i386 ? "esp" : "sp")) {
				int from_reg = is_i386
				        ? !strcmp(m, "mov") && in->detail->x86.operands[1].type == X86_OP_REG
				        : !strcmp(m, "mov") && in->detail->arm64.operands[1].type == ARM64_OP_REG;
				if (!from_reg)
					rule(in, "sp written other than by a move from a register");
				if (++sp_writes > 1)
					rule(in, "sp written more than once");
			} else if (!strcmp(r, is_i386 ? "ebp" : "x29") ||
			           (!is_i386 && !strcmp(r, "x30"))) {
				if (!is_zeroing)
					rule(in, "frame pointer / link register written with other than zero");
			} else if (!scratch(r)) {
				char why[64];
				snprintf(why, sizeof why, "writes %s, not a scratch register", r);
				rule(in, why);
			}
		}
		int jump = cs_insn_group(h, in, CS_GRP_JUMP) || !strncmp(m, "b.", 2) ||
		           !strcmp(m, "b") || !strcmp(m, "br") || !strncmp(m, "cb", 2) ||
		           !strncmp(m, "tb", 2);
		int indirect = 0, target_ok = 1;
		if (jump) {
			if (is_i386) {
				cs_x86 *x = &in->detail->x86;
				indirect = x->op_count != 1 || x->operands[0].type != X86_OP_IMM;
				if (!indirect)
					target_ok = (uint64_t)x->operands[0].imm >= base &&
					            (uint64_t)x->operands[0].imm < base + len;
			} else {
				cs_arm64 *a = &in->detail->arm64;
				indirect = !strcmp(m, "br");
				for (int k = 0; k < a->op_count; k++)
					if (a->operands[k].type == ARM64_OP_IMM && !indirect &&
					    k == a->op_count - 1)
						target_ok = (uint64_t)a->operands[k].imm >= base &&
						            (uint64_t)a->operands[k].imm < base + len;
			}
			if (!target_ok)
				rule(in, "direct branch out of the trampoline");
			if (indirect && i != n - 1)
				rule(in, "indirect jump before the end");
		}
		if (i == n - 1 && !(jump && indirect))
			rule(in, "the last instruction is not an indirect jump");
	}
	if (!sp_writes)
		printf("note: sp never written (no pristine copy path?)\n");
	if (bad) {
		printf("disassembly:\n");
		for (size_t i = 0; i < n; i++)
			printf("  %" PRIx64 ": %s %s\n", ins[i].address, ins[i].mnemonic, ins[i].op_str);
		return 1;
	}
	printf("ok: %zu instructions\n", n);
	return 0;
}
