/* The stack image: argc, argv, envp and auxv as the kernel (or the shim)
 * laid them out for a process entry. */
#ifndef LDSHIM_STACK_H
#define LDSHIM_STACK_H

#include <stddef.h>
#include <stdint.h>

struct image {
	uintptr_t *sp;          /* -> argc */
	long argc;
	char **argv;
	char **envp;
	long envc;              /* entries before envp's NULL */
	uintptr_t *auxv;        /* (type, value) pairs */
	long auxc;              /* pairs, AT_NULL included */
};

void image_parse(struct image *im, uintptr_t *sp);
/* The a_val word of auxv entry `type`, or NULL if there is none. */
uintptr_t *aux_slot(const struct image *im, uintptr_t type);
uintptr_t aux_get(const struct image *im, uintptr_t type, uintptr_t dflt);
/* Words the image occupies from argc to auxv's AT_NULL pair. */
size_t image_words(const struct image *im, long extra_argv, long extra_envp);

/* Room to leave below the caller's own frames when it asks image_copy for
 * a copy below them: the calls it still makes must not reach the copy. */
#define STACK_FRAME_MARGIN 16384

/* Copy im to below `below` (16-byte aligned, below the caller's live
 * frames), inserting `nins` argv strings after argv[0] and, if env_extra
 * is not NULL, one envp entry at the end. The copy is described in *out. */
void image_copy(struct image *out, const struct image *im, uintptr_t below,
                char *const *ins, long nins, char *env_extra);

#endif
