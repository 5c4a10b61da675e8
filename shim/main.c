/* ldshim: started by the kernel as a program's interpreter, it maps the
 * real ld.so and hands it the Nix library path (prepare.c says which of
 * the starts it takes): through ld.so's own library cache, with nothing
 * injected, or, where no cache can be used, as a library path lent to
 * ld.so while it loads the program, with AT_ENTRY pointed at the
 * trampoline, which takes every trace of it away before the program's
 * first instruction.
 *
 * This code runs before anything is set up: no libc, no relocations (the
 * Makefile checks there are none), no stack protector, no floating point.
 */
#include "elfdef.h"
#include "arch.h"
#include "config.h"
#include "context.h"
#include "explicit.h"
#include "ldshim.h"
#include "prepare.h"
#include "progid.h"
#include "ldso.h"
#include "env.h"
#include "log.h"
#include "stack.h"
#include "str.h"
#include "sys.h"

struct tramp_ctx ldshim_tramp_ctx;

static void log_image(const char *what, const struct image *im)
{
	char a[24], b[24], c[24];
	say(LOG_DEBUG, what, " image at ", str_num(a, (uintptr_t)im->sp, 1),
	    ": argc ", str_num(b, (unsigned long)im->argc, 0), ", envc ",
	    str_num(c, (unsigned long)im->envc, 0), (char *)0);
}

void ldshim_main(uintptr_t *sp)
{
	struct image im;
	struct env_plan plan;
	struct ldso ld;
	char num[24], num2[24];

	image_parse(&im, sp);
	int secure = aux_get(&im, AT_SECURE, 0) != 0;
	env_scan(&plan, &im, secure);
	log_init(im.argc > 0 && im.argv[0] ? im.argv[0] : "ldshim", plan.log);

	uintptr_t *base_slot = aux_slot(&im, AT_BASE);
	uintptr_t *entry_slot = aux_slot(&im, AT_ENTRY);
	if (!base_slot || !entry_slot)
		die("auxiliary vector", "no AT_BASE or AT_ENTRY entry");
	if (*base_slot == 0)  /* run as a command: it maps ld.so itself */
		start_explicit(&im, &plan, 0);
	config_apply(&plan, &im, secure);
	say(LOG_INFO, "ld.so ", plan.ldso, " (", plan.ldso_from, ")",
	    secure ? ", secure mode: NIX_LD* ignored" : "", (char *)0);
	uintptr_t pagesz = aux_get(&im, AT_PAGESZ, 4096);
	int fallback = start_fallback_mode(plan.mode);
	const char *cache = fallback && str_has_elem(plan.nix_path)
	                    ? start_pick_cache(&plan, secure) : 0;
	cache = start_map_ldso(&ld, &plan, pagesz, secure, fallback, cache,
	                       LDSO_MAP_CODE);
	say(LOG_DEBUG, "ld.so mapped at ", str_num(num, ld.base, 1), ", entry ",
	    str_num(num2, ld.entry, 1), (char *)0);
	say(LOG_DEBUG, "auxv: AT_BASE ", str_num(num, *base_slot, 1), " -> ",
	    str_num(num2, ld.base, 1), (char *)0);
	*base_slot = ld.base;
	if (cache) {
		/* ld.so finds the Nix path's libraries in its own cache, after
		 * the program's RUNPATH: nothing to inject, nothing to undo,
		 * AT_ENTRY stays the program's. */
		say(LOG_INFO, "fallback mode: Nix library path ", plan.nix_path, " (",
		    plan.nix_path_from, ") served by the library cache ", cache,
		    ": nothing injected", (char *)0);
		ldshim_enter(ld.entry, sp);
	}
	if (secure) {
		say(LOG_INFO, "secure mode: nothing injected", (char *)0);
		ldshim_enter(ld.entry, sp);
	}

	/* The last resort (fallback mode) or override mode: ld.so gets a
	 * library path while it loads the program, the program's own
	 * RUNPATH before the Nix path in fallback mode, so that what it
	 * bundles still wins (progid.c). */
	const char *own = fallback ? runpath_from_memory(&im) : 0;
	char *injected;
	long n = start_library_path(&injected, "LD_LIBRARY_PATH=", plan.user_path, own,
	                            plan.nix_path);
	if (n == -1) {
		say(LOG_INFO, "no library path to add (", plan.nix_path_from,
		    " is empty): nothing injected", (char *)0);
		ldshim_enter(ld.entry, sp);
	}
	long slot = plan.user_slot >= 0 ? plan.user_slot : plan.spare_slot;
	say(LOG_INFO, fallback ? "last resort (no library cache): library path for ld.so: "
	    : "override mode: library path for ld.so: ", injected + sizeof "LD_LIBRARY_PATH=" - 1,
	    " (", plan.user_path ? "LD_LIBRARY_PATH + " : "",
	    own ? "the program's RUNPATH + " : "", plan.nix_path_from, ")", (char *)0);

	struct tramp_ctx *ctx = &ldshim_tramp_ctx;
	ctx->entry = *entry_slot;
	say(LOG_DEBUG, "auxv: AT_ENTRY ", str_num(num, ctx->entry, 1),
	    " -> trampoline ", str_num(num2, (uintptr_t)ldshim_trampoline, 1),
	    " until the program starts", (char *)0);
	if (slot >= 0) {
		/* Lend an existing envp slot to the injected variable. */
		say(LOG_INFO, "env case: ", slot == plan.user_slot
		    ? "LD_LIBRARY_PATH set, its slot is lent"
		    : "a NIX_LD* variable's slot is lent",
		    " (envp[", str_num(num, (unsigned long)slot, 0), "])", (char *)0);
		ctx->env_slot = (uintptr_t *)&im.envp[slot];
		ctx->env_value = (uintptr_t)im.envp[slot];
		ctx->entry_slot = entry_slot;
		im.envp[slot] = injected;
		*entry_slot = (uintptr_t)ldshim_trampoline;
		log_image("ld.so and program", &im);
		ldshim_enter(ld.entry, sp);
	}

	/* No slot to lend: ld.so runs on a copy with one more envp entry;
	 * the trampoline ends envp there again and gives the program a
	 * pristine image below it. */
	struct image a;
	uintptr_t below = (uintptr_t)__builtin_frame_address(0) - STACK_FRAME_MARGIN;
	image_copy(&a, &im, below, 0, 0, injected);
	say(LOG_INFO, "env case: no slot to lend, envp copied with one more entry",
	    (char *)0);
	ctx->env_slot = (uintptr_t *)&a.envp[a.envc - 1];
	ctx->env_value = 0;
	ctx->entry_slot = aux_slot(&a, AT_ENTRY);
	*ctx->entry_slot = (uintptr_t)ldshim_trampoline;
	ctx->copy_src = a.sp;
	ctx->copy_head = (uintptr_t)(1 + a.argc + 1 + a.envc);
	ctx->copy_tail = (uintptr_t)(2 * a.auxc);
	size_t words = ctx->copy_head + ctx->copy_tail;
	ctx->copy_dst = (uintptr_t *)(((uintptr_t)a.sp - words * sizeof(uintptr_t)) &
	                              ~(uintptr_t)(ARCH_STACK_ALIGN - 1));
	log_image("ld.so", &a);
	say(LOG_DEBUG, "the program's pristine image goes to ",
	    str_num(num, (uintptr_t)ctx->copy_dst, 1), (char *)0);
	ldshim_enter(ld.entry, a.sp);
}
