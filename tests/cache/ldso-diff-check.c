/* ldso-diff-check ARCH [--debug] [--cache PATH] < ldso-diff's output:
 * every byte ldshim changed in the real ld.so's read-only mappings must be
 * one of the changes it makes, and each change named must be there:
 *   --debug   _dl_debug_state's first instruction is a jump to ldshim's
 *             _dl_debug_state (decoded with capstone for ARCH: x86_64,
 *             i386, aarch64)
 *   --cache   the string that ended in "/etc/ld.so.cache" holds PATH,
 *             NUL-padded to the old string's end
 * Prints "ok: ..." and exits 0, or each violation and exits 1. */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad;
static void violation(const char *what, const char *line)
{
	printf("violation: %s%s%s\n", what, line ? ": " : "", line ? line : "");
	bad = 1;
}

static size_t unhex(const char *h, unsigned char *out, size_t cap)
{
	size_t n = 0;
	while (h[0] && h[1] && n < cap && h[0] != ' ' && h[0] != '\n') {
		unsigned v;
		sscanf(h, "%2x", &v);
		out[n++] = (unsigned char)v;
		h += 2;
	}
	return n;
}

/* The target of the jump at `code` (16 bytes at `addr`), or 0. */
static uint64_t jump_target(const char *arch, const unsigned char *code, uint64_t addr)
{
	csh h;
	cs_insn *in;
	int is64 = strcmp(arch, "i386") != 0;
	cs_err e = strcmp(arch, "aarch64") == 0 ? cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &h)
	         : cs_open(CS_ARCH_X86, is64 ? CS_MODE_64 : CS_MODE_32, &h);
	if (e != CS_ERR_OK)
		return 0;
	cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
	uint64_t t = 0;
	size_t n = cs_disasm(h, code, 16, addr, 1, &in);
	if (n == 1) {
		printf("decoded: %s %s\n", in[0].mnemonic, in[0].op_str);
		if (strcmp(arch, "aarch64") == 0) {
			cs_arm64 *a = &in[0].detail->arm64;
			if (in[0].id == ARM64_INS_B && a->cc == ARM64_CC_INVALID &&
			    a->op_count == 1 && a->operands[0].type == ARM64_OP_IMM)
				t = (uint64_t)a->operands[0].imm;
		} else if (in[0].id == X86_INS_JMP) {
			cs_x86 *x = &in[0].detail->x86;
			if (x->op_count == 1 && x->operands[0].type == X86_OP_IMM)
				t = (uint64_t)x->operands[0].imm;
			else if (is64 && x->op_count == 1 && x->operands[0].type == X86_OP_MEM &&
			         x->operands[0].mem.base == X86_REG_RIP && x->operands[0].mem.disp == 0 &&
			         in[0].size == 6)
				memcpy(&t, code + 6, 8);   /* jmp *0(%rip); .quad target */
		}
		cs_free(in, n);
	}
	cs_close(&h);
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ldso-diff-check ARCH [--debug] [--cache PATH] < ldso-diff-output\n");
		return 2;
	}
	const char *arch = argv[1], *cache = NULL;
	int want_debug = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--debug") == 0)
			want_debug = 1;
		else if (strcmp(argv[i], "--cache") == 0 && i + 1 < argc)
			cache = argv[++i];
	}
	char line[16384];
	uint64_t dbg = 0, shim = 0, win_at = 0;
	unsigned char win[16];
	int have_win = 0, seen_debug = 0, seen_cache = 0;
	struct { uint64_t lo, hi; } strings[16];
	int nstr = 0;
	struct { uint64_t at; size_t len; char text[200]; } diffs[64];
	int ndiff = 0;
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = 0;
		uint64_t a;
		size_t len;
		int n = 0;
		if (sscanf(line, "ldso-debug-state %" SCNx64, &dbg) == 1 ||
		    sscanf(line, "shim-debug-state %" SCNx64, &shim) == 1)
			continue;
		if (sscanf(line, "window %" SCNx64 " %n", &win_at, &n) == 1 && n) {
			have_win = unhex(line + n, win, 16) == 16;
			continue;
		}
		if (sscanf(line, "diff %" SCNx64 " %zu", &a, &len) == 2) {
			if (ndiff < 64) {
				diffs[ndiff].at = a;
				diffs[ndiff].len = len;
				snprintf(diffs[ndiff].text, sizeof diffs[ndiff].text, "%.150s", line);
				ndiff++;
			}
			continue;
		}
		if (sscanf(line, "string %" SCNx64 " old \"%n", &a, &n) == 1 && n) {
			char *q = strstr(line + n, "\" new ");
			if (!q)
				continue;
			size_t olen = (size_t)(q - (line + n));
			char old[8192];
			unsigned char nw[8192];
			snprintf(old, sizeof old, "%.*s", (int)olen, line + n);
			size_t nlen = unhex(q + 6, nw, sizeof nw);
			const char *suf = "/etc/ld.so.cache";
			if (olen < strlen(suf) || strcmp(old + olen - strlen(suf), suf)) {
				violation("a string changed that is not the cache path", line);
				continue;
			}
			if (!cache) {
				violation("the cache path string changed, no cache expected", line);
				continue;
			}
			size_t cl = strlen(cache);
			int ok = nlen == olen + 1 && cl <= olen && memcmp(nw, cache, cl) == 0;
			for (size_t i = cl; ok && i < nlen; i++)
				ok = nw[i] == 0;
			if (!ok) {
				violation("the cache path string does not hold the cache path, NUL-padded", line);
				continue;
			}
			printf("cache string: \"%s\" -> \"%s\" (%zu bytes of room)\n", old, cache, olen);
			seen_cache = 1;
			if (nstr < 16) {
				strings[nstr].lo = a;
				strings[nstr].hi = a + olen + 1;
				nstr++;
			}
		}
	}
	for (int i = 0; i < ndiff; i++) {
		uint64_t a = diffs[i].at, e = a + diffs[i].len;
		if (dbg && a >= dbg && e <= dbg + 16) {
			seen_debug = 1;
			continue;
		}
		int in_str = 0;
		for (int k = 0; k < nstr; k++)
			in_str |= a >= strings[k].lo && e <= strings[k].hi;
		if (!in_str)
			violation("a change that is neither the debug hook nor the cache path", diffs[i].text);
	}
	if (seen_debug && !want_debug)
		violation("_dl_debug_state changed, no debug hook expected", NULL);
	if (want_debug) {
		if (!seen_debug || !have_win || win_at != dbg)
			violation("_dl_debug_state is not patched", NULL);
		else {
			uint64_t t = jump_target(arch, win, dbg);
			if (!t)
				violation("_dl_debug_state does not start with a direct jump", NULL);
			else if (t != shim)
				violation("_dl_debug_state jumps elsewhere than ldshim's _dl_debug_state", NULL);
			else
				printf("debug hook: jump from %#" PRIx64 " to ldshim's _dl_debug_state %#" PRIx64 "\n", dbg, t);
		}
	}
	if (cache && !seen_cache)
		violation("the cache path string is not changed", NULL);
	if (!bad)
		printf("ok: %d changed byte runs, all accounted for\n", ndiff);
	return bad;
}
