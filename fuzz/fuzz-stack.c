/* libFuzzer target: image_parse, aux_slot and image_copy (shim/stack.c)
 * on a stack image built from the input in a heap buffer of exactly the
 * right size (ASan sees any read or write outside it).
 *
 * Input: argc (byte 0 % 16), inserted argv strings (byte 1 % 4), whether
 * an envp entry is added (byte 2 & 1), the gap below the image in bytes
 * (byte 3 % 64), then NUL-separated strings: argc of them for argv, the
 * rest for envp, and auxv pairs made of the following 8-byte words (a zero
 * type ends auxv early, as AT_NULL does). */
#include <stdio.h>
#include "hosted.h"

static void bad(const char *what)
{
	fprintf(stderr, "stack: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	long argc = data[0] % 16, nins = data[1] % 4;
	int extra = data[2] & 1;
	size_t gap = data[3] % 64;
	const uint8_t *d = data + 4;
	size_t len = size - 4;

	/* Strings: split the first half at NULs; the second half is auxv. */
	size_t slen = len / 2;
	char *strs = malloc(slen + 1);
	memcpy(strs, d, slen);
	strs[slen] = 0;
	long nstr = 0;
	for (size_t i = 0; i <= slen; i++)
		nstr += strs[i] == 0;
	long envc = nstr > argc ? nstr - argc : 0;
	long auxc = 1;
	uintptr_t aux[64];
	for (size_t i = slen; i + 16 <= len && auxc < 31; i += 16) {
		uintptr_t t, v;
		memcpy(&t, d + i, 8);
		memcpy(&v, d + i + 8, 8);
		if (!t)
			break;
		aux[2 * (auxc - 1)] = t;
		aux[2 * (auxc - 1) + 1] = v;
		auxc++;
	}
	aux[2 * (auxc - 1)] = AT_NULL;
	aux[2 * (auxc - 1) + 1] = 0;

	/* argv strings beyond those in the input are "" (the NUL at the end). */
	size_t words = (size_t)(1 + argc + 1 + envc + 1 + 2 * auxc);
	uintptr_t *img = malloc(words * sizeof *img), *w = img;
	char *s = strs;
	*w++ = (uintptr_t)argc;
	for (long i = 0; i < argc + envc; i++) {
		if (i == argc)
			*w++ = 0;
		*w++ = (uintptr_t)s;
		if (s < strs + slen)
			s += strlen(s) + 1;
	}
	if (argc == argc + envc)
		*w++ = 0;
	*w++ = 0;
	memcpy(w, aux, 2 * (size_t)auxc * sizeof *w);

	struct image im;
	image_parse(&im, img);
	if (im.argc != argc || im.envc != envc || im.auxc != auxc ||
	    im.argv != (char **)img + 1 || im.envp != im.argv + argc + 1 ||
	    im.auxv != (uintptr_t *)(im.envp + envc + 1))
		bad("image_parse");
	if (image_words(&im, 0, 0) != words)
		bad("image_words");
	/* aux_slot finds the first entry of a type, never AT_NULL's. */
	for (long i = 0; i < auxc - 1; i++) {
		uintptr_t *p = aux_slot(&im, aux[2 * i]);
		long first = i;
		for (long j = 0; j < i; j++)
			if (aux[2 * j] == aux[2 * i]) {
				first = j;
				break;
			}
		if (p != &im.auxv[2 * first + 1])
			bad("aux_slot");
	}
	if (aux_slot(&im, AT_NULL) != NULL && auxc > 0) {
		/* AT_NULL is only the end: never a slot */
		bad("aux_slot(AT_NULL)");
	}

	/* The copy goes below `below`, inside a buffer with no room to spare
	 * beyond the 16-byte alignment. */
	char *ins[4] = { "--inserted-0", "--inserted-1", "--inserted-2", "--inserted-3" };
	char *env_extra = extra ? "LD_LIBRARY_PATH=/injected" : NULL;
	size_t cw = image_words(&im, nins, extra);
	size_t cbytes = cw * sizeof(uintptr_t) + 16 + gap;
	char *area = malloc(cbytes);
	uintptr_t below = (uintptr_t)area + cbytes - gap;
	struct image out;
	image_copy(&out, &im, below, ins, nins, env_extra);
	uintptr_t *o = out.sp;
	if ((uintptr_t)o & 15)
		bad("copy not 16-byte aligned");
	if ((char *)o < area || (uintptr_t)(o + cw) > below)
		bad("copy outside its room");
	if (out.argc != argc + nins || (long)o[0] != argc + nins)
		bad("copy argc");
	long k = 1;
	if (argc > 0 && o[k++] != img[1])
		bad("copy argv[0]");
	for (long i = 0; i < nins; i++)
		if (o[k++] != (uintptr_t)ins[i])
			bad("copy inserted argv");
	for (long i = 1; i < argc; i++)
		if (o[k++] != img[1 + i])
			bad("copy argv");
	if (o[k++] != 0 || out.envp != (char **)&o[k])
		bad("copy argv end");
	for (long i = 0; i < envc; i++)
		if (o[k++] != (uintptr_t)im.envp[i])
			bad("copy envp");
	if (extra && o[k++] != (uintptr_t)env_extra)
		bad("copy env_extra");
	if (o[k++] != 0 || out.envc != envc + extra || out.auxv != &o[k])
		bad("copy envp end");
	if (out.auxc != auxc || memcmp(&o[k], im.auxv, 2 * (size_t)auxc * sizeof *o))
		bad("copy auxv");
	/* The parse of the copy is the copy's own description. */
	struct image again;
	image_parse(&again, out.sp);
	if (again.argc != out.argc || again.envc != out.envc || again.auxc != out.auxc)
		bad("parse of the copy");

	free(area);
	free(img);
	free(strs);
	return 0;
}
