/* The trampoline context: filled by the shim before it jumps to the real
 * ld.so, read by the trampoline (arch/<arch>/trampoline.S) when ld.so jumps
 * to what it believes is the program's entry.
 *
 * The trampoline does, in this order:
 *   1. *env_slot = env_value      give the borrowed envp slot back its
 *                                 pointer (or end envp there: value 0)
 *   2. *entry_slot = entry        AT_ENTRY in the auxv getauxval() reads
 *   3. if copy_dst: sp = copy_dst, then copy copy_head words from copy_src,
 *      skip one word, copy copy_tail words: a pristine stack image without
 *      the slot that had to be added for ld.so
 *   4. frame pointer = 0, jump to entry; the rtld_fini register untouched.
 *
 * Offsets are in words so that one header serves 32- and 64-bit arches;
 * the C view is checked against them below.
 */
#ifndef LDSHIM_TRAMPOLINE_CONTEXT_H
#define LDSHIM_TRAMPOLINE_CONTEXT_H

#define CTX_WORD        __SIZEOF_POINTER__
#define CTX_ENTRY       (0 * CTX_WORD)
#define CTX_ENTRY_SLOT  (1 * CTX_WORD)
#define CTX_ENV_SLOT    (2 * CTX_WORD)
#define CTX_ENV_VALUE   (3 * CTX_WORD)
#define CTX_COPY_SRC    (4 * CTX_WORD)
#define CTX_COPY_DST    (5 * CTX_WORD)
#define CTX_COPY_HEAD   (6 * CTX_WORD)
#define CTX_COPY_TAIL   (7 * CTX_WORD)
#define CTX_SIZE        (8 * CTX_WORD)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct tramp_ctx {
	uintptr_t entry;        /* the program's real entry */
	uintptr_t *entry_slot;  /* a_val of AT_ENTRY in ld.so's auxv */
	uintptr_t *env_slot;    /* the envp slot lent to the injected variable */
	uintptr_t env_value;    /* what that slot held before (0: it was added) */
	uintptr_t *copy_src;    /* the stack image ld.so ran on (added slot) */
	uintptr_t *copy_dst;    /* where the program's pristine image goes */
	uintptr_t copy_head;    /* words up to and including envp's NULL */
	uintptr_t copy_tail;    /* words of auxv, AT_NULL included */
};

_Static_assert(offsetof(struct tramp_ctx, entry) == CTX_ENTRY, "ctx entry");
_Static_assert(offsetof(struct tramp_ctx, entry_slot) == CTX_ENTRY_SLOT, "ctx entry_slot");
_Static_assert(offsetof(struct tramp_ctx, env_slot) == CTX_ENV_SLOT, "ctx env_slot");
_Static_assert(offsetof(struct tramp_ctx, env_value) == CTX_ENV_VALUE, "ctx env_value");
_Static_assert(offsetof(struct tramp_ctx, copy_src) == CTX_COPY_SRC, "ctx copy_src");
_Static_assert(offsetof(struct tramp_ctx, copy_dst) == CTX_COPY_DST, "ctx copy_dst");
_Static_assert(offsetof(struct tramp_ctx, copy_head) == CTX_COPY_HEAD, "ctx copy_head");
_Static_assert(offsetof(struct tramp_ctx, copy_tail) == CTX_COPY_TAIL, "ctx copy_tail");
_Static_assert(sizeof(struct tramp_ctx) == CTX_SIZE, "ctx size");

/* Hidden, so that the compiler addresses them pc-relative rather than
 * through a GOT entry, which would need a relocation (aarch64 ld does not
 * relax a GOT load of an assembly symbol the way x86_64 ld does). */
#define CTX_HIDDEN __attribute__((visibility("hidden")))
/* Defined by the shim, read by the trampoline. */
extern struct tramp_ctx ldshim_tramp_ctx CTX_HIDDEN;
/* The trampoline itself: its address goes into AT_ENTRY. */
extern char ldshim_trampoline[] CTX_HIDDEN;
#endif

#endif
