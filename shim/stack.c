#include "stack.h"

void image_parse(struct image *im, uintptr_t *sp)
{
	im->sp = sp;
	im->argc = (long)sp[0];
	im->argv = (char **)(sp + 1);
	im->envp = im->argv + im->argc + 1;
	long n = 0;
	while (im->envp[n])
		n++;
	im->envc = n;
	im->auxv = (uintptr_t *)(im->envp + n + 1);
	long a = 0;
	while (im->auxv[2 * a] != 0)
		a++;
	im->auxc = a + 1;
}

uintptr_t *aux_slot(const struct image *im, uintptr_t type)
{
	for (long i = 0; i < im->auxc - 1; i++)
		if (im->auxv[2 * i] == type)
			return &im->auxv[2 * i + 1];
	return NULL;
}

uintptr_t aux_get(const struct image *im, uintptr_t type, uintptr_t dflt)
{
	uintptr_t *p = aux_slot(im, type);
	return p ? *p : dflt;
}

size_t image_words(const struct image *im, long extra_argv, long extra_envp)
{
	return (size_t)(1 + im->argc + extra_argv + 1 + im->envc + extra_envp +
	                1 + 2 * im->auxc);
}

static uintptr_t *put_words(uintptr_t *d, const uintptr_t *s, long n)
{
	while (n-- > 0)
		*d++ = *s++;
	return d;
}

void image_copy(struct image *out, const struct image *im, uintptr_t below,
                char *const *ins, long nins, char *env_extra)
{
	long extra = env_extra ? 1 : 0;
	size_t words = image_words(im, nins, extra);
	uintptr_t *d = (uintptr_t *)((below - words * sizeof(uintptr_t)) & ~(uintptr_t)15);

	out->sp = d;
	out->argc = im->argc + nins;
	*d++ = (uintptr_t)out->argc;
	out->argv = (char **)d;
	long head = im->argc > 0 ? 1 : 0;
	d = put_words(d, (const uintptr_t *)im->argv, head);
	d = put_words(d, (const uintptr_t *)ins, nins);
	d = put_words(d, (const uintptr_t *)im->argv + head, im->argc - head);
	*d++ = 0;
	out->envp = (char **)d;
	out->envc = im->envc + extra;
	d = put_words(d, (const uintptr_t *)im->envp, im->envc);
	if (env_extra)
		*d++ = (uintptr_t)env_extra;
	*d++ = 0;
	out->auxv = d;
	out->auxc = im->auxc;
	put_words(d, im->auxv, 2 * im->auxc);
}
