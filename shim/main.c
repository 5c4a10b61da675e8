/* ldshim: started by the kernel as a program's interpreter, it maps the
 * real ld.so, lends it the Nix library path for the time it loads the
 * program's libraries, and points AT_ENTRY at the trampoline, which takes
 * every trace of that away before the program's first instruction.
 *
 * This code runs before anything is set up: no libc, no relocations (the
 * Makefile checks there are none), no stack protector, no floating point.
 */
#include "elfdef.h"
#include "arch.h"
#include "cache.h"
#include "config.h"
#include "context.h"
#include "debug.h"
#include "ldpatch.h"
#include "mkcache.h"
#include "ldshim.h"
#include "ldso.h"
#include "env.h"
#include "log.h"
#include "stack.h"
#include "str.h"
#include "sys.h"

void ldshim_main(uintptr_t *sp) __attribute__((noreturn, used));

struct tramp_ctx ldshim_tramp_ctx;

/* Room for the injected variable (and explicit invocation's library
 * path). Not on the stack: ld.so's own frames would overwrite it before
 * ld.so parses it. Usually short, so a small buffer that shares its page
 * with the rest of the shim's data (one page fault for all); a value up to
 * the kernel's cap (MAX_ARG_STRLEN, 32 pages, per string) gets a mapping
 * of its own rather than a bss that every start would map. */
static char small_buf[1024];
char *ldshim_buffer(size_t n)
{
	if (n <= sizeof small_buf)
		return small_buf;
	long m = sys_mmap(0, n, PROT_READ_ | PROT_WRITE_,
	                  MAP_PRIVATE_ | MAP_ANONYMOUS_, -1, 0);
	if (sys_failed(m))
		die("injected variable", err_reason(m));
	return (char *)m;
}

/* NIX_LD_MODE: "fallback" (the default) searches the Nix path after the
 * program's own RUNPATH, through the audit module; "override" puts it
 * first, as nix-ld does. Any other value is reported and ignored. */
int ldshim_fallback_mode(const char *mode)
{
	if (!mode || !*mode || str_eq(mode, "fallback"))
		return 1;
	if (str_eq(mode, "override"))
		return 0;
	say(LOG_WARN, "NIX_LD_MODE=", mode, ": unknown mode (fallback or override),"
	    " using fallback", (char *)0);
	return 1;
}


const char *ldshim_pick_cache(const struct env_plan *plan, int secure)
{
	char num[24];
	for (unsigned i = 0; i < plan->ncache; i++) {
		const struct cache_cand *c = &plan->cache[i];
		const char *why = ldcache_check(c->file, plan->nix_path, secure, secure ? 0 : -1);
		const char *line = c->line ? str_num(num, c->line, 0) : "";
		if (!why) {
			say(LOG_DEBUG, "library cache ", c->file, " (", c->src, c->line ? ":" : "",
			    line, ") serves ", plan->nix_path, (char *)0);
			return c->file;
		}
		/* The built-in one missing is the usual case: not news. */
		int usual = !c->line && why == err_reason(-2) && str_eq(c->src, "built-in default");
		say(usual ? LOG_DEBUG : LOG_INFO, "library cache ", c->file, " (", c->src,
		    c->line ? ":" : "", line, ") not used: ", why, (char *)0);
	}
	return 0;
}

/* valgrind runs ldshim under its emulation. Where ld.so gets the audit
 * module, glibc's exit-time __libc_freeres (which valgrind calls) frees
 * two blocks ld.so's start-up allocator handed out, as with any audit
 * module; tell valgrind of the suppressions for them. Natively the
 * request is a few instructions that change nothing. */
static void valgrind_suppressions(void)
{
	static const char opt[] = "--suppressions=" LDSHIM_VALGRIND_SUPP;
	uintptr_t req[6] = { ARCH_VG_CLO_CHANGE, 0, 0, 0, 0, 0 };
	/* Taken at run time: a pointer in initialised data would need a
	 * relocation. */
	const char *p = opt;
	__asm__("" : "+r"(p));
	req[1] = (uintptr_t)p;
	arch_valgrind_request(req);
}

/* The automatic cache for the Nix path (cache.c, mkcache.c): used when
 * it is current, written when it is missing or out of date. */
static const char *auto_cache(const struct env_plan *plan, const struct ldso *ld)
{
	/* Its name is $XDG_RUNTIME_DIR/ldshim/ and 16 hex digits: whether
	 * ld.so has room for it is known before the directory is made. */
	char a[24], b[24];
	size_t len = plan->runtime_dir ? str_len(plan->runtime_dir) + sizeof "/ldshim/" - 1 + 16 : 0;
	if (len > ld->cache_room) {
		say(LOG_INFO, "no automatic library cache: its name would be ",
		    str_num(a, len, 0), " bytes, ld.so has room for ",
		    str_num(b, ld->cache_room, 0), (char *)0);
		return 0;
	}
	const char *why, *name = ldcache_auto_name(plan->runtime_dir, plan->nix_path,
	                                           plan->uid, &why);
	if (!name) {
		say(LOG_INFO, "no automatic library cache: ", why, (char *)0);
		return 0;
	}
	if (!(why = ldcache_check(name, plan->nix_path, 0, plan->uid)))
		return name;
	say(LOG_INFO, "automatic library cache ", name, ": ", why, ": writing it",
	    (char *)0);
	if ((why = mkcache_write(name, plan->nix_path))) {
		say(LOG_INFO, "no automatic library cache: ", why, (char *)0);
		return 0;
	}
	return name;
}

const char *ldshim_map_ldso(struct ldso *ld, const struct env_plan *plan,
                            uintptr_t pagesz, int secure, int fallback,
                            const char *cache, unsigned flags)
{
	const char *why;
	/* A cache may serve the Nix path: one is named, or the automatic
	 * one may be (not for a secure program: it would read what the
	 * user's XDG_RUNTIME_DIR says). */
	int want = fallback && str_has_elem(plan->nix_path);
	int look = want && (cache || (!secure && plan->runtime_dir));
	elf_map(ld, plan->ldso, pagesz, flags | (look ? LDSO_MAP_RODATA : 0));
	if (flags & LDSO_MAP_CODE)
		debug_hook(ld);
	if (want && !look) {
		say(LOG_INFO, "no library cache: none named, and no XDG_RUNTIME_DIR for an"
		    " automatic one", (char *)0);
	} else if (look && (why = ldso_find_cache_path(ld))) {
		say(LOG_INFO, "no library cache: ", plan->ldso, ": ", why, (char *)0);
		cache = 0;
	} else if (look) {
		if (cache && (why = ldso_set_cache_path(ld, cache))) {
			say(LOG_INFO, "library cache ", cache, " not used: ", plan->ldso, ": ",
			    why, (char *)0);
			cache = 0;
		}
		if (!cache && !secure && (cache = auto_cache(plan, ld)) &&
		    (why = ldso_set_cache_path(ld, cache)))
			cache = 0;
	}
	if (!(ldso_seal(ld) & LDSO_PATCH_CACHE) && cache) {
		say(LOG_INFO, "library cache ", cache, " not used: ld.so's code may not be"
		    " made executable again after the change (memory-deny-write-execute)",
		    (char *)0);
		cache = 0;
	}
	if (!cache && want && !secure) {
		/* The audit module will be loaded: make room for the
		 * initial-exec TLS of the program's libraries, which ld.so
		 * then sizes before it loads them. */
		if ((why = ldso_raise_static_tls(ld, LDSHIM_STATIC_TLS)))
			say(LOG_INFO, "static TLS surplus not raised: ", plan->ldso, ": ",
			    why, (char *)0);
		valgrind_suppressions();
	}
	return cache;
}

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
		ldshim_explicit(&im, &plan, 0);
	config_apply(&plan, &im, secure);
	say(LOG_INFO, "ld.so ", plan.ldso, " (", plan.ldso_from, ")",
	    secure ? ", secure mode: NIX_LD* ignored" : "", (char *)0);
	uintptr_t pagesz = aux_get(&im, AT_PAGESZ, 4096);
	int fallback = ldshim_fallback_mode(plan.mode);
	const char *cache = fallback && str_has_elem(plan.nix_path)
	                    ? ldshim_pick_cache(&plan, secure) : 0;
	cache = ldshim_map_ldso(&ld, &plan, pagesz, secure, fallback, cache,
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

	long slot;
	char *injected;
	if (fallback) {
		/* The Nix path is searched where the default directories would
		 * be: ld.so gets the audit module, not a library path. */
		static const char name[] = "LD_AUDIT=";
		if (!str_has_elem(plan.nix_path)) {
			say(LOG_INFO, "no library path to add (", plan.nix_path_from,
			    " is empty): nothing injected", (char *)0);
			ldshim_enter(ld.entry, sp);
		}
		const char *user = plan.user_audit && *plan.user_audit ? plan.user_audit : 0;
		injected = ldshim_buffer(sizeof name + (user ? str_len(user) + 1 : 0) +
		                         sizeof LDSHIM_AUDIT);
		char *p = str_put(injected, name);
		if (user) {
			p = str_put(p, user);
			*p++ = ':';
		}
		p = str_put(p, LDSHIM_AUDIT);
		*p = 0;
		/* The module takes the Nix path from the context (see
		 * CTX_HANDOFF), so any NIX_LD* slot can be lent. */
		ldshim_tramp_ctx.nix_path = plan.nix_path;
		slot = plan.audit_slot >= 0 ? plan.audit_slot : plan.spare_slot;
		say(LOG_INFO, "fallback mode: ", injected, " (Nix library path ",
		    plan.nix_path, " from ", plan.nix_path_from, ")", (char *)0);
	} else {
		static const char name[] = "LD_LIBRARY_PATH=";
		size_t cap = (plan.user_path ? str_len(plan.user_path) : 0) +
		             str_len(plan.nix_path) + 2;
		injected = ldshim_buffer(sizeof name - 1 + cap);
		char *value = str_put(injected, name);
		long n = env_library_path(value, cap, plan.user_path, plan.nix_path);
		if (n == -2)
			die("LD_LIBRARY_PATH", "too long");
		if (n == -1) {
			say(LOG_INFO, "no library path to add (", plan.nix_path_from,
			    " is empty): nothing injected", (char *)0);
			ldshim_enter(ld.entry, sp);
		}
		slot = plan.user_slot >= 0 ? plan.user_slot : plan.spare_slot;
		say(LOG_INFO, "override mode: library path for ld.so: ", value, " (",
		    plan.user_path ? "LD_LIBRARY_PATH + " : "", plan.nix_path_from,
		    ")", (char *)0);
	}

	struct tramp_ctx *ctx = &ldshim_tramp_ctx;
	ctx->entry = *entry_slot;
	say(LOG_DEBUG, "auxv: AT_ENTRY ", str_num(num, ctx->entry, 1),
	    " -> trampoline ", str_num(num2, (uintptr_t)ldshim_trampoline, 1),
	    " until the program starts", (char *)0);
	if (slot >= 0) {
		/* Lend an existing envp slot to the injected variable. */
		say(LOG_INFO, "env case: ", slot == plan.user_slot
		    ? "LD_LIBRARY_PATH set, its slot is lent"
		    : slot == plan.audit_slot ? "LD_AUDIT set, its slot is lent"
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
